import type { DecodedImage, RasterImage } from '../model.js';
import { resizeWithSharp, type TargetSize } from './decode-sharp.js';

/** The size an image is analysed at: long side at most `maxSide`, aspect ratio kept, never enlarged. */
export function analysisSize(width: number, height: number, maxSide: number): TargetSize {
  if (!Number.isInteger(maxSide) || maxSide < 1) {
    throw new RangeError(`maxSide must be a positive integer, got ${maxSide}`);
  }
  const long = Math.max(width, height);
  if (long <= maxSide) return { width, height };
  const scale = maxSide / long;
  return {
    width: width >= height ? maxSide : Math.max(1, Math.round(width * scale)),
    height: height > width ? maxSide : Math.max(1, Math.round(height * scale)),
  };
}

/**
 * A downscaled copy of decoded pixels for the pixel analyses, long side at
 * most `maxSide`, resampled by libvips (box pre-shrink, then Lanczos 3, so it
 * cannot alias). Asynchronous because libvips is 10–20× faster than any
 * JavaScript loop here. Resolves to the input raster itself when it is
 * already small enough: treat rasters as read-only.
 */
export async function decodeForAnalysis(
  image: DecodedImage,
  maxSide: number,
): Promise<RasterImage> {
  return downscale(image.pixels, maxSide);
}

/** Any raster, downscaled like `decodeForAnalysis`. */
export async function downscale(raster: RasterImage, maxSide: number): Promise<RasterImage> {
  const target = analysisSize(raster.width, raster.height, maxSide);
  if (target.width === raster.width && target.height === raster.height) return raster;
  return resizeWithSharp(raster, target);
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
