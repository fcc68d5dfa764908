/**
 * Bounded walkers over the four container layouts we meet: JPEG marker
 * segments, PNG chunks, RIFF (WebP) chunks and ISO-BMFF boxes (HEIF/AVIF).
 * Each stops at the first inconsistency and reports it as a warning.
 */
import { latin1, startsWithAscii, u16, u32, u64 } from './bytes.js';

const MAX_ITEMS = 8192;

/** A JPEG marker segment before the scan data. */
export interface JpegSegment {
  marker: number;
  /** Bytes after the two-byte length. */
  payload: Uint8Array;
}

/** JPEG segments up to SOS, plus the frame size from the SOF header. */
export function walkJpeg(
  bytes: Uint8Array,
  warnings: string[],
): { segments: JpegSegment[]; size?: { width: number; height: number } } {
  const segments: JpegSegment[] = [];
  let size: { width: number; height: number } | undefined;
  if (bytes[0] !== 0xff || bytes[1] !== 0xd8) {
    warnings.push('jpeg: no SOI marker');
    return { segments };
  }
  let at = 2;
  while (at + 4 <= bytes.length && segments.length < MAX_ITEMS) {
    if (bytes[at] !== 0xff) {
      warnings.push(`jpeg: expected a marker at ${at}`);
      break;
    }
    const marker = bytes[at + 1] ?? 0;
    if (marker === 0xff) {
      at++; // fill byte
      continue;
    }
    if (marker === 0xd8 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      at += 2;
      continue;
    }
    if (marker === 0xd9 || marker === 0xda) break; // EOI or start of scan: no metadata follows
    const length = u16(bytes, at + 2) ?? 0;
    if (length < 2 || at + 2 + length > bytes.length) {
      warnings.push(`jpeg: segment 0x${marker.toString(16)} runs past the end`);
      break;
    }
    const payload = bytes.subarray(at + 4, at + 2 + length);
    if (isSof(marker) && payload.length >= 5) {
      size ??= { height: u16(payload, 1) ?? 0, width: u16(payload, 3) ?? 0 };
    } else {
      segments.push({ marker, payload });
    }
    at += 2 + length;
  }
  return size ? { segments, size } : { segments };
}

function isSof(marker: number): boolean {
  return marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
}

/** One PNG chunk and whether its CRC matched. */
export interface PngChunk {
  type: string;
  data: Uint8Array;
  crcOk: boolean;
}

/** PNG chunks up to IEND; `crc32` is injected so tests and callers share one implementation. */
export function walkPng(
  bytes: Uint8Array,
  crc32: (data: Uint8Array) => number,
  warnings: string[],
): PngChunk[] {
  const chunks: PngChunk[] = [];
  if (!startsWithAscii(bytes, '\x89PNG\r\n\x1a\n')) {
    warnings.push('png: bad signature');
    return chunks;
  }
  let at = 8;
  while (at + 12 <= bytes.length && chunks.length < MAX_ITEMS) {
    const length = u32(bytes, at) ?? 0;
    const type = latin1(bytes, at + 4, at + 8);
    if (at + 12 + length > bytes.length) {
      warnings.push(`png: chunk ${JSON.stringify(type)} runs past the end`);
      break;
    }
    // Pixel data is large and irrelevant here; skip its CRC to stay fast.
    const data = bytes.subarray(at + 8, at + 8 + length);
    const crcOk =
      type === 'IDAT'
        ? true
        : crc32(bytes.subarray(at + 4, at + 8 + length)) === u32(bytes, at + 8 + length);
    chunks.push({ type, data, crcOk });
    at += 12 + length;
    if (type === 'IEND') break;
  }
  return chunks;
}

/** One RIFF chunk. */
export interface RiffChunk {
  fourcc: string;
  data: Uint8Array;
}

/** Top-level WebP (RIFF) chunks. */
export function walkRiff(bytes: Uint8Array, warnings: string[]): RiffChunk[] {
  const chunks: RiffChunk[] = [];
  if (!startsWithAscii(bytes, 'RIFF') || !startsWithAscii(bytes, 'WEBP', 8)) {
    warnings.push('webp: bad RIFF header');
    return chunks;
  }
  const riffEnd = Math.min(bytes.length, 8 + (u32(bytes, 4, true) ?? 0));
  let at = 12;
  while (at + 8 <= riffEnd && chunks.length < MAX_ITEMS) {
    const fourcc = latin1(bytes, at, at + 4);
    const size = u32(bytes, at + 4, true) ?? 0;
    if (at + 8 + size > riffEnd) {
      warnings.push(`webp: chunk ${JSON.stringify(fourcc)} runs past the end`);
      break;
    }
    chunks.push({ fourcc, data: bytes.subarray(at + 8, at + 8 + size) });
    at += 8 + size + (size % 2); // chunks are padded to even sizes
  }
  return chunks;
}

/** The canvas size of a WebP from its VP8X, VP8 or VP8L chunk. */
export function webpSize(
  chunks: readonly RiffChunk[],
): { width: number; height: number } | undefined {
  for (const { fourcc, data } of chunks) {
    if (fourcc === 'VP8X' && data.length >= 10) {
      const w = 1 + ((data[4] ?? 0) | ((data[5] ?? 0) << 8) | ((data[6] ?? 0) << 16));
      const h = 1 + ((data[7] ?? 0) | ((data[8] ?? 0) << 8) | ((data[9] ?? 0) << 16));
      return { width: w, height: h };
    }
    if (
      fourcc === 'VP8 ' &&
      data.length >= 10 &&
      data[3] === 0x9d &&
      data[4] === 0x01 &&
      data[5] === 0x2a
    ) {
      return {
        width: (u16(data, 6, true) ?? 0) & 0x3fff,
        height: (u16(data, 8, true) ?? 0) & 0x3fff,
      };
    }
    if (fourcc === 'VP8L' && data.length >= 5 && data[0] === 0x2f) {
      const bits = u32(data, 1, true) ?? 0;
      return { width: (bits & 0x3fff) + 1, height: ((bits >>> 14) & 0x3fff) + 1 };
    }
  }
  return undefined;
}

/** One ISO-BMFF box: its type, payload and (for `uuid` boxes) extended type. */
export interface BmffBox {
  type: string;
  /** Payload after the header (and after the 16-byte extended type of a `uuid` box). */
  data: Uint8Array;
  uuid?: Uint8Array;
}

/** The boxes directly inside `bytes` (a file or a container box's payload). */
export function walkBoxes(bytes: Uint8Array, warnings: string[], context = 'bmff'): BmffBox[] {
  const boxes: BmffBox[] = [];
  let at = 0;
  while (at + 8 <= bytes.length && boxes.length < MAX_ITEMS) {
    let size = u32(bytes, at) ?? 0;
    const type = latin1(bytes, at + 4, at + 8);
    let header = 8;
    if (size === 1) {
      size = u64(bytes, at + 8) ?? 0;
      header = 16;
    } else if (size === 0) {
      size = bytes.length - at; // extends to the end
    }
    if (size < header || at + size > bytes.length) {
      warnings.push(`${context}: box ${JSON.stringify(type)} runs past the end`);
      break;
    }
    const body = bytes.subarray(at + header, at + size);
    if (type === 'uuid' && body.length >= 16)
      boxes.push({ type, uuid: body.subarray(0, 16), data: body.subarray(16) });
    else boxes.push({ type, data: body });
    at += size;
  }
  return boxes;
}
