/**
 * The manipulation signals as the reviewer reads them: each check's
 * findings turned into a strength, a reason in zh-CN and en, regions in
 * original pixels and the measurements behind them. The strength scales
 * are calibrated so that genuine photos, re-encoded or resized, stay at 0.
 */
import type { LocalizedText, RasterImage, Region, Signal } from '../model.js';
import type { CopyMoveResult } from './copy-move.js';
import { errorLevelAnomalies } from './error-level.js';
import type { GridFinding } from './jpeg-grid.js';
import type { JpegQuantInfo } from './jpeg-tables.js';
import type { NoiseFinding } from './noise-residual.js';
import { cellBoxToRegion, clamp, type GreyImage } from './raster-ops.js';

/** The compression-history signal from the JPEG headers and, when the grid could be read, its analysis. */
export function recompressionSignal(
  info: JpegQuantInfo | undefined,
  read: { grid: GridFinding; x: number; y: number; width: number; height: number } | undefined,
): Signal {
  const id = 'manipulation.jpeg_recompression';
  if (!info) {
    return quiet(id, {
      en: 'Compression history not analysed: the file is not a readable JPEG.',
      zh: '未分析压缩历史：文件不是可读取的JPEG。',
    });
  }
  const tables = tableDetails(info);
  if (!read) {
    return quiet(
      id,
      {
        en: `JPEG quality about ${info.quality}; the 8×8 grid was not read (no full-resolution pixels).`,
        zh: `JPEG质量约为${info.quality}；未读取8×8压缩网格（缺少原始分辨率像素）。`,
      },
      tables,
    );
  }
  const { grid } = read;
  const details = { ...tables, ...gridDetails(grid) };
  const anomalies = [...grid.anomalies].sort((a, b) => b.score * b.box.area - a.score * a.box.area);
  const best = anomalies[0];
  if (!best) {
    return quiet(
      id,
      {
        en: `JPEG quality about ${info.quality}; no area with a different compression history.`,
        zh: `JPEG质量约为${info.quality}；未发现压缩历史不一致的区域。`,
      },
      details,
    );
  }
  const regions = anomalies.slice(0, 3).map((a) => {
    const r = cellBoxToRegion(a.box, grid.cell, 1, 1, read);
    return { x: r.x + read.x, y: r.y + read.y, w: r.w, h: r.h };
  });
  // A comb broken in one place is clear evidence in the forensic literature; still a hint here.
  const strength = round2(0.2 + 0.25 * clamp(best.score, 0, 1));
  return {
    id,
    family: 'manipulation',
    strength,
    reason: {
      en: 'Part of the image lacks the double-compression traces found in the rest of the JPEG, as if it was pasted in before the last save.',
      zh: '图像局部缺少其余部分具有的二次JPEG压缩痕迹，疑似在最后一次保存前被粘贴进来。',
    },
    regions,
    details,
  };
}

function tableDetails(info: JpegQuantInfo): Record<string, unknown> {
  return {
    quality: info.quality,
    standardTables: info.standardTables,
    tableFitError: info.fitError,
    progressive: info.progressive,
    sampling: `${info.sampling.h}x${info.sampling.v}`,
  };
}

function gridDetails(grid: GridFinding): Record<string, unknown> {
  return {
    gridPhase: grid.phase,
    blockiness: grid.blockiness,
    combStrength: grid.combStrength,
    doubleQuantised: grid.doubleQuantised,
  };
}

/** The noise-consistency signal from the per-cell noise analysis. */
export function noiseSignal(
  noise: NoiseFinding,
  scale: { x: number; y: number },
  bounds: { width: number; height: number },
): Signal {
  const id = 'manipulation.noise_inconsistency';
  const details = {
    noiseLevel: noise.level,
    spread: noise.spread,
    cells: noise.validCells,
    outliers: noise.anomalies
      .slice(0, 3)
      .map((a) => ({ ratio: a.ratio, z: a.z, cells: a.box.area })),
  };
  const best = noise.anomalies[0];
  const strength = best ? noiseStrength(best.z, best.box.area, noise.validCells) : 0;
  if (!best || strength === 0) {
    return quiet(
      id,
      {
        en: 'The noise level is consistent across the photo.',
        zh: '照片各处的噪声水平一致。',
      },
      details,
    );
  }
  const regions = noise.anomalies
    .filter((a) => noiseStrength(a.z, a.box.area, noise.validCells) > 0)
    .slice(0, 3)
    .map((a) => cellBoxToRegion(a.box, noise.cell, scale.x, scale.y, bounds));
  const smoother = best.ratio < 1;
  const ratio = smoother ? 1 / best.ratio : best.ratio;
  return {
    id,
    family: 'manipulation',
    strength,
    reason: {
      en: `An area is ${ratio.toFixed(1)}× ${smoother ? 'smoother' : 'noisier'} than the rest of the photo, as happens with a patch from another photo or a painted-over area.`,
      zh: `某区域的噪声比照片其余部分${smoother ? '低' : '高'}约${ratio.toFixed(1)}倍，可能是来自其他照片的拼接或被涂抹的区域。`,
    },
    regions,
    details,
  };
}

