/**
 * Robust statistics over masked float images without sorting large arrays.
 */

/** q-quantile of |values| inside `mask` (every `step`-th pixel), by a fine histogram. */
export function absQuantile(values: Float32Array, mask: Uint8Array, q: number, step = 2): number {
  const bins = 4096;
  const scale = 16;
  const hist = new Uint32Array(bins);
  let n = 0;
  for (let i = 0; i < values.length; i += step) {
    if (!mask[i]) continue;
    hist[Math.min(bins - 1, Math.floor(Math.abs(values[i]!) * scale))]!++;
    n++;
  }
  if (n === 0) return Number.NaN;
  const target = q * n;
  let acc = 0;
  for (let b = 0; b < bins; b++) {
    acc += hist[b]!;
    if (acc >= target) return (b + 0.5) / scale;
  }
  return bins / scale;
}

/** q-quantile of a short list of numbers. */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const s = Float64Array.from(values).sort();
  return s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
}

/** Median of 8-bit-range values inside `mask` (every other pixel). */
export function medianInMask(data: Float32Array, mask: Uint8Array): number {
  const hist = new Uint32Array(256);
  let n = 0;
  for (let i = 0; i < data.length; i += 2) {
    if (!mask[i]) continue;
    hist[Math.min(255, Math.max(0, Math.round(data[i]!)))]!++;
    n++;
  }
  let acc = 0;
  for (let v = 0; v < 256; v++) {
    acc += hist[v]!;
    if (acc >= n / 2) return v;
  }
  return 128;
}
