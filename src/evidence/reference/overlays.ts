/**
 * Screenshots often crop the reference inside their canvas, so part of the
 * reference's footprint shows flat interface colour (margins, bars) instead
 * of the picture. Those rows and columns carry no evidence about edits and
 * would bend the photometric fit, so they leave the comparison mask.
 */
import { boxMean } from './filters.js';
import type { OpenCv } from './opencv.js';
import type { FloatImage } from './raster.js';

/** Local standard deviation below which the claim counts as flat interface colour. */
const FLAT_STD = 1.5;
/** Local standard deviation above which the reference counts as textured. */
const TEXTURED_STD = 4;
/** Pixels added on each side of a dropped band: JPEG and resampling smear its edge. */
const BAND_MARGIN = 5;

function localStd(cv: OpenCv, image: FloatImage, radius: number): Float32Array {
  const sq = { ...image, data: image.data.map((v) => v * v) };
  const mean = boxMean(cv, image, radius).data;
  const meanSq = boxMean(cv, sq, radius).data;
  const out = new Float32Array(mean.length);
  for (let i = 0; i < out.length; i++)
    out[i] = Math.sqrt(Math.max(0, meanSq[i]! - mean[i]! * mean[i]!));
  return out;
}

/**
 * Marks (1 = keep) the frame outside axis-aligned bands where the claim is
 * flat although the reference there is textured; `mask` is the footprint.
 */
export function maskFlatBands(
  cv: OpenCv,
  claim: FloatImage,
  ref: FloatImage,
  mask: Uint8Array,
): Uint8Array {
  const { width, height } = claim;
  const stdC = localStd(cv, claim, 2);
  const stdR = localStd(cv, ref, 2);
  const rowDrop = new Uint8Array(height);
  const colDrop = new Uint8Array(width);
  const colIn = new Uint32Array(width),
    colFlat = new Uint32Array(width),
    colTex = new Uint32Array(width);
  for (let y = 0; y < height; y++) {
    let inRow = 0,
      flat = 0,
      tex = 0;
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      if (!mask[i]) continue;
      const isFlat = stdC[i]! < FLAT_STD ? 1 : 0;
      const isTex = stdR[i]! > TEXTURED_STD ? 1 : 0;
      inRow++;
      flat += isFlat;
      tex += isTex;
      colIn[x]!++;
      colFlat[x]! += isFlat;
      colTex[x]! += isTex;
    }
    if (inRow > 0 && flat >= 0.9 * inRow && tex >= 0.05 * inRow) rowDrop[y] = 1;
  }
  for (let x = 0; x < width; x++) {
    const n = colIn[x]!;
    if (n > 0 && colFlat[x]! >= 0.9 * n && colTex[x]! >= 0.05 * n) colDrop[x] = 1;
  }
  const widen = (drop: Uint8Array): Uint8Array => {
    const out = drop.slice();
    for (let i = 0; i < drop.length; i++) {
      if (!drop[i]) continue;
      for (
        let k = Math.max(0, i - BAND_MARGIN);
        k <= Math.min(drop.length - 1, i + BAND_MARGIN);
        k++
      )
        out[k] = 1;
    }
    return out;
  };
  const rows = widen(rowDrop);
  const cols = widen(colDrop);
  const keep = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) keep[y * width + x] = rows[y] || cols[x] ? 0 : 1;
  }
  return keep;
}
