/**
 * Luminance planes and the small resamplers the hashes need, so callers can
 * pass any RGB, RGBA or grey {@link RasterImage} at any size.
 */
import type { RasterImage } from '../model.js';

/** A single-channel float image, row-major. */
export interface LumaPlane {
  width: number;
  height: number;
  data: Float32Array;
}

// ITU-R BT.601 weights, as in the PDQ reference.
const LUMA_R = 0.299;
const LUMA_G = 0.587;
const LUMA_B = 0.114;

/**
 * Luminance of each pixel as float32. Colour is weighted in double precision
 * and rounded once, as the PDQ Python bindings do; alpha is ignored.
 */
export function lumaFromRaster(image: RasterImage): LumaPlane {
  const { width, height, channels, data } = image;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 0 || height < 0)
    throw new RangeError(`bad raster size ${width}x${height}`);
  const pixels = width * height;
  if (data.length < pixels * channels)
    throw new RangeError(`raster data has ${data.length} bytes, need ${pixels * channels}`);
  const luma = new Float32Array(pixels);
  if (channels === 1) {
    for (let i = 0; i < pixels; i++) luma[i] = data[i]!;
  } else {
    for (let i = 0, p = 0; i < pixels; i++, p += channels)
      luma[i] = LUMA_R * data[p]! + LUMA_G * data[p + 1]! + LUMA_B * data[p + 2]!;
  }
  return { width, height, data: luma };
}

/**
 * Luminance averaged over `factor`×`factor` blocks straight from the pixels
 * (the last partial row and column of blocks average what exists), in one
 * pass and without a full-size float plane.
 */
export function reducedLumaFromRaster(image: RasterImage, factor: number): LumaPlane {
  if (!Number.isInteger(factor) || factor < 1) throw new RangeError(`bad factor ${factor}`);
  if (factor === 1) return lumaFromRaster(image);
  const { width: sourceWidth, height: sourceHeight, channels, data: bytes } = image;
  if (bytes.length < sourceWidth * sourceHeight * channels)
    throw new RangeError(
      `raster data has ${bytes.length} bytes, need ${sourceWidth * sourceHeight * channels}`,
    );
  const width = Math.ceil(sourceWidth / factor);
  const height = Math.ceil(sourceHeight / factor);
  const column = new Int32Array(sourceWidth);
  for (let x = 0; x < sourceWidth; x++) column[x] = Math.floor(x / factor);
  const sums = new Float64Array(width);
  const data = new Float32Array(width * height);
  for (let oy = 0; oy < height; oy++) {
    sums.fill(0);
    const top = oy * factor;
    const bottom = Math.min(sourceHeight, top + factor);
    for (let y = top; y < bottom; y++) {
      let p = y * sourceWidth * channels;
      if (channels === 1) for (let x = 0; x < sourceWidth; x++, p++) sums[column[x]!]! += bytes[p]!;
      else
        for (let x = 0; x < sourceWidth; x++, p += channels)
          sums[column[x]!]! += LUMA_R * bytes[p]! + LUMA_G * bytes[p + 1]! + LUMA_B * bytes[p + 2]!;
    }
    const rows = bottom - top;
    for (let ox = 0; ox < width; ox++) {
      const cols = Math.min(sourceWidth, (ox + 1) * factor) - ox * factor;
      data[oy * width + ox] = sums[ox]! / (rows * cols);
    }
  }
  return { width, height, data };
}

/** The smallest whole factor that brings the longer side of a `width`×`height` image to at most `maxSide`. */
export function reductionFactor(width: number, height: number, maxSide: number): number {
  const longer = Math.max(width, height);
  return longer > maxSide ? Math.ceil(longer / maxSide) : 1;
}

/** Per output index along one axis: first source index and the weights of the source cells it covers. */
interface AxisWeights {
  first: Int32Array;
  weights: Float64Array[];
}

function axisWeights(source: number, target: number): AxisWeights {
  const scale = source / target;
  const first = new Int32Array(target);
  const weights: Float64Array[] = [];
  for (let o = 0; o < target; o++) {
    const start = o * scale;
    const end = (o + 1) * scale;
    const lo = Math.floor(start);
    const hi = Math.min(source, Math.ceil(end));
    const w = new Float64Array(hi - lo);
    for (let s = lo; s < hi; s++) w[s - lo] = (Math.min(end, s + 1) - Math.max(start, s)) / scale;
    first[o] = lo;
    weights.push(w);
  }
  return { first, weights };
}

/**
 * Area-average resample to `width`×`height`: each output pixel is the mean of
 * the source area it covers, so small hashes see every pixel, not a sample.
 */
export function resampleArea(plane: LumaPlane, width: number, height: number): LumaPlane {
  if (plane.width < 1 || plane.height < 1) throw new RangeError('cannot resample an empty image');
  const cols = axisWeights(plane.width, width);
  const rows = axisWeights(plane.height, height);
  // Columns first, then rows: the same result as the 2-D box, in O(pixels) work.
  const horizontal = new Float64Array(plane.height * width);
  for (let y = 0; y < plane.height; y++) {
    const base = y * plane.width;
    for (let o = 0; o < width; o++) {
      const w = cols.weights[o]!;
      let sum = 0;
      for (let k = 0, s = base + cols.first[o]!; k < w.length; k++, s++)
        sum += w[k]! * plane.data[s]!;
      horizontal[y * width + o] = sum;
    }
  }
  const data = new Float32Array(width * height);
  for (let o = 0; o < height; o++) {
    const w = rows.weights[o]!;
    const top = rows.first[o]!;
    for (let x = 0; x < width; x++) {
      let sum = 0;
      for (let k = 0; k < w.length; k++) sum += w[k]! * horizontal[(top + k) * width + x]!;
      data[o * width + x] = sum;
    }
  }
  return { width, height, data };
}
