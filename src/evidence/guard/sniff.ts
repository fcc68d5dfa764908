import { EvidenceError } from '../errors.js';
import type { ImageFormat } from '../model.js';
import { fourcc, hasAscii, u32be } from './bytes.js';

// ISOBMFF brands (ISO/IEC 23008-12 and the AVIF spec). HEVC-coded HEIF
// comes as heic/heix (stills), hevc/hevx (sequences), heim/heis (multi-layer,
// scalable) and hevm/hevs; mif1/msf1/mif2/miaf are codec-neutral HEIF brands.
const AVIF_BRANDS = new Set(['avif', 'avis']);
const HEVC_BRANDS = new Set(['heic', 'heix', 'hevc', 'hevx', 'heim', 'heis', 'hevm', 'hevs']);
const GENERIC_HEIF_BRANDS = new Set(['mif1', 'msf1', 'mif2', 'miaf']);

/** How far into a text file we look for an SVG root element. */
const SVG_SCAN_BYTES = 64 * 1024;

/** Detects the real image type from magic bytes, whatever the file is called; refuses everything else. */
export function sniffFormat(bytes: Uint8Array): ImageFormat {
  if (bytes.length === 0) throw new EvidenceError('EVIDENCE_EMPTY', 'invalid', 'the file is empty');
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff)
    return 'jpeg';
  if (hasAscii(bytes, 0, '\x89PNG\r\n\x1a\n')) return 'png';
  if (hasAscii(bytes, 0, 'GIF87a') || hasAscii(bytes, 0, 'GIF89a')) return 'gif';
  if (hasAscii(bytes, 0, 'RIFF') && hasAscii(bytes, 8, 'WEBP')) return 'webp';
  if (hasAscii(bytes, 4, 'ftyp')) {
    const format = heifFormatOf(bytes);
    if (format) return format;
  }
  if (looksLikeSvg(bytes)) {
    throw new EvidenceError(
      'EVIDENCE_SVG_REFUSED',
      'unsupported',
      'SVG images are not accepted as evidence',
    );
  }
  throw new EvidenceError(
    'EVIDENCE_UNSUPPORTED_FORMAT',
    'unsupported',
    'the file is not a supported image',
    {
      magic: hexPrefix(bytes),
    },
  );
}

/** The image format an ISOBMFF `ftyp` box declares, or undefined for video and other ISOBMFF files. */
function heifFormatOf(bytes: Uint8Array): ImageFormat | undefined {
  if (bytes.length < 16) return undefined;
  const size = u32be(bytes, 0);
  if (size < 16 || size > bytes.length || size > 4096) return undefined;
  const major = fourcc(bytes, 8);
  const compatible: string[] = [];
  for (let offset = 16; offset + 4 <= size; offset += 4) compatible.push(fourcc(bytes, offset));
  // The major brand decides when it is specific; a generic one defers to the list.
  if (AVIF_BRANDS.has(major)) return 'avif';
  if (HEVC_BRANDS.has(major)) return 'heic';
  if (compatible.some((brand) => AVIF_BRANDS.has(brand))) return 'avif';
  if (compatible.some((brand) => HEVC_BRANDS.has(brand))) return 'heic';
  if (
    GENERIC_HEIF_BRANDS.has(major) ||
    compatible.some((brand) => GENERIC_HEIF_BRANDS.has(brand))
  ) {
    return 'heic';
  }
  return undefined;
}

/**
 * True for an SVG document: optional BOM and whitespace, then an XML prolog
 * (declaration, comments, processing instructions, doctype) and an `svg` root
 * element, or failing a clean prolog, any `<svg` tag near the start of a text file.
 */
export function looksLikeSvg(bytes: Uint8Array): boolean {
  const text = decodeTextPrefix(bytes);
  if (text === undefined) return false;
  let at = 0;
  const skipSpace = () => {
    while (at < text.length && /\s/.test(text[at]!)) at++;
  };
  for (;;) {
    skipSpace();
    if (text.startsWith('<?', at)) {
      const end = text.indexOf('?>', at);
      if (end < 0) break;
      at = end + 2;
    } else if (text.startsWith('<!--', at)) {
      const end = text.indexOf('-->', at);
      if (end < 0) break;
      at = end + 3;
    } else if (/^<!doctype/i.test(text.slice(at, at + 9))) {
      const bracket = text.indexOf('[', at);
      const close = text.indexOf('>', at);
      // An internal subset ([ ... ]) may itself contain '>' characters.
      const hasSubset = bracket >= 0 && bracket < close;
      const end = hasSubset ? text.indexOf(']>', bracket) : close;
      if (/^<!doctype\s+(\w+:)?svg\b/i.test(text.slice(at, at + 40))) return true;
      if (end < 0) break;
      at = end + (hasSubset ? 2 : 1);
    } else if (text[at] === '<') {
      return /^<(\w[\w.-]*:)?svg[\s>/]/i.test(text.slice(at, at + 64));
    } else {
      return false;
    }
  }
  // An unfinished prolog: fall back to a plain search so truncation cannot hide an SVG.
  return /<(\w[\w.-]*:)?svg[\s>/]/i.test(text);
}

/** The start of the input as text when it plausibly is text (UTF-8 or UTF-16), else undefined. */
function decodeTextPrefix(bytes: Uint8Array): string | undefined {
  const head = bytes.subarray(0, SVG_SCAN_BYTES);
  let encoding: 'utf-8' | 'utf-16le' | 'utf-16be' = 'utf-8';
  let start = 0;
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) start = 3;
  else if (head[0] === 0xff && head[1] === 0xfe) [encoding, start] = ['utf-16le', 2];
  else if (head[0] === 0xfe && head[1] === 0xff) [encoding, start] = ['utf-16be', 2];
  else if (head[0] === 0x3c && head[1] === 0x00) encoding = 'utf-16le';
  else if (head[0] === 0x00 && head[1] === 0x3c) encoding = 'utf-16be';
  // UTF-16 needs whole code units; a cut UTF-8 sequence just decodes to U+FFFD.
  const end = encoding === 'utf-8' ? head.length : start + ((head.length - start) & ~1);
  const body = head.subarray(start, end);
  const text = new TextDecoder(encoding, { fatal: false }).decode(body);
  const trimmed = text.trimStart();
  if (!trimmed.startsWith('<')) return undefined;
  // Binary data with a leading '<' is not a document: NULs would have been decoded away in UTF-16.
  if (trimmed.includes('\u0000')) return undefined;
  return trimmed;
}

function hexPrefix(bytes: Uint8Array): string {
  return Buffer.from(bytes.subarray(0, 8)).toString('hex');
}
