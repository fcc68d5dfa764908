/**
 * Local noise level from a high-pass residual. A camera leaves noise of a
 * similar level everywhere in a photo (for a given brightness); a patch from
 * another photo, or a repainted or smoothed area, often does not. We measure
 * the residual of Immerkær's Laplacian-difference kernel, which cancels
 * linear shading, on the flat-ish pixels of each cell (edges and texture
 * would read as noise), model noise against brightness across the image,
 * and report compact groups of cells that sit far off that model.
 */
import {
  boxMean,
  clamp,
  downscaleGrey,
  connectedComponents,
  median,
  type Component,
  type GreyImage,
} from './raster-ops.js';

/** A compact group of cells whose noise level is an outlier. */
export interface NoiseAnomaly {
  box: Component;
  /** Noise level inside relative to the level expected at that brightness (> 1 noisier, < 1 smoother). */
  ratio: number;
  /** Mean robust z-score of the cells inside (signed). */
  z: number;
}

/** The image's noise statistics and its outlier areas, boxes in cells of `cell` pixels (of the input). */
export interface NoiseFinding {
  cell: number;
  /** Median noise level (grey levels, from the median of Immerkær's residual). */
  level: number;
  /** Robust spread of log noise level across cells. */
  spread: number;
  validCells: number;
  anomalies: NoiseAnomaly[];
}

// For Gaussian noise of σ, Immerkær's kernel output has σ·6 (√36); its |median| is 0.6745 of that.
const MEDIAN_NORM = 1 / (6 * 0.6745);
const BINS = 96;
const MIN_SPREAD = 0.12; // log units; a very uniform image must not turn tiny wobbles into outliers

/** Estimates noise per cell and finds compact areas whose noise disagrees with the rest. */
export function analyseNoise(input: GreyImage): NoiseFinding {
  // Above ~700 pixels the analysis copy is itself a downscale, its noise already averaged;
  // halving again costs little evidence and three quarters of the time.
  const unit = Math.max(input.width, input.height) > 720 ? 2 : 1;
  const image = downscaleGrey(input, unit);
  const { width, height, data } = image;
  const cell = Math.max(16, Math.floor(Math.max(width, height) / 32));
  const cw = Math.floor(width / cell);
  const ch = Math.floor(height / cell);
  const empty = { cell: cell * unit, level: 0, spread: 0, validCells: 0, anomalies: [] };
  if (cw < 4 || ch < 4) return empty;

  // Structure, not noise: gradients of a 5×5-smoothed copy (noise shrinks fivefold, edges
  // stay). Pixels above the 60th percentile are edges or texture and are left out.
  const smooth = boxMean(data, width, height, 2);
  const gradHist = new Uint32Array(256);
  const grad = new Uint8Array(width * height);
  for (let y = 2; y < height - 2; y++)
    for (let x = 2; x < width - 2; x++) {
      const i = y * width + x;
      const g =
        Math.abs(smooth[i + 2]! - smooth[i - 2]!) +
        Math.abs(smooth[i + 2 * width]! - smooth[i - 2 * width]!);
      const b = g > 255 ? 255 : g | 0;
      grad[i] = b;
      gradHist[b] = gradHist[b]! + 1;
    }
  const gradLimit = Math.max(2, percentileOfHistogram(gradHist, 0.6));

  // Per cell, a histogram of |residual| (one bin per grey level, the last one open):
  // its median reads the noise floor and shrugs off the texture that leaks through.
  const hist = new Uint16Array(cw * ch * BINS);
  const cnt = new Float64Array(cw * ch);
  const bright = new Float64Array(cw * ch);
  for (let y = 1; y < ch * cell - 1 && y < height - 1; y++) {
    const cy = (y / cell) | 0;
    for (let x = 1; x < cw * cell - 1 && x < width - 1; x++) {
      const i = y * width + x;
      const v = data[i]!;
      if (grad[i]! > gradLimit || v < 12 || v > 243) continue; // clipped pixels have no noise
      const r =
        4 * v -
        2 * (data[i - 1]! + data[i + 1]! + data[i - width]! + data[i + width]!) +
        data[i - width - 1]! +
        data[i - width + 1]! +
        data[i + width - 1]! +
        data[i + width + 1]!;
      const c = cy * cw + ((x / cell) | 0);
      const b = Math.min(BINS - 1, Math.round(Math.abs(r)));
      hist[c * BINS + b] = hist[c * BINS + b]! + 1;
      cnt[c] = cnt[c]! + 1;
      bright[c] = bright[c]! + v;
    }
  }
  const logLevel = new Float64Array(cw * ch).fill(NaN);
  const brightness = new Float64Array(cw * ch);
  const minCount = cell * cell * 0.2;
  for (let c = 0; c < cw * ch; c++) {
    if (cnt[c]! < minCount) continue;
    const level = MEDIAN_NORM * histogramMedian(hist, c * BINS, cnt[c]!);
    logLevel[c] = Math.log(Math.max(0.05, level));
    brightness[c] = bright[c]! / cnt[c]!;
  }
  const expected = brightnessModel(logLevel, brightness);
  const residual = new Float64Array(cw * ch).fill(NaN);
  const valid: number[] = [];
  for (let c = 0; c < cw * ch; c++) {
    if (Number.isNaN(logLevel[c]!)) continue;
    residual[c] = logLevel[c]! - expected(brightness[c]!);
    valid.push(residual[c]!);
  }
  if (valid.length < 16) return { ...empty, validCells: valid.length };
  const centre = median(valid);
  const spread = Math.max(MIN_SPREAD, 1.4826 * median(valid.map((v) => Math.abs(v - centre))));
  const z = residual.map((v) => (Number.isNaN(v) ? NaN : (v - centre) / spread));

  const anomalies: NoiseAnomaly[] = [];
  for (const sign of [1, -1]) {
    const mask = new Uint8Array(cw * ch);
    // A cell is an outlier when it, and on average its defined neighbours, are far off.
    for (let cy = 0; cy < ch; cy++)
      for (let cx = 0; cx < cw; cx++) {
        const v = z[cy * cw + cx]!;
        if (Number.isNaN(v) || sign * v < 3) continue;
        mask[cy * cw + cx] = neighbourMean(z, cw, ch, cx, cy) * sign > 1.5 ? 1 : 0;
      }
    for (const box of connectedComponents(mask, cw, ch).components) {
      if (box.area < 2 || box.area > valid.length * 0.25) continue;
      let zs = 0;
      let n = 0;
      for (let cy = box.y0; cy <= box.y1; cy++)
        for (let cx = box.x0; cx <= box.x1; cx++)
          if (mask[cy * cw + cx] === 1) {
            zs += z[cy * cw + cx]!;
            n++;
          }
      const meanZ = zs / n;
      anomalies.push({
        box,
        ratio: Math.round(Math.exp(meanZ * spread) * 100) / 100,
        z: Math.round(meanZ * 100) / 100,
      });
    }
  }
  anomalies.sort((a, b) => Math.abs(b.z) * b.box.area - Math.abs(a.z) * a.box.area);
  return {
    cell: cell * unit,
    level:
      Math.round(Math.exp(median(Array.from(logLevel).filter((v) => !Number.isNaN(v)))) * 100) /
      100,
    spread: Math.round(spread * 1000) / 1000,
    validCells: valid.length,
    anomalies,
  };
}

