/**
 * Float-image filters backed by OpenCV (Gaussian blur, box mean, warps),
 * wrapped so callers pass and receive plain typed arrays.
 */
import type { Homography } from './homography.js';
import { type OpenCv, withScope } from './opencv.js';
import type { FloatImage, GrayImage } from './raster.js';

/** Gaussian blur of a float image; sigma ≤ 0 returns a copy. */
export function gaussian(cv: OpenCv, image: FloatImage, sigma: number): FloatImage {
  if (sigma <= 0) return { ...image, data: image.data.slice() };
  return withScope((scope) => {
    const src = scope.track(cv.matFromArray(image.height, image.width, cv.CV_32FC1, image.data));
    const dst = scope.track(new cv.Mat());
    cv.GaussianBlur(src, dst, new cv.Size(0, 0), sigma, sigma, cv.BORDER_REFLECT);
    return { width: image.width, height: image.height, data: new Float32Array(dst.data32F) };
  });
}

/** Mean over a (2r+1)² window, reflecting at the borders. */
export function boxMean(cv: OpenCv, image: FloatImage, radius: number): FloatImage {
  return withScope((scope) => {
    const src = scope.track(cv.matFromArray(image.height, image.width, cv.CV_32FC1, image.data));
    const dst = scope.track(new cv.Mat());
    const k = 2 * radius + 1;
    cv.blur(src, dst, new cv.Size(k, k), new cv.Point(-1, -1), cv.BORDER_REFLECT);
    return { width: image.width, height: image.height, data: new Float32Array(dst.data32F) };
  });
}

/** Converts an 8-bit plane to float. */
export function toFloat(image: GrayImage): FloatImage {
  return { width: image.width, height: image.height, data: Float32Array.from(image.data) };
}

/**
 * Warps `image` into a width×height frame with `h` (source → frame pixels);
 * samples outside the source become 0, and `inside` marks covered pixels.
 */
export function warpInto(
  cv: OpenCv,
  image: GrayImage,
  h: Homography,
  width: number,
  height: number,
): { warped: FloatImage; inside: Uint8Array } {
  return withScope((scope) => {
    const src = scope.track(new cv.Mat(image.height, image.width, cv.CV_8UC1));
    src.data.set(image.data);
    const hm = scope.track(cv.matFromArray(3, 3, cv.CV_64FC1, h));
    const dst = scope.track(new cv.Mat());
    const size = new cv.Size(width, height);
    cv.warpPerspective(src, dst, hm, size, cv.INTER_LINEAR, cv.BORDER_REPLICATE, new cv.Scalar(0));
    const ones = scope.track(new cv.Mat(image.height, image.width, cv.CV_8UC1, new cv.Scalar(255)));
    const cover = scope.track(new cv.Mat());
    cv.warpPerspective(
      ones,
      cover,
      hm,
      size,
      cv.INTER_NEAREST,
      cv.BORDER_CONSTANT,
      new cv.Scalar(0),
    );
    return {
      warped: { width, height, data: Float32Array.from(dst.data) },
      inside: new Uint8Array(cover.data),
    };
  });
}

/** Shrinks a binary mask by `radius` pixels (square structuring element). */
export function erodeMask(
  cv: OpenCv,
  mask: Uint8Array,
  width: number,
  height: number,
  radius: number,
): Uint8Array {
  if (radius <= 0) return mask.slice();
  return withScope((scope) => {
    const src = scope.track(new cv.Mat(height, width, cv.CV_8UC1));
    src.data.set(mask);
    const dst = scope.track(new cv.Mat());
    const k = scope.track(
      cv.getStructuringElement(cv.MORPH_RECT, new cv.Size(2 * radius + 1, 2 * radius + 1)),
    );
    cv.erode(src, dst, k, new cv.Point(-1, -1), 1, cv.BORDER_CONSTANT, new cv.Scalar(0));
    return new Uint8Array(dst.data);
  });
}
