/**
 * The 8×8 DCT-II with JPEG's scaling (orthonormal), restricted to the low
 * frequencies the forensics read: the first 15 coefficients in zigzag order
 * are exactly those with u + v ≤ 4, which costs a fifth of a full transform.
 */

const COS = new Float64Array(64);
for (let u = 0; u < 8; u++) {
  const c = u === 0 ? Math.SQRT1_2 / 2 : 0.5;
  for (let x = 0; x < 8; x++) COS[u * 8 + x] = c * Math.cos(((2 * x + 1) * u * Math.PI) / 16);
}

/** Highest u + v computed by `dctLow`. */
export const LOW_ORDER = 4;

/**
 * Computes the coefficients with u + v ≤ 4 of the 8×8 block whose top-left
 * pixel is `offset` in `src` (row stride `stride`), level-shifted by 128,
 * into `out` at natural index v·8 + u. `tmp` needs 40 entries.
 */
export function dctLow(
  src: Float32Array,
  offset: number,
  stride: number,
  out: Float64Array,
  tmp: Float64Array,
): void {
  for (let y = 0; y < 8; y++) {
    const row = offset + y * stride;
    const p0 = src[row]! - 128;
    const p1 = src[row + 1]! - 128;
    const p2 = src[row + 2]! - 128;
    const p3 = src[row + 3]! - 128;
    const p4 = src[row + 4]! - 128;
    const p5 = src[row + 5]! - 128;
    const p6 = src[row + 6]! - 128;
    const p7 = src[row + 7]! - 128;
    for (let u = 0; u <= LOW_ORDER; u++) {
      const c = u * 8;
      tmp[y * 5 + u] =
        COS[c]! * p0 +
        COS[c + 1]! * p1 +
        COS[c + 2]! * p2 +
        COS[c + 3]! * p3 +
        COS[c + 4]! * p4 +
        COS[c + 5]! * p5 +
        COS[c + 6]! * p6 +
        COS[c + 7]! * p7;
    }
  }
  for (let u = 0; u <= LOW_ORDER; u++)
    for (let v = 0; v <= LOW_ORDER - u; v++) {
      const c = v * 8;
      let s = 0;
      for (let y = 0; y < 8; y++) s += COS[c + y]! * tmp[y * 5 + u]!;
      out[v * 8 + u] = s;
    }
}
