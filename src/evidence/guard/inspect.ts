import { EvidenceError } from '../errors.js';
import type { ImageFormat, ImageLimits } from '../model.js';
import { parseHeaders, type ContainerInfo } from './container.js';
import { inspectGif } from './inspect-gif.js';
import { inspectHeif } from './inspect-heif.js';
import { inspectJpeg } from './inspect-jpeg.js';
import { inspectPng } from './inspect-png.js';
import { inspectWebp } from './inspect-webp.js';
import { MAX_METADATA_ENTRIES } from './limits.js';

/**
 * Reads a sniffed file's headers and enforces the pixel and metadata caps
 * before any decoder sees it, so a bomb is refused in microseconds and
 * without allocating its pixels.
 */
export function inspectContainer(
  bytes: Uint8Array,
  format: ImageFormat,
  limits: ImageLimits,
): ContainerInfo {
  const info = parseHeaders(format, () => {
    switch (format) {
      case 'jpeg':
        return inspectJpeg(bytes);
      case 'png':
        return inspectPng(bytes);
      case 'webp':
        return inspectWebp(bytes);
      case 'gif':
        return inspectGif(bytes);
      case 'avif':
      case 'heic':
        return inspectHeif(bytes);
    }
  });
  checkPixels(info.width, info.height, limits);
  if (info.metadataBytes > limits.maxMetadataBytes || info.metadataEntries > MAX_METADATA_ENTRIES) {
    throw new EvidenceError(
      'EVIDENCE_METADATA_TOO_LARGE',
      'too_large',
      'the image carries an implausible amount of metadata',
      {
        metadataBytes: info.metadataBytes,
        maxMetadataBytes: limits.maxMetadataBytes,
        metadataEntries: info.metadataEntries,
        maxMetadataEntries: MAX_METADATA_ENTRIES,
      },
    );
  }
  return info;
}

/** Refuses a size whose pixel count exceeds the cap (EVIDENCE_TOO_MANY_PIXELS). */
export function checkPixels(width: number, height: number, limits: ImageLimits): void {
  if (width * height > limits.maxPixels) {
    throw new EvidenceError(
      'EVIDENCE_TOO_MANY_PIXELS',
      'too_large',
      'the image has too many pixels',
      {
        width,
        height,
        maxPixels: limits.maxPixels,
      },
    );
  }
}