/**
 * Only clear, compact outliers count. In compressed photos JPEG flattens the
 * noise of smooth areas and sharpening lifts it in textured ones, which puts
 * natural cells up to about 11 robust deviations off in the dev set; the
 * scale starts beyond that, so a genuine photo stays at zero.
 */
function noiseStrength(z: number, cells: number, validCells: number): number {
  const severity = clamp((Math.abs(z) - 11) / 6, 0, 1);
  const size = clamp((cells - 2) / 4, 0, 1) * (cells <= validCells * 0.2 ? 1 : 0.5);
  return round2(0.3 * severity * size);
}

/** The copy-move signal from the clone search. */
export function copyMoveSignal(
  result: CopyMoveResult,
  scale: { x: number; y: number },
  bounds: { width: number; height: number },
): Signal {
  const id = 'manipulation.copy_move';
  const f = result.finding;
  const details: Record<string, unknown> = {
    candidates: result.candidates.slice(0, 4),
    workScale: result.workScale,
  };
  const strength = f ? copyMoveStrength(f.support, f.correlation, f.surround) : 0;
  if (!f || strength === 0) {
    return quiet(
      id,
      {
        en: 'No area of the image is a copy of another area.',
        zh: '未发现图像中有区域复制自同一图像的其他位置。',
      },
      details,
    );
  }
  const toRegion = (r: Region): Region => {
    const x = Math.max(0, Math.floor(r.x * scale.x));
    const y = Math.max(0, Math.floor(r.y * scale.y));
    return {
      x,
      y,
      w: Math.max(1, Math.min(bounds.width, Math.ceil((r.x + r.w) * scale.x)) - x),
      h: Math.max(1, Math.min(bounds.height, Math.ceil((r.y + r.h) * scale.y)) - y),
    };
  };
  const a = toRegion(f.a);
  const b = toRegion(f.b);
  return {
    id,
    family: 'manipulation',
    strength,
    reason: {
      en: 'Two areas of the image match pixel for pixel at a fixed offset: one is most likely a copy of the other, pasted to hide or duplicate something.',
      zh: '图像中有两块区域在固定位移下逐像素一致：其中一块很可能是另一块的复制粘贴，用于遮盖或复制内容。',
    },
    regions: [a, b],
    details: {
      ...details,
      pair: [a, b],
      displacement: {
        dx: Math.round(f.displacement.dx * scale.x),
        dy: Math.round(f.displacement.dy * scale.y),
      },
      correlation: f.correlation,
      offPeak: f.offPeak,
      surround: f.surround,
      support: f.support,
    },
  };
}

/** Moderate at most: needs a sizeable area (blocks voting for it ≳ 0.6 % of all), a close match and a clean border. */
function copyMoveStrength(support: number, correlation: number, surround: number): number {
  const size = clamp((support - 0.006) / 0.007, 0, 1);
  const match = clamp((correlation - 0.5) / 0.35, 0, 1);
  const clean = 1 - clamp((surround - 0.15) / 0.35, 0, 1);
  const s = 0.65 * Math.sqrt(size * match) * clean;
  return s < 0.02 ? 0 : round2(s);
}

/** The (weak) error-level signal from the error-level map of the analysis pixels. */
export function errorLevelSignal(
  map: RasterImage,
  grey: GreyImage,
  scale: { x: number; y: number },
  bounds: { width: number; height: number },
): Signal {
  const id = 'manipulation.error_level';
  const { cell, anomalies } = errorLevelAnomalies(map, grey.data);
  // Texture makes the map light up; only outliers far beyond what photos show (about 8) count.
  const strong = anomalies
    .filter((a) => Math.abs(a.z) >= 9)
    .sort((a, b) => Math.abs(b.z) * b.box.area - Math.abs(a.z) * a.box.area);
  const details = { outliers: anomalies.slice(0, 3).map((a) => ({ z: a.z, cells: a.box.area })) };
  const best = strong[0];
  if (!best) {
    return quiet(
      id,
      {
        en: 'The error-level map shows nothing out of line.',
        zh: '误差水平分析图未见异常。',
      },
      details,
    );
  }
  return {
    id,
    family: 'manipulation',
    // Never more than a nudge: the map is for the reviewer's eyes.
    strength: round2(0.05 + 0.05 * clamp((Math.abs(best.z) - 9) / 6, 0, 1)),
    reason: {
      en: 'The error-level map shows an area that recompresses unlike its surroundings (a weak hint; see the map).',
      zh: '误差水平分析图显示某区域的再压缩表现与周围不同（弱线索，请查看该图）。',
    },
    regions: [cellBoxToRegion(best.box, cell, scale.x, scale.y, bounds)],
    details,
  };
}

function quiet(id: string, reason: LocalizedText, details?: Record<string, unknown>): Signal {
  return { id, family: 'manipulation', strength: 0, reason, ...(details ? { details } : {}) };
}

function round2(v: number): number {
  return Math.round(v * 100) / 100;
}
