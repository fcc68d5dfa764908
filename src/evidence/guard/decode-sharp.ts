import sharp from 'sharp';
import { EvidenceError } from '../errors.js';
import type { ImageLimits, RasterImage } from '../model.js';
import { corrupt } from './container.js';

/** What libvips reads from the headers: size as displayed and the EXIF orientation it will apply. */
export interface SharpHeader {
  /** Width after orientation. */
  width: number;
  /** Height after orientation. */
  height: number;
  /** Width as stored, before orientation (what the pixel cap applies to). */
  storedWidth: number;
  /** Height as stored, before orientation. */
  storedHeight: number;
  /** The EXIF orientation value libvips found (undefined when none). */
  exifOrientation: number | undefined;
  hasAlpha: boolean;
}

/** An exact output size, so the sharp and JavaScript downscalers agree to the pixel. */
export interface TargetSize {
  width: number;
  height: number;
}

/**
 * One set of input options for every sharp call: abort on truncation and
 * decoder errors (not on mere warnings, which real phone files trigger),
 * cap pixels again inside libvips, take the first frame, orient by EXIF, and
 * skip ICC conversion, which would double the decode time for no forensic gain.
 */
function open(bytes: Uint8Array, limits: ImageLimits): sharp.Sharp {
  return sharp(bytes, {
    failOn: 'error',
    limitInputPixels: limits.maxPixels,
    ignoreIcc: true,
    autoOrient: true,
    pages: 1,
    page: 0,
  });
}

/** Reads dimensions, orientation and alpha from the headers without decoding pixels. */
export async function readSharpHeader(
  bytes: Uint8Array,
  limits: ImageLimits,
): Promise<SharpHeader> {
  try {
    const metadata = await open(bytes, limits).metadata();
    const storedWidth = metadata.width;
    const storedHeight = metadata.pageHeight ?? metadata.height;
    const swap = (metadata.autoOrient?.width ?? storedWidth) !== storedWidth;
    return {
      width: swap ? storedHeight : storedWidth,
      height: swap ? storedWidth : storedHeight,
      storedWidth,
      storedHeight,
      exifOrientation: metadata.orientation,
      hasAlpha: metadata.hasAlpha,
    };
  } catch (error) {
    throw translateSharpError(error);
  }
}

/**
 * Decodes to oriented 8-bit RGB with alpha flattened onto white; with a
 * target size, resamples (Lanczos 3) while decoding, letting libjpeg and
 * libwebp shrink on load instead of producing the full-size pixels first.
 */
export async function decodeWithSharp(
  bytes: Uint8Array,
  limits: ImageLimits,
  header: SharpHeader,
  target?: TargetSize,
): Promise<RasterImage> {
  try {
    let pipeline = open(bytes, limits);
    if (header.hasAlpha) pipeline = pipeline.flatten({ background: '#ffffff' });
    if (target)
      pipeline = pipeline.resize({ width: target.width, height: target.height, fit: 'fill' });
    const { data, info } = await pipeline
      .toColourspace('srgb')
      .removeAlpha()
      .raw({ depth: 'uchar' })
      .toBuffer({ resolveWithObject: true });
    if (info.channels !== 3 || data.length !== info.width * info.height * 3) {
      throw corrupt('the decoder produced an unexpected pixel layout', { channels: info.channels });
    }
    return { width: info.width, height: info.height, channels: 3, data };
  } catch (error) {
    throw translateSharpError(error);
  }
}

/** Resamples a raster to an exact size (libvips: box pre-shrink, then Lanczos 3). */
export async function resizeWithSharp(
  raster: RasterImage,
  target: TargetSize,
): Promise<RasterImage> {
  const { width, height, channels } = raster;
  const data = await sharp(raster.data, {
    raw: { width, height, channels },
    limitInputPixels: false,
  })
    .resize({ width: target.width, height: target.height, fit: 'fill' })
    .raw()
    .toBuffer();
  return { width: target.width, height: target.height, channels, data };
}

/** Maps a libvips failure to the library's codes; its text goes to details for logs, never to users as is. */
function translateSharpError(error: unknown): EvidenceError {
  if (error instanceof EvidenceError) return error;
  const reason = (error instanceof Error ? error.message : String(error))
    .split('\n')[0]!
    .slice(0, 200);
  if (/pixel limit/i.test(reason)) {
    return new EvidenceError(
      'EVIDENCE_TOO_MANY_PIXELS',
      'too_large',
      'the image has too many pixels',
      { reason },
    );
  }
  return corrupt('the image data is damaged or truncated', { decoder: 'sharp', reason });
}
