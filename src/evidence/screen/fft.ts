/**
 * A small radix-2 FFT, enough for the power spectrum of image tiles.
 */

/** In-place complex FFT of length n (a power of two) over `re`/`im` starting at `offset` with `stride`. */
export function fft(re: Float64Array, im: Float64Array, n: number, offset = 0, stride = 1): void {
  // Bit-reversal permutation.
  for (let i = 1, j = 0; i < n; i++) {
    let bit = n >> 1;
    for (; j & bit; bit >>= 1) j ^= bit;
    j ^= bit;
    if (i < j) {
      const a = offset + i * stride;
      const b = offset + j * stride;
      const tr = re[a]!;
      const ti = im[a]!;
      re[a] = re[b]!;
      im[a] = im[b]!;
      re[b] = tr;
      im[b] = ti;
    }
  }
  for (let len = 2; len <= n; len <<= 1) {
    const ang = (-2 * Math.PI) / len;
    const wr = Math.cos(ang);
    const wi = Math.sin(ang);
    for (let i = 0; i < n; i += len) {
      let cr = 1;
      let ci = 0;
      for (let k = 0; k < len / 2; k++) {
        const a = offset + (i + k) * stride;
        const b = offset + (i + k + len / 2) * stride;
        const xr = re[b]! * cr - im[b]! * ci;
        const xi = re[b]! * ci + im[b]! * cr;
        re[b] = re[a]! - xr;
        im[b] = im[a]! - xi;
        re[a] = re[a]! + xr;
        im[a] = im[a]! + xi;
        const t = cr * wr - ci * wi;
        ci = cr * wi + ci * wr;
        cr = t;
      }
    }
  }
}

/** Power spectrum of an n×n real tile (row-major), DC at index 0. */
export function powerSpectrum(tile: Float64Array, n: number): Float64Array {
  const re = Float64Array.from(tile);
  const im = new Float64Array(n * n);
  for (let y = 0; y < n; y++) fft(re, im, n, y * n, 1);
  for (let x = 0; x < n; x++) fft(re, im, n, x, n);
  const out = new Float64Array(n * n);
  for (let i = 0; i < out.length; i++) out[i] = re[i]! * re[i]! + im[i]! * im[i]!;
  return out;
}
