/**
 * Recompression traces on the JPEG 8×8 grid, measured on luminance at the
 * file's own resolution. When a photo was saved as JPEG, decoded and saved
 * again on the same grid (aligned double quantisation), its DCT coefficient
 * histograms become comb-shaped; coefficients of an area pasted or repainted
 * before the last save fall into the comb's gaps. An area counts only when
 * the comb is clear in the image as a whole and broken in a compact part of
 * it, so a photo saved once (or resampled since) yields nothing.
 */
import { dctLow } from './block-dct.js';
import { ZIGZAG } from './jpeg-tables.js';
import { connectedComponents, median, type Component, type GreyImage } from './raster-ops.js';

/** A compact area whose compression history differs from the rest, in cells of `cell` pixels. */
export interface GridAnomaly {
  box: Component;
  kind: 'double_quantisation_missing';
  /** Mean per-coefficient log-likelihood ratio for "compressed once", capped at 1. */
  score: number;
}

/** What the 8×8 grid tells about the file's compression history. */
export interface GridFinding {
  /** Phase of the last compression's block grid (0–7 per axis). */
  phase: { x: number; y: number };
  /** Relative excess of gradient energy on the grid's block boundaries. */
  blockiness: number;
  /** Mean comb strength of the DCT histograms (0 none, ~0.05 saved once, > 0.15 comb-shaped). */
  combStrength: number;
  doubleQuantised: boolean;
  cell: number;
  anomalies: GridAnomaly[];
}

const CELL = 32;
const CLIP = 24; // strong edges say nothing about blocking; cap their weight
const ZIGZAG_FREQS = 14; // the first AC coefficients (u + v ≤ 4) carry most quantisation evidence
const K_MAX = 40;

/** Finds the grid, checks for aligned double quantisation and areas that lack it; `luma` is the file's luminance table. */
export function analyseJpegGrid(image: GreyImage, luma?: Uint16Array): GridFinding {
  const { width, height, data } = image;
  // Boundary profile from half the differences (even rows across, even columns down).
  const sumX = new Float64Array(8);
  const sumY = new Float64Array(8);
  for (let y = 1; y < height; y++) {
    const row = y * width;
    if ((y & 1) === 0)
      for (let x = 1; x < width; x++) {
        const d = Math.abs(data[row + x]! - data[row + x - 1]!);
        sumX[x & 7] = sumX[x & 7]! + (d < CLIP ? d : CLIP);
      }
    let sy = 0;
    for (let x = 0; x < width; x += 2) {
      const d = Math.abs(data[row + x]! - data[row - width + x]!);
      sy += d < CLIP ? d : CLIP;
    }
    sumY[y & 7] = sumY[y & 7]! + sy;
  }
  const px = Array.from(sumX);
  const py = Array.from(sumY);
  const phaseX = argmax(px);
  const phaseY = argmax(py);
  const blockiness = (px[phaseX]! / (median(px) || 1) + py[phaseY]! / (median(py) || 1)) / 2 - 1;
  let combStrength = 0;
  let doubleQuantised = false;
  const cw = Math.ceil(width / CELL);
  const ch = Math.ceil(height / CELL);
  const anomalies: GridAnomaly[] = [];
  if (luma && blockiness > 0.05) {
    const dq = alignedDoubleQuantisation(image, luma, phaseX, phaseY, cw, ch);
    combStrength = dq.comb;
    doubleQuantised = dq.detected;
    anomalies.push(...dq.anomalies);
  }
  return {
    phase: { x: phaseX, y: phaseY },
    blockiness: round3(blockiness),
    combStrength: round3(combStrength),
    doubleQuantised,
    cell: CELL,
    anomalies,
  };
}

function argmax(values: number[]): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i]! > values[best]!) best = i;
  return best;
}

