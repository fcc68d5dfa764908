/**
 * PNG text chunks. zTXt and compressed iTXt hold zlib streams: a few bytes
 * can inflate to gigabytes, so every inflate gets an output cap taken from
 * the caller's metadata budget.
 */
import { inflateSync } from 'node:zlib';
import { indexOfZero, latin1, utf8 } from './bytes.js';
import type { PngTextEntry } from './model.js';

/** Outcome of decoding one text chunk: an entry, nothing (malformed), or an inflate that hit the cap. */
export type TextChunkResult = { entry: PngTextEntry } | { malformed: string } | { overflow: true };

/** Decodes a tEXt, zTXt or iTXt chunk; `maxInflate` caps decompressed output in bytes. */
export function decodeTextChunk(
  type: 'tEXt' | 'zTXt' | 'iTXt',
  data: Uint8Array,
  maxInflate: number,
): TextChunkResult {
  const keywordEnd = indexOfZero(data, 0, 80);
  if (keywordEnd <= 0) return { malformed: `${type}: missing keyword` };
  const keyword = latin1(data, 0, keywordEnd);
  if (type === 'tEXt') {
    return {
      entry: { chunk: type, keyword, text: latin1(data, keywordEnd + 1), compressed: false },
    };
  }
  if (type === 'zTXt') {
    if (data[keywordEnd + 1] !== 0) return { malformed: 'zTXt: unknown compression method' };
    const inflated = inflate(data.subarray(keywordEnd + 2), maxInflate);
    if (inflated === 'overflow') return { overflow: true };
    if (!inflated) return { malformed: `zTXt ${keyword}: corrupt zlib stream` };
    return { entry: { chunk: type, keyword, text: latin1(inflated), compressed: true } };
  }
  const isCompressed = data[keywordEnd + 1] === 1;
  const languageEnd = indexOfZero(data, keywordEnd + 3);
  const translatedEnd = languageEnd < 0 ? -1 : indexOfZero(data, languageEnd + 1);
  if (translatedEnd < 0) return { malformed: `iTXt ${keyword}: truncated header` };
  const body = data.subarray(translatedEnd + 1);
  let textBytes: Uint8Array = body;
  if (isCompressed) {
    const inflated = inflate(body, maxInflate);
    if (inflated === 'overflow') return { overflow: true };
    if (!inflated) return { malformed: `iTXt ${keyword}: corrupt zlib stream` };
    textBytes = inflated;
  }
  const entry: PngTextEntry = {
    chunk: type,
    keyword,
    text: utf8(textBytes),
    compressed: isCompressed,
  };
  const language = latin1(data, keywordEnd + 3, languageEnd);
  const translated = utf8(data.subarray(languageEnd + 1, translatedEnd));
  if (language) entry.language = language;
  if (translated) entry.translatedKeyword = translated;
  return { entry };
}

function inflate(data: Uint8Array, maxOutput: number): Uint8Array | 'overflow' | undefined {
  if (maxOutput <= 0) return 'overflow';
  try {
    return inflateSync(data, { maxOutputLength: maxOutput });
  } catch (error) {
    // Node reports an exceeded maxOutputLength as a RangeError (ERR_BUFFER_TOO_LARGE).
    return error instanceof RangeError ? 'overflow' : undefined;
  }
}

/**
 * ImageMagick and exiftool store EXIF/XMP/IPTC in text chunks named
 * `Raw profile type exif` as hex after a header line with the byte count.
 */
export function decodeRawProfile(text: string, maxBytes: number): Uint8Array | undefined {
  const m = /^\s*\S*\s*\n\s*(\d+)\s*\n([\s\S]*)$/.exec(text.slice(0, 64 + maxBytes * 3));
  if (!m) return undefined;
  const length = Number(m[1]);
  if (!Number.isSafeInteger(length) || length <= 0 || length > maxBytes) return undefined;
  const digits = (m[2] ?? '').replace(/[^0-9a-fA-F]/g, '');
  if (digits.length < length * 2) return undefined;
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) out[i] = parseInt(digits.slice(i * 2, i * 2 + 2), 16);
  return out;
}
