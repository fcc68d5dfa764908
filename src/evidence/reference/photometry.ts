/**
 * Photometric model of "the claim is the warped reference after global
 * colour edits": a tone curve (gamma, contrast, brightness, colour cast) and
 * a smooth multiplicative gain field (vignetting, screen falloff), both fitted
 * robustly so that local edits do not bend them.
 */
import type { FloatImage } from './raster.js';

const BINS = 64;

/** A fitted mapping from reference intensity and position to claim intensity. */
export interface ToneModel {
  /** Claim intensity for each reference intensity 0..255 (before the gain field). */
  curve: Float32Array;
  /** Quadratic gain field coefficients over normalised x, y in [-1, 1]. */
  gain: number[];
}

/** Median of a 256-bin histogram slice. */
function histMedian(hist: Uint32Array, offset: number, total: number): number {
  let acc = 0;
  const half = total / 2;
  for (let v = 0; v < 256; v++) {
    acc += hist[offset + v]!;
    if (acc >= half) return v;
  }
  return 255;
}

/**
 * Tone curve by per-bin medians of the claim given the reference value,
 * optionally dividing the claim by a gain field first.
 */
export function fitCurve(
  claim: FloatImage,
  ref: FloatImage,
  mask: Uint8Array,
  gain?: Float32Array,
): Float32Array {
  const hist = new Uint32Array(BINS * 256);
  const count = new Uint32Array(BINS);
  const n = claim.data.length;
  for (let i = 0; i < n; i++) {
    if (!mask[i]) continue;
    const r = ref.data[i]!;
    const b = Math.min(BINS - 1, Math.max(0, (r * BINS) / 256) | 0);
    let c = claim.data[i]!;
    if (gain) c /= gain[i]!;
    const level = c <= 0 ? 0 : c >= 255 ? 255 : (c + 0.5) | 0;
    hist[b * 256 + level]!++;
    count[b]!++;
  }
  const centres: number[] = [];
  const values: number[] = [];
  for (let b = 0; b < BINS; b++) {
    if (count[b]! < 6) continue;
    centres.push(((b + 0.5) * 256) / BINS);
    values.push(histMedian(hist, b * 256, count[b]!));
  }
  const curve = new Float32Array(256);
  if (centres.length === 0) {
    for (let v = 0; v < 256; v++) curve[v] = v;
    return curve;
  }
  // Piecewise-linear through the bin medians, flat beyond the observed range.
  let k = 0;
  for (let v = 0; v < 256; v++) {
    while (k < centres.length - 1 && centres[k + 1]! < v) k++;
    if (v <= centres[0]!) curve[v] = values[0]!;
    else if (k >= centres.length - 1) curve[v] = values[values.length - 1]!;
    else {
      const t = (v - centres[k]!) / (centres[k + 1]! - centres[k]!);
      curve[v] = values[k]! * (1 - t) + values[k + 1]! * t;
    }
  }
  return curve;
}

/** Applies a curve to a float image with linear interpolation between levels. */
export function applyCurve(curve: Float32Array, ref: FloatImage): Float32Array {
  const out = new Float32Array(ref.data.length);
  for (let i = 0; i < out.length; i++) {
    const r = Math.min(255, Math.max(0, ref.data[i]!));
    const lo = Math.floor(r);
    const hi = Math.min(255, lo + 1);
    const t = r - lo;
    out[i] = curve[lo]! * (1 - t) + curve[hi]! * t;
  }
  return out;
}

/** Solves a small dense linear system by Gaussian elimination with pivoting. */
function solve(a: number[][], b: number[]): number[] | undefined {
  const n = b.length;
  const m = a.map((row, i) => [...row, b[i]!]);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(m[r]![c]!) > Math.abs(m[p]![c]!)) p = r;
    if (Math.abs(m[p]![c]!) < 1e-12) return undefined;
    [m[c], m[p]] = [m[p]!, m[c]!];
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = m[r]![c]! / m[c]![c]!;
      for (let k = c; k <= n; k++) m[r]![k]! -= f * m[c]![k]!;
    }
  }
  return m.map((row, i) => row[n]! / row[i]!);
}

function basis(x: number, y: number): number[] {
  return [1, x, y, x * x, x * y, y * y];
}

/**
 * Fits a quadratic gain field claim ≈ g(x, y)·mapped over blocks, trimming
 * blocks that disagree (edits) before the final solve.
 */
export function fitGainField(
  claim: FloatImage,
  mapped: Float32Array,
  mask: Uint8Array,
  grid = 10,
): number[] {
  const { width, height } = claim;
  const cells: { x: number; y: number; g: number; w: number }[] = [];
  const bw = width / grid;
  const bh = height / grid;
  for (let gy = 0; gy < grid; gy++) {
    for (let gx = 0; gx < grid; gx++) {
      let scm = 0,
        smm = 0,
        cnt = 0;
      const x0 = Math.floor(gx * bw),
        x1 = Math.floor((gx + 1) * bw);
      const y0 = Math.floor(gy * bh),
        y1 = Math.floor((gy + 1) * bh);
      for (let y = y0; y < y1; y++) {
        for (let x = x0; x < x1; x++) {
          const i = y * width + x;
          const m = mapped[i]!;
          if (!mask[i] || m < 16) continue;
          scm += claim.data[i]! * m;
          smm += m * m;
          cnt++;
        }
      }
      if (cnt < 0.3 * (x1 - x0) * (y1 - y0) || smm <= 0) continue;
      cells.push({ x: (x0 + x1) / width - 1, y: (y0 + y1) / height - 1, g: scm / smm, w: cnt });
    }
  }
  if (cells.length < 8) return [1, 0, 0, 0, 0, 0];
  let active = cells;
  let coef = [1, 0, 0, 0, 0, 0];
  for (let iter = 0; iter < 3; iter++) {
    const ata = Array.from({ length: 6 }, () => new Array<number>(6).fill(0));
    const atb = new Array<number>(6).fill(0);
    for (const c of active) {
      const f = basis(c.x, c.y);
      for (let i = 0; i < 6; i++) {
        atb[i]! += c.w * f[i]! * c.g;
        for (let j = 0; j < 6; j++) ata[i]![j]! += c.w * f[i]! * f[j]!;
      }
    }
    // A little ridge toward "no field" keeps sparse coverage from extrapolating wildly.
    const wsum = active.reduce((s, c) => s + c.w, 0);
    for (let i = 1; i < 6; i++) ata[i]![i]! += 0.02 * wsum;
    const sol = solve(ata, atb);
    if (!sol) break;
    coef = sol;
    const res = cells.map((c) =>
      Math.abs(c.g - basis(c.x, c.y).reduce((s, f, i) => s + f * coef[i]!, 0)),
    );
    const sorted = res.slice().sort((a, b) => a - b);
    const mad = sorted[sorted.length >> 1]! * 1.4826 + 0.01;
    active = cells.filter((_, i) => res[i]! < 2.5 * mad);
    if (active.length < 8) break;
  }
  return coef;
}

/** Evaluates a gain field at every pixel. */
export function gainImage(coef: number[], width: number, height: number): Float32Array {
  const out = new Float32Array(width * height);
  for (let y = 0; y < height; y++) {
    const ny = (2 * y + 1) / height - 1;
    for (let x = 0; x < width; x++) {
      const nx = (2 * x + 1) / width - 1;
      const g =
        coef[0]! +
        coef[1]! * nx +
        coef[2]! * ny +
        coef[3]! * nx * nx +
        coef[4]! * nx * ny +
        coef[5]! * ny * ny;
      out[y * width + x] = Math.min(3, Math.max(0.2, g));
    }
  }
  return out;
}
