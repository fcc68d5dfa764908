/**
 * PDQ, Meta's 256-bit perceptual hash, ported step for step from the
 * ThreatExchange reference (pdq/cpp/hashing/pdqhashing.cpp and
 * pdq/cpp/downscaling/downscaling.cpp): luminance, a Jarosz tent filter
 * (two box passes along each axis), decimation to 64×64, the 16×16 corner of
 * the DCT, and one bit per coefficient above the median. Arithmetic is done
 * in float32 (Math.fround) where the reference uses `float`, so hashes match
 * it bit for bit on the published test vector.
 */
import type { RasterImage } from '../model.js';
import { reducedLumaFromRaster, reductionFactor, type LumaPlane } from './luma.js';

/** A PDQ hash: 32 bytes whose hex form is the reference's text form. */
export interface PdqHash {
  hash: Uint8Array;
  /** The reference's 0–100 gradient score; below 50 the hash says little about the image. */
  quality: number;
}

/** The eight rotations and mirror images PDQ can hash from one DCT. */
export type DihedralTransform =
  | 'original'
  | 'rotate90'
  | 'rotate180'
  | 'rotate270'
  | 'flipX'
  | 'flipY'
  | 'flipPlus1'
  | 'flipMinus1';

/**
 * The reference's order of dihedral variants. `rotate90` is the image turned a
 * quarter counter-clockwise; `flipX` mirrors top to bottom, `flipY` left to
 * right; `flipPlus1` is the transpose and `flipMinus1` the anti-transpose.
 */
export const DIHEDRAL_TRANSFORMS: readonly DihedralTransform[] = Object.freeze([
  'original',
  'rotate90',
  'rotate180',
  'rotate270',
  'flipX',
  'flipY',
  'flipPlus1',
  'flipMinus1',
]);

/** PDQ hashes of an image and of its seven rotations and mirror images, in {@link DIHEDRAL_TRANSFORMS} order. */
export interface PdqDihedral {
  hashes: Uint8Array[];
  quality: number;
}

/** Options for the PDQ hashers. */
export interface PdqOptions {
  /**
   * Larger images are first averaged down by a whole factor until their
   * longer side is at most this (default 512, the size the Python reference
   * thumbnails to), bounding time and memory; the tent filter that follows
   * makes the difference a bit or two at most. Pass Infinity for the C++
   * reference's exact full-resolution hash.
   */
  maxSide?: number;
}

const f = Math.fround;
const MIN_HASHABLE_DIM = 5;
const JAROSZ_PASSES = 2;
const DEFAULT_MAX_SIDE = 512;

// Rows 1..16 of the 64-point DCT-II basis (row 0, the mean, is skipped), as float32.
const DCT_MATRIX: Float32Array = (() => {
  const matrix = new Float32Array(16 * 64);
  const scale = f(Math.sqrt(2 / 64));
  for (let i = 0; i < 16; i++)
    for (let j = 0; j < 64; j++)
      matrix[i * 64 + j] = scale * Math.cos((Math.PI / 2 / 64) * (i + 1) * (2 * j + 1));
  return matrix;
})();

/** PDQ hash and quality of an image. */
export function pdqHash(image: RasterImage, options: PdqOptions = {}): PdqHash {
  const dct = pdqDct(image, options);
  if (!dct) return { hash: new Uint8Array(32), quality: 0 };
  return { hash: bitsAboveMedian(dct.coefficients), quality: dct.quality };
}

/** PDQ hashes of the image and its seven dihedral variants, all from one DCT as the reference computes them. */
export function pdqDihedral(image: RasterImage, options: PdqOptions = {}): PdqDihedral {
  const dct = pdqDct(image, options);
  if (!dct) return { hashes: DIHEDRAL_TRANSFORMS.map(() => new Uint8Array(32)), quality: 0 };
  return {
    hashes: DIHEDRAL_TRANSFORMS.map((transform) =>
      bitsAboveMedian(transformDct(dct.coefficients, transform)),
    ),
    quality: dct.quality,
  };
}

/**
 * Approximate dihedral variants from a hash alone, for when the image is gone.
 * Exact variants need the DCT's signs relative to its median; this assumes the
 * median is near zero, so a negated coefficient flips its bit. Expect a few
 * bits more error than {@link pdqDihedral}.
 */
export function pdqDihedralFromHash(hash: Uint8Array): Uint8Array[] {
  if (hash.length !== 32) throw new RangeError(`a PDQ hash has 32 bytes, got ${hash.length}`);
  const signs = new Float32Array(256);
  for (let k = 0; k < 256; k++) signs[k] = getBit(hash, k) ? 1 : -1;
  return DIHEDRAL_TRANSFORMS.map((transform) => {
    const moved = transformDct(signs, transform);
    const out = new Uint8Array(32);
    for (let k = 0; k < 256; k++) if (moved[k]! > 0) setBit(out, k);
    return out;
  });
}