/** Median of one cell's histogram, interpolated within the bin (levels are integers). */
function histogramMedian(hist: Uint16Array, start: number, total: number): number {
  let acc = 0;
  for (let b = 0; b < BINS; b++) {
    const n = hist[start + b]!;
    if (acc + n >= total / 2) return Math.max(0.25, b - 0.5 + (total / 2 - acc) / Math.max(1, n));
    acc += n;
  }
  return BINS;
}

function percentileOfHistogram(hist: Uint32Array, p: number): number {
  let total = 0;
  for (const v of hist) total += v;
  let acc = 0;
  for (let i = 0; i < hist.length; i++) {
    acc += hist[i]!;
    if (acc >= total * p) return i;
  }
  return hist.length - 1;
}

/** Noise rises with brightness (shot noise) and falls in the shadows; a per-band median captures it. */
function brightnessModel(logLevel: Float64Array, brightness: Float64Array): (b: number) => number {
  const bands = 8;
  const perBand: number[][] = Array.from({ length: bands }, () => []);
  const all: number[] = [];
  for (let c = 0; c < logLevel.length; c++) {
    const v = logLevel[c]!;
    if (Number.isNaN(v)) continue;
    perBand[clamp(Math.floor((brightness[c]! / 256) * bands), 0, bands - 1)]!.push(v);
    all.push(v);
  }
  const global = median(all);
  // Bands with few cells fall back to the global median rather than trusting a handful.
  const level = perBand.map((b) => (b.length >= 8 ? median(b) : global));
  return (b) => level[clamp(Math.floor((b / 256) * bands), 0, bands - 1)]!;
}

function neighbourMean(z: Float64Array, cw: number, ch: number, cx: number, cy: number): number {
  let s = 0;
  let n = 0;
  for (let dy = -1; dy <= 1; dy++)
    for (let dx = -1; dx <= 1; dx++) {
      const x = cx + dx;
      const y = cy + dy;
      if (x < 0 || y < 0 || x >= cw || y >= ch) continue;
      const v = z[y * cw + x]!;
      if (!Number.isNaN(v)) {
        s += v;
        n++;
      }
    }
  return n > 0 ? s / n : 0;
}
