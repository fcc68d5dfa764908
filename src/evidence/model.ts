/**
 * The evidence check's vocabulary. The library takes bytes and returns a
 * typed report; it knows nothing of databases, HTTP or configuration.
 */

/** A rectangle in claim-image pixels, after EXIF orientation. */
export interface Region {
  x: number;
  y: number;
  w: number;
  h: number;
}

/** A sentence for the reviewer in both languages the console speaks. */
export interface LocalizedText {
  zh: string;
  en: string;
}

/** Where a signal comes from; fusion weighs families differently. */
export type SignalFamily = 'reference' | 'reuse' | 'provenance' | 'manipulation' | 'screen';

/** One finding about the claim image. */
export interface Signal {
  /** Stable identifier, e.g. `reference.derived`, `provenance.aigc_label`. */
  id: string;
  family: SignalFamily;
  /** How strongly this finding alone points to fabrication, in [0, 1]; 0 means "looked, found nothing". */
  strength: number;
  reason: LocalizedText;
  regions?: Region[];
  /** Measurements behind the finding (numbers, ids, names); never image bytes. */
  details?: Record<string, unknown>;
}

/** Decoded pixels: interleaved, 8 bits per channel, rows top to bottom. */
export interface RasterImage {
  width: number;
  height: number;
  channels: 1 | 3 | 4;
  data: Uint8Array;
}

export type ImageFormat = 'jpeg' | 'png' | 'webp' | 'avif' | 'heic' | 'gif';

/** An accepted image: its original bytes, their hash, and RGB pixels after EXIF orientation. */
export interface DecodedImage {
  format: ImageFormat;
  sha256: string;
  byteLength: number;
  /** EXIF orientation that was applied (1 when none). */
  orientation: number;
  /** Full-resolution RGB pixels, oriented. */
  pixels: RasterImage;
  /** The untouched input, for metadata and recompression analysis. */
  bytes: Uint8Array;
}

/** Caps that keep decoding fast and memory bounded whatever arrives. */
export interface ImageLimits {
  /** Largest file accepted, in bytes (default 25 MB). */
  maxBytes: number;
  /** Largest decoded size, in pixels (default 50 MP). */
  maxPixels: number;
  /** Largest total metadata (EXIF, XMP, text chunks, C2PA) accepted, in bytes. */
  maxMetadataBytes: number;
}

export const DEFAULT_LIMITS: ImageLimits = Object.freeze({
  maxBytes: 25 * 1024 * 1024,
  maxPixels: 50_000_000,
  maxMetadataBytes: 8 * 1024 * 1024,
});

export type Verdict = 'pass' | 'review' | 'reject';

export interface VerdictThresholds {
  /** Scores at or above this go to a human. */
  review: number;
  /** Scores at or above this are rejected as fabricated (still explained). */
  reject: number;
}

export const DEFAULT_THRESHOLDS: VerdictThresholds = Object.freeze({ review: 0.35, reject: 0.8 });

/** A merchant's image the claim is compared with. */
export interface ReferenceInput {
  bytes: Uint8Array;
  /** Free label shown in the report, e.g. a media id or a file name. */
  label?: string;
  kind?: 'listing' | 'packing' | 'keyframe';
}

export interface EvidenceReport {
  engineVersion: string;
  /** Higher means more likely fabricated, in [0, 1]. */
  score: number;
  verdict: Verdict;
  /** Changed or suspicious areas in claim pixels. */
  regions: Region[];
  signals: Signal[];
  claim: { sha256: string; format: ImageFormat; width: number; height: number };
  timings_ms: Record<string, number>;
}