interface Dct {
  coefficients: Float32Array;
  quality: number;
}

function pdqDct(image: RasterImage, options: PdqOptions): Dct | undefined {
  if (image.width < MIN_HASHABLE_DIM || image.height < MIN_HASHABLE_DIM) return undefined;
  const maxSide = options.maxSide ?? DEFAULT_MAX_SIDE;
  if (!(maxSide >= MIN_HASHABLE_DIM))
    throw new RangeError(`maxSide must be at least ${MIN_HASHABLE_DIM}`);
  const luma = reducedLumaFromRaster(image, reductionFactor(image.width, image.height, maxSide));
  const block = jaroszDownsample64(luma);
  return { coefficients: dct64To16(block), quality: imageDomainQuality(block) };
}

/** The 64×64 tent-filtered, decimated luminance that PDQ takes its DCT of (exposed for tests and debugging views). */
export function jaroszDownsample64(luma: LumaPlane): Float32Array {
  const { width: cols, height: rows } = luma;
  if (rows === 64 && cols === 64) return Float32Array.from(luma.data);
  const buffer1 = Float32Array.from(luma.data);
  const buffer2 = new Float32Array(rows * cols);
  const sums = new Float32Array(Math.max(rows, cols));
  const windowAlongRows = jaroszWindowSize(cols, 64);
  const windowAlongCols = jaroszWindowSize(rows, 64);
  for (let pass = 0; pass < JAROSZ_PASSES; pass++) {
    boxFilter(buffer1, buffer2, rows, cols, cols, 1, windowAlongRows, sums);
    boxFilter(buffer2, buffer1, cols, 1, rows, cols, windowAlongCols, sums);
  }
  // Sample the centre of each of the 64×64 target cells.
  const out = new Float32Array(64 * 64);
  for (let oi = 0; oi < 64; oi++) {
    const ii = Math.trunc(((oi + 0.5) * rows) / 64);
    for (let oj = 0; oj < 64; oj++) {
      const ij = Math.trunc(((oj + 0.5) * cols) / 64);
      out[oi * 64 + oj] = buffer1[ii * cols + ij]!;
    }
  }
  return out;
}

/** Half the cell size, rounded up: two passes of this box make a tent as wide as one 64th of the side. */
function jaroszWindowSize(oldDimension: number, newDimension: number): number {
  return Math.trunc((oldDimension + 2 * newDimension - 1) / (2 * newDimension));
}

/**
 * The reference's 1-D box filter (with its shrinking windows at both ends)
 * run over `lanes` vectors at once: vector l starts at l·laneStride and
 * advances by `step`. Each vector's float32 sums are formed in exactly the
 * reference's order; interleaving the independent vectors only lets the CPU
 * overlap them instead of waiting on one long chain of rounded additions.
 */
function boxFilter(
  input: Float32Array,
  output: Float32Array,
  lanes: number,
  laneStride: number,
  length: number,
  step: number,
  fullWindow: number,
  sums: Float32Array,
): void {
  const halfWindow = Math.trunc((fullWindow + 2) / 2);
  const phase1 = halfWindow - 1;
  const phase2 = fullWindow - halfWindow + 1;
  const phase3 = length - fullWindow;
  const phase4 = halfWindow - 1;
  sums.fill(0, 0, lanes);
  let ri = 0;
  let li = 0;
  let oi = 0;
  let size = 0;
  for (let i = 0; i < phase1; i++, ri += step) {
    size++;
    for (let l = 0, p = ri; l < lanes; l++, p += laneStride) sums[l] = sums[l]! + input[p]!;
  }
  for (let i = 0; i < phase2; i++, ri += step, oi += step) {
    size++;
    for (let l = 0, p = ri, o = oi; l < lanes; l++, p += laneStride, o += laneStride) {
      const sum = f(sums[l]! + input[p]!);
      sums[l] = sum;
      output[o] = sum / size;
    }
  }
  for (let i = 0; i < phase3; i++, ri += step, li += step, oi += step) {
    for (
      let l = 0, p = ri, q = li, o = oi;
      l < lanes;
      l++, p += laneStride, q += laneStride, o += laneStride
    ) {
      const sum = f(f(sums[l]! + input[p]!) - input[q]!);
      sums[l] = sum;
      output[o] = sum / size;
    }
  }
  for (let i = 0; i < phase4; i++, li += step, oi += step) {
    size--;
    for (let l = 0, q = li, o = oi; l < lanes; l++, q += laneStride, o += laneStride) {
      const sum = f(sums[l]! - input[q]!);
      sums[l] = sum;
      output[o] = sum / size;
    }
  }
}

