import type { DecodedImage, RasterImage } from '../model.js';
import type { TargetSize } from './decode-sharp.js';

/** The size an image is analysed at: long side at most `maxSide`, aspect ratio kept, never enlarged. */
export function analysisSize(width: number, height: number, maxSide: number): TargetSize {
  if (!Number.isInteger(maxSide) || maxSide < 1) throw new RangeError(`maxSide must be a positive integer, got ${maxSide}`);
  const long = Math.max(width, height);
  if (long <= maxSide) return { width, height };
  const scale = maxSide / long;
  return {
    width: width >= height ? maxSide : Math.max(1, Math.round(width * scale)),
    height: height > width ? maxSide : Math.max(1, Math.round(height * scale)),
  };
}

/**
 * A downscaled copy of the decoded pixels for the pixel analyses, long side
 * at most `maxSide`, by exact area averaging (each output pixel is the mean
 * of the input area it covers), which cannot alias. Returns the input raster
 * itself when it is already small enough: treat rasters as read-only.
 */
export function decodeForAnalysis(image: DecodedImage, maxSide: number): RasterImage {
  return downscale(image.pixels, maxSide);
}

/** Area-average downscale of any raster so its long side is at most `maxSide`. */
export function downscale(raster: RasterImage, maxSide: number): RasterImage {
  const target = analysisSize(raster.width, raster.height, maxSide);
  if (target.width === raster.width && target.height === raster.height) return raster;
  return areaAverage(raster, target.width, target.height);
}

/**
 * Separable area averaging in one pass over the input: each input row is
 * reduced horizontally, then added with its vertical coverage weight into
 * the one or two output rows it overlaps. Memory beyond the output is two rows.
 */
function areaAverage(raster: RasterImage, outWidth: number, outHeight: number): RasterImage {
  const { width, height, channels, data } = raster;
  const columns = coverage(width, outWidth);
  const rowWidth = outWidth * channels;
  const rowSum = new Float32Array(rowWidth);
  const accumulator = new Float64Array(rowWidth);
  const out = new Uint8Array(outWidth * outHeight * channels);
  const yScale = height / outHeight;
  const xNorm = outWidth / width;
  const norm = (outHeight / height) * xNorm;
  // Input-space bottom edge of output row r; the last one is exactly the input height, whatever the rounding.
  const rowEnd = (r: number) => (r + 1 === outHeight ? height : (r + 1) * yScale);
  let outRow = 0;
  let outRowEnd = rowEnd(0);
  for (let y = 0; y < height; y++) {
    reduceRow(data, y * width * channels, channels, columns, rowSum);
    let top = y;
    const bottom = y + 1;
    while (top < bottom) {
      const edge = Math.min(bottom, outRowEnd);
      const weight = edge - top;
      if (weight > 0) for (let i = 0; i < rowWidth; i++) accumulator[i]! += rowSum[i]! * weight;
      top = edge;
      if (edge >= outRowEnd - 1e-9 && outRow < outHeight) {
        const base = outRow * rowWidth;
        for (let i = 0; i < rowWidth; i++) {
          out[base + i] = Math.min(255, Math.round(accumulator[i]! * norm));
          accumulator[i] = 0;
        }
        outRow++;
        if (outRow === outHeight) break;
        outRowEnd = rowEnd(outRow);
      }
    }
  }
  return { width: outWidth, height: outHeight, channels, data: out };
}

/** For each output column: the first and last input column it covers and the partial weights at both ends. */
interface Coverage {
  first: Int32Array;
  last: Int32Array;
  firstWeight: Float32Array;
  lastWeight: Float32Array;
}

function coverage(inSize: number, outSize: number): Coverage {
  const scale = inSize / outSize;
  const result: Coverage = {
    first: new Int32Array(outSize),
    last: new Int32Array(outSize),
    firstWeight: new Float32Array(outSize),
    lastWeight: new Float32Array(outSize),
  };
  for (let o = 0; o < outSize; o++) {
    const start = o * scale;
    const end = Math.min(inSize, (o + 1) * scale);
    const first = Math.floor(start);
    const last = Math.min(inSize - 1, Math.ceil(end) - 1);
    result.first[o] = first;
    result.last[o] = last;
    result.firstWeight[o] = first === last ? end - start : first + 1 - start;
    result.lastWeight[o] = first === last ? 0 : end - last;
  }
  return result;
}

/** Sums each output column's covered input pixels (weighted at the edges) for one row. */
function reduceRow(data: Uint8Array, rowStart: number, channels: number, columns: Coverage, out: Float32Array): void {
  const { first, last, firstWeight, lastWeight } = columns;
  for (let o = 0, w = 0; o < first.length; o++, w += channels) {
    const a = first[o]!;
    const b = last[o]!;
    const wa = firstWeight[o]!;
    const wb = lastWeight[o]!;
    for (let c = 0; c < channels; c++) {
      let sum = data[rowStart + a * channels + c]! * wa;
      for (let x = a + 1; x < b; x++) sum += data[rowStart + x * channels + c]!;
      if (b > a) sum += data[rowStart + b * channels + c]! * wb;
      out[w + c] = sum;
    }
  }
}

/** Single-channel luma (ITU-R BT.601 weights) of an RGB or RGBA raster; a grey raster is returned as is. */
export function toGray(raster: RasterImage): RasterImage {
  if (raster.channels === 1) return raster;
  const { width, height, channels, data } = raster;
  const out = new Uint8Array(width * height);
  for (let i = 0, j = 0; j < out.length; i += channels, j++) {
    // 8-bit fixed point: 77 + 150 + 29 = 256.
    out[j] = (77 * data[i]! + 150 * data[i + 1]! + 29 * data[i + 2]! + 128) >> 8;
  }
  return { width, height, channels: 1, data: out };
}
