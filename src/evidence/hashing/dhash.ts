/**
 * Cheap gradient and block hashes for shortlisting: dHash (64 and 256 bits)
 * and a block-mean hash. Unlike PDQ they do not survive rotation or mirroring.
 */
import type { RasterImage } from '../model.js';
import { reducedLumaFromRaster, reductionFactor, resampleArea, type LumaPlane } from './luma.js';

function packBits(bits: readonly boolean[]): Uint8Array {
  const out = new Uint8Array(Math.ceil(bits.length / 8));
  // Most significant bit first, so the hex form reads left to right like the grid.
  bits.forEach((bit, k) => {
    if (bit) out[k >> 3]! |= 0x80 >> (k & 7);
  });
  return out;
}

function dHashOfPlane(luma: LumaPlane, side: number): Uint8Array {
  const small = resampleArea(luma, side + 1, side);
  const bits: boolean[] = [];
  for (let y = 0; y < side; y++)
    for (let x = 0; x < side; x++)
      bits.push(small.data[y * (side + 1) + x + 1]! > small.data[y * (side + 1) + x]!);
  return packBits(bits);
}

/** 64-bit dHash: 9×8 area-averaged luminance, one bit per horizontal pair (right brighter than left). */
export function dHash64(image: RasterImage): Uint8Array {
  return dHashOfPlane(checkedLuma(image), 8);
}

/** 256-bit dHash on a 17×16 grid: finer detail, for the same shortlisting role as {@link dHash64}. */
export function dHash256(image: RasterImage): Uint8Array {
  return dHashOfPlane(checkedLuma(image), 16);
}

/** 256-bit block-mean hash: 16×16 block means, one bit per block above their median. */
export function blockMeanHash(image: RasterImage): Uint8Array {
  const small = resampleArea(checkedLuma(image), 16, 16);
  const sorted = Float32Array.from(small.data).sort();
  const median = (sorted[127]! + sorted[128]!) / 2;
  return packBits(Array.from(small.data, (v) => v > median));
}

// These grids are at most 17 wide, so 256 px of block-averaged luminance loses nothing they can see.
const WORKING_SIDE = 256;

function checkedLuma(image: RasterImage): LumaPlane {
  if (image.width < 1 || image.height < 1) throw new RangeError('cannot hash an empty image');
  return reducedLumaFromRaster(image, reductionFactor(image.width, image.height, WORKING_SIDE));
}