/** The reference's heuristic: quantised gradients summed over the 64×64 image, scaled to 0–100. */
function imageDomainQuality(block: Float32Array): number {
  let gradientSum = 0;
  for (let i = 0; i < 63; i++)
    for (let j = 0; j < 64; j++)
      gradientSum += Math.abs(quantisedStep(block[i * 64 + j]!, block[(i + 1) * 64 + j]!));
  for (let i = 0; i < 64; i++)
    for (let j = 0; j < 63; j++)
      gradientSum += Math.abs(quantisedStep(block[i * 64 + j]!, block[i * 64 + j + 1]!));
  return Math.min(100, Math.trunc(gradientSum / 90));
}

function quantisedStep(u: number, v: number): number {
  return Math.trunc(f(f(f(u - v) * 100) / 255));
}

/** B = D A Dᵀ restricted to frequencies 1–16 on each axis, summed in float32 in the reference's order. */
function dct64To16(block: Float32Array): Float32Array {
  const temp = new Float32Array(16 * 64);
  for (let i = 0; i < 16; i++) {
    for (let j = 0; j < 64; j++) {
      let sum = 0;
      for (let k = 0; k < 64; k++) sum = f(sum + f(DCT_MATRIX[i * 64 + k]! * block[k * 64 + j]!));
      temp[i * 64 + j] = sum;
    }
  }
  const out = new Float32Array(256);
  for (let i = 0; i < 16; i++) {
    for (let j = 0; j < 16; j++) {
      let sum = 0;
      for (let k = 0; k < 64; k++) sum = f(sum + f(temp[i * 64 + k]! * DCT_MATRIX[j * 64 + k]!));
      out[i * 16 + j] = sum;
    }
  }
  return out;
}

/**
 * The DCT of a rotated or mirrored image, from the original's: mirroring an
 * axis negates that axis's odd-numbered frequencies (even 0-based indices),
 * and quarter turns transpose.
 */
function transformDct(a: Float32Array, transform: DihedralTransform): Float32Array {
  const b = new Float32Array(256);
  for (let i = 0; i < 16; i++) {
    for (let j = 0; j < 16; j++) {
      const v = a[i * 16 + j]!;
      switch (transform) {
        case 'original':
          b[i * 16 + j] = v;
          break;
        case 'rotate90':
          b[j * 16 + i] = j & 1 ? v : -v;
          break;
        case 'rotate180':
          b[i * 16 + j] = (i + j) & 1 ? -v : v;
          break;
        case 'rotate270':
          b[j * 16 + i] = i & 1 ? v : -v;
          break;
        case 'flipX':
          b[i * 16 + j] = i & 1 ? v : -v;
          break;
        case 'flipY':
          b[i * 16 + j] = j & 1 ? v : -v;
          break;
        case 'flipPlus1':
          b[j * 16 + i] = v;
          break;
        case 'flipMinus1':
          b[j * 16 + i] = (i + j) & 1 ? -v : v;
          break;
      }
    }
  }
  return b;
}

/** One bit per coefficient: set when it is strictly above the (Torben) median. */
function bitsAboveMedian(coefficients: Float32Array): Uint8Array {
  const median = torbenMedian(coefficients);
  const hash = new Uint8Array(32);
  for (let k = 0; k < 256; k++) if (coefficients[k]! > median) setBit(hash, k);
  return hash;
}

/** Torben's bisection median, as in the reference (for even n, the lower middle value). */
function torbenMedian(values: Float32Array): number {
  const n = values.length;
  const half = Math.trunc((n + 1) / 2);
  let min = values[0]!;
  let max = values[0]!;
  for (const v of values) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  let guess = 0;
  let less = 0;
  let greater = 0;
  let equal = 0;
  let maxLessThanGuess = min;
  let minGreaterThanGuess = max;
  for (;;) {
    guess = f(f(min + max) / 2);
    less = 0;
    greater = 0;
    equal = 0;
    maxLessThanGuess = min;
    minGreaterThanGuess = max;
    for (const v of values) {
      if (v < guess) {
        less++;
        if (v > maxLessThanGuess) maxLessThanGuess = v;
      } else if (v > guess) {
        greater++;
        if (v < minGreaterThanGuess) minGreaterThanGuess = v;
      } else equal++;
    }
    if (less <= half && greater <= half) break;
    if (less > greater) max = maxLessThanGuess;
    else min = minGreaterThanGuess;
  }
  if (less >= half) return maxLessThanGuess;
  if (less + equal >= half) return guess;
  return minGreaterThanGuess;
}

// Bit k is bit (k & 15) of the reference's 16-bit word k >> 4; words are
// written most significant first, so word w lives in bytes 30 - 2w and 31 - 2w.
function byteOfBit(k: number): number {
  return 30 - 2 * (k >> 4) + ((k & 15) < 8 ? 1 : 0);
}

function getBit(hash: Uint8Array, k: number): boolean {
  return ((hash[byteOfBit(k)]! >> (k & 7)) & 1) === 1;
}

function setBit(hash: Uint8Array, k: number): void {
  hash[byteOfBit(k)]! |= 1 << (k & 7);
}
