/**
 * Small pixel helpers: luma planes, area resizing and mirroring, all on plain
 * typed arrays so the heavy steps can hand them to OpenCV without copies of copies.
 */
import type { RasterImage } from '../model.js';
import { type OpenCv, withScope } from './opencv.js';

/** An 8-bit single-channel image. */
export interface GrayImage {
  width: number;
  height: number;
  data: Uint8Array;
}

/** A floating-point single-channel image. */
export interface FloatImage {
  width: number;
  height: number;
  data: Float32Array;
}

/** Converts RGB(A) or gray pixels to BT.601 luma. */
export function toGray(image: RasterImage): GrayImage {
  const { width, height, channels, data } = image;
  const n = width * height;
  if (channels === 1) return { width, height, data: data.subarray(0, n) };
  const out = new Uint8Array(n);
  for (let i = 0, p = 0; i < n; i++, p += channels) {
    // Integer weights (77, 150, 29)/256 approximate 0.299, 0.587, 0.114.
    out[i] = (77 * data[p]! + 150 * data[p + 1]! + 29 * data[p + 2]! + 128) >> 8;
  }
  return { width, height, data: out };
}

/** Scale factor (≤ 1) that brings an image within `maxPixels`. */
export function fitScale(width: number, height: number, maxPixels: number): number {
  const pixels = width * height;
  return pixels <= maxPixels ? 1 : Math.sqrt(maxPixels / pixels);
}

/** Resizes a gray image by area averaging (downscale) or bilinear (upscale). */
export function resizeGray(cv: OpenCv, image: GrayImage, width: number, height: number): GrayImage {
  if (width === image.width && height === image.height) return image;
  return withScope((scope) => {
    const src = scope.track(new cv.Mat(image.height, image.width, cv.CV_8UC1));
    src.data.set(image.data);
    const dst = scope.track(new cv.Mat());
    const shrinking = width < image.width || height < image.height;
    cv.resize(
      src,
      dst,
      new cv.Size(width, height),
      0,
      0,
      shrinking ? cv.INTER_AREA : cv.INTER_LINEAR,
    );
    return { width, height, data: new Uint8Array(dst.data) };
  });
}

/** Mirrors a gray image left to right. */
export function mirrorGray(image: GrayImage): GrayImage {
  const { width, height, data } = image;
  const out = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    const row = y * width;
    for (let x = 0; x < width; x++) out[row + x] = data[row + width - 1 - x]!;
  }
  return { width, height, data: out };
}

/**
 * Crops a rectangle of an 8-bit image and resizes it (area when shrinking),
 * returning one plane per channel (1 for gray input, 3 for colour).
 */
export function cropResizeChannels(
  cv: OpenCv,
  image: RasterImage,
  x: number,
  y: number,
  w: number,
  h: number,
  width: number,
  height: number,
): GrayImage[] {
  const planes = image.channels === 1 ? 1 : 3;
  return withScope((scope) => {
    const type = planes === 1 ? cv.CV_8UC1 : cv.CV_8UC3;
    const src = scope.track(new cv.Mat(h, w, type));
    const row = w * planes;
    for (let r = 0; r < h; r++) {
      const from = ((y + r) * image.width + x) * image.channels;
      if (image.channels === planes) {
        src.data.set(image.data.subarray(from, from + row), r * row);
      } else {
        // RGBA: drop alpha while copying.
        for (let c = 0; c < w; c++) {
          for (let k = 0; k < 3; k++)
            src.data[r * row + c * 3 + k] = image.data[from + c * image.channels + k]!;
        }
      }
    }
    const dst = scope.track(new cv.Mat());
    const shrinking = width < w || height < h;
    if (width === w && height === h) src.copyTo(dst);
    else
      cv.resize(
        src,
        dst,
        new cv.Size(width, height),
        0,
        0,
        shrinking ? cv.INTER_AREA : cv.INTER_LINEAR,
      );
    const data = dst.data;
    const out: GrayImage[] = [];
    for (let k = 0; k < planes; k++) {
      const plane = new Uint8Array(width * height);
      for (let i = 0; i < plane.length; i++) plane[i] = data[i * planes + k]!;
      out.push({ width, height, data: plane });
    }
    return out;
  });
}

/** Luma of one or three planes, as float (BT.601 weights as in {@link toGray}). */
export function lumaOf(planes: readonly (GrayImage | FloatImage)[]): FloatImage {
  const first = planes[0]!;
  const n = first.width * first.height;
  const out = new Float32Array(n);
  if (planes.length < 3) {
    for (let i = 0; i < n; i++) out[i] = first.data[i]!;
  } else {
    const [r, g, b] = planes as [
      GrayImage | FloatImage,
      GrayImage | FloatImage,
      GrayImage | FloatImage,
    ];
    for (let i = 0; i < n; i++)
      out[i] = (77 * r.data[i]! + 150 * g.data[i]! + 29 * b.data[i]!) / 256;
  }
  return { width: first.width, height: first.height, data: out };
}
