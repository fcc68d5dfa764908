import { EvidenceError } from '../errors.js';
import { TruncatedError } from './bytes.js';

/** What a container's headers say, read without decoding a single pixel. */
export interface ContainerInfo {
  /** Width of the image a decoder will produce, before any orientation is applied. */
  width: number;
  /** Height of the image a decoder will produce, before any orientation is applied. */
  height: number;
  /** Bytes of metadata: EXIF, XMP, ICC, IPTC, comments, text chunks, C2PA and unknown extras. */
  metadataBytes: number;
  /** Number of separate metadata segments, chunks, blocks or items. */
  metadataEntries: number;
  /** The orientation the container itself applies on decoding (HEIF irot/imir), as an EXIF value; 1 otherwise. */
  containerOrientation: number;
  /** True when the file holds several frames (GIF, APNG, animated WebP, image sequences). */
  animated: boolean;
}

/** An EVIDENCE_CORRUPT error with the reason a reviewer or log reader needs. */
export function corrupt(message: string, details?: Record<string, unknown>): EvidenceError {
  return new EvidenceError('EVIDENCE_CORRUPT', 'invalid', message, details);
}

/** Runs a header parser, turning a read past the end into EVIDENCE_CORRUPT. */
export function parseHeaders<T>(format: string, parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    if (error instanceof TruncatedError) {
      throw corrupt(`the ${format} file is truncated or its headers are damaged`, { format });
    }
    throw error;
  }
}
