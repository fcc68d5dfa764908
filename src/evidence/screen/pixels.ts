/**
 * Pixel helpers for the screen cues: luminance, per-pixel flatness and the
 * dominant flat colours of a canvas.
 */
import type { RasterImage } from '../model.js';

/** BT.601 luma as floats. */
export function luma(image: RasterImage): Float32Array {
  const { width, height, channels, data } = image;
  const out = new Float32Array(width * height);
  if (channels === 1) for (let i = 0; i < out.length; i++) out[i] = data[i]!;
  else
    for (let i = 0, j = 0; i < out.length; i++, j += channels)
      out[i] = 0.299 * data[j]! + 0.587 * data[j + 1]! + 0.114 * data[j + 2]!;
  return out;
}

/**
 * 1 where a pixel equals its right and lower neighbours within `tol` in
 * every channel: rendered UI is flat to the last bit, a sensor never is.
 */
export function flatMask(image: RasterImage, tol = 3): Uint8Array {
  const { width, height, channels, data } = image;
  const out = new Uint8Array(width * height);
  const row = width * channels;
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const p = (y * width + x) * channels;
      const r = x + 1 < width ? p + channels : p - channels;
      const d = y + 1 < height ? p + row : p - row;
      let flat = 1;
      for (let c = 0; c < Math.min(3, channels); c++) {
        const v = data[p + c]!;
        if (Math.abs(v - data[r + c]!) > tol || Math.abs(v - data[d + c]!) > tol) {
          flat = 0;
          break;
        }
      }
      out[y * width + x] = flat;
    }
  return out;
}

/** A colour with the share of sampled pixels close to it. */
export interface DominantColour {
  rgb: [number, number, number];
  share: number;
}

/**
 * The most common flat colours in rows `y0`–`y1` (exclusive; default the
 * whole image), quantised to 16 levels per channel then averaged within the
 * bin, most common first; `share` is relative to all pixels of those rows.
 */
export function dominantColours(
  image: RasterImage,
  flat: Uint8Array,
  count = 3,
  y0 = 0,
  y1 = image.height,
): DominantColour[] {
  const { data, channels } = image;
  const n = new Uint32Array(4096);
  const sums = new Float64Array(4096 * 3);
  const total = (y1 - y0) * image.width;
  for (let i = y0 * image.width; i < y1 * image.width; i++) {
    if (flat[i] === 0) continue;
    const p = i * channels;
    const r = data[p]!;
    const g = channels === 1 ? r : data[p + 1]!;
    const b = channels === 1 ? r : data[p + 2]!;
    const key = ((r >> 4) << 8) | ((g >> 4) << 4) | (b >> 4);
    n[key] = n[key]! + 1;
    sums[key * 3] = sums[key * 3]! + r;
    sums[key * 3 + 1] = sums[key * 3 + 1]! + g;
    sums[key * 3 + 2] = sums[key * 3 + 2]! + b;
  }
  const keys: number[] = [];
  for (let k = 0; k < 4096; k++) if (n[k]! > 0) keys.push(k);
  return keys
    .sort((a, b) => n[b]! - n[a]!)
    .slice(0, count)
    .map((k) => ({
      rgb: [0, 1, 2].map((c) => Math.round(sums[k * 3 + c]! / n[k]!)) as [number, number, number],
      share: total > 0 ? n[k]! / total : 0,
    }));
}

/** Clamps to [lo, hi]. */
export function clamp(value: number, lo: number, hi: number): number {
  return value < lo ? lo : value > hi ? hi : value;
}

/** Median of a numeric list (copied, not reordered). */
export function median(values: ArrayLike<number>): number {
  if (values.length === 0) return 0;
  const sorted = Float64Array.from(values).sort();
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
