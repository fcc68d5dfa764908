import { DEFAULT_LIMITS, type ImageLimits } from '../model.js';

/**
 * Most metadata entries (JPEG APP/COM segments, PNG ancillary chunks, WebP
 * metadata chunks, GIF comment/application blocks, HEIF metadata items) one
 * image may carry. Real photos carry a few dozen at most; C2PA, ICC and
 * extended XMP split across segments stay well under a few hundred.
 */
export const MAX_METADATA_ENTRIES = 2048;

/** Most HEIF items (tiles, thumbnails, auxiliary images, metadata) accepted in one file. */
export const MAX_HEIF_ITEMS = 20_000;

/** Most JPEG scans accepted: a progressive file has about ten; thousands are a CPU bomb. */
export const MAX_JPEG_SCANS = 1000;

/** Merges caller limits over the defaults; a non-positive or fractional limit is a programming error (RangeError). */
export function resolveLimits(limits: Partial<ImageLimits> = {}): ImageLimits {
  const merged: ImageLimits = {
    maxBytes: limits.maxBytes ?? DEFAULT_LIMITS.maxBytes,
    maxPixels: limits.maxPixels ?? DEFAULT_LIMITS.maxPixels,
    maxMetadataBytes: limits.maxMetadataBytes ?? DEFAULT_LIMITS.maxMetadataBytes,
  };
  for (const [name, value] of Object.entries(merged)) {
    if (!Number.isSafeInteger(value) || value <= 0) {
      throw new RangeError(`image limit ${name} must be a positive integer, got ${String(value)}`);
    }
  }
  return merged;
}