/** Aligned double quantisation: comb-shaped histograms and the blocks whose coefficients break the comb. */
function alignedDoubleQuantisation(
  image: GreyImage,
  luma: Uint16Array,
  phaseX: number,
  phaseY: number,
  cw: number,
  ch: number,
): { comb: number; detected: boolean; anomalies: GridAnomaly[] } {
  const { width, height, data } = image;
  const bw = Math.floor((width - phaseX) / 8);
  const bh = Math.floor((height - phaseY) / 8);
  const freqs: number[] = [];
  for (let i = 1; i <= ZIGZAG_FREQS; i++) {
    const f = ZIGZAG[i]!;
    if (luma[f]! >= 2) freqs.push(f);
  }
  const nf = freqs.length;
  if (nf === 0 || bw * bh < 64) return { comb: 0, detected: false, anomalies: [] };
  const ks = new Int16Array(bw * bh * nf);
  const out = new Float64Array(64);
  const tmp = new Float64Array(40);
  for (let by = 0; by < bh; by++)
    for (let bx = 0; bx < bw; bx++) {
      dctLow(data, (phaseY + by * 8) * width + phaseX + bx * 8, width, out, tmp);
      const b = (by * bw + bx) * nf;
      for (let j = 0; j < nf; j++) {
        const f = freqs[j]!;
        const k = Math.round(out[f]! / luma[f]!);
        ks[b + j] = k > K_MAX ? K_MAX : k < -K_MAX ? -K_MAX : k;
      }
    }
  // Per frequency: histogram of |k| ≥ 1 against a geometric (Laplacian) fit.
  const span = 2 * K_MAX + 1;
  const logRatio = new Float64Array(nf * span);
  let combSum = 0;
  let combN = 0;
  const useful = new Uint8Array(nf);
  for (let j = 0; j < nf; j++) {
    const hist = new Float64Array(span);
    let n1 = 0;
    let sumAbs = 0;
    for (let b = 0; b < bw * bh; b++) {
      const k = ks[b * nf + j]!;
      hist[k + K_MAX] = hist[k + K_MAX]! + 1;
      if (k !== 0 && Math.abs(k) < K_MAX) {
        n1++;
        sumAbs += Math.abs(k);
      }
    }
    if (n1 < 200) continue;
    const r = Math.max(0, 1 - 1 / (sumAbs / n1));
    let diff = 0;
    for (let k = -K_MAX + 1; k < K_MAX; k++) {
      if (k === 0) continue;
      const expected = (n1 * (1 - r) * r ** (Math.abs(k) - 1)) / 2;
      const actual = hist[k + K_MAX]!;
      diff += Math.abs(actual - expected);
      logRatio[j * span + k + K_MAX] = Math.log((expected + 1) / (actual + 1));
    }
    const comb = diff / 2 / n1;
    combSum += comb;
    combN++;
    if (comb > 0.2) useful[j] = 1;
  }
  const comb = combN > 0 ? combSum / combN : 0;
  const usefulCount = useful.reduce((a, b) => a + b, 0);
  const detected = usefulCount >= 3 && comb > 0.15;
  if (!detected) return { comb, detected, anomalies: [] };
  // Per cell: mean evidence that coefficients come from a single compression.
  const cellSum = new Float64Array(cw * ch);
  const cellCnt = new Float64Array(cw * ch);
  for (let by = 0; by < bh; by++)
    for (let bx = 0; bx < bw; bx++) {
      const c = (((phaseY + by * 8 + 4) / CELL) | 0) * cw + (((phaseX + bx * 8 + 4) / CELL) | 0);
      for (let j = 0; j < nf; j++) {
        if (useful[j] === 0) continue;
        const k = ks[(by * bw + bx) * nf + j]!;
        if (k === 0 || Math.abs(k) >= K_MAX) continue;
        cellSum[c] = cellSum[c]! + logRatio[j * span + k + K_MAX]!;
        cellCnt[c] = cellCnt[c]! + 1;
      }
    }
  const score = new Float64Array(cw * ch).fill(NaN);
  for (let c = 0; c < score.length; c++)
    if (cellCnt[c]! >= 12) score[c] = cellSum[c]! / cellCnt[c]!;
  const smooth = smoothCells(score, cw, ch);
  const valid = Array.from(smooth).filter((v) => !Number.isNaN(v));
  if (valid.length < 12) return { comb, detected, anomalies: [] };
  const mask = new Uint8Array(cw * ch);
  for (let c = 0; c < mask.length; c++) mask[c] = smooth[c]! > 0.35 ? 1 : 0;
  const anomalies = compactComponents(mask, cw, ch, valid.length).map((box) => {
    let s = 0;
    let n = 0;
    for (let y = box.y0; y <= box.y1; y++)
      for (let x = box.x0; x <= box.x1; x++) {
        const v = smooth[y * cw + x]!;
        if (!Number.isNaN(v)) {
          s += v;
          n++;
        }
      }
    return {
      box,
      kind: 'double_quantisation_missing' as const,
      score: round3(Math.min(1, s / Math.max(1, n))),
    };
  });
  return { comb, detected, anomalies };
}

/** 3×3 mean over the defined cells (NaN = undefined, stays undefined). */
function smoothCells(values: Float64Array, cw: number, ch: number): Float64Array {
  const out = new Float64Array(values.length).fill(NaN);
  for (let y = 0; y < ch; y++)
    for (let x = 0; x < cw; x++) {
      if (Number.isNaN(values[y * cw + x]!)) continue;
      let s = 0;
      let n = 0;
      for (let dy = -1; dy <= 1; dy++)
        for (let dx = -1; dx <= 1; dx++) {
          const xx = x + dx;
          const yy = y + dy;
          if (xx < 0 || yy < 0 || xx >= cw || yy >= ch) continue;
          const v = values[yy * cw + xx]!;
          if (!Number.isNaN(v)) {
            s += v;
            n++;
          }
        }
      out[y * cw + x] = s / n;
    }
  return out;
}

/** Components of at least 2 cells that cover under a third of the analysed cells. */
function compactComponents(
  mask: Uint8Array,
  cw: number,
  ch: number,
  validCells: number,
): Component[] {
  return connectedComponents(mask, cw, ch).components.filter(
    (c) => c.area >= 2 && c.area <= validCells / 3,
  );
}

function round3(v: number): number {
  return Math.round(v * 1000) / 1000;
}
