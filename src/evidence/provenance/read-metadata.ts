/**
 * Reads every metadata container of an image into a `MetadataBundle`:
 * EXIF, XMP (with extended XMP), IPTC, PNG text, JPEG comments, the EXIF
 * thumbnail and the C2PA manifest store. Malformed structures become
 * warnings; only metadata beyond the byte cap is refused, as a bomb.
 */
import { crc32 } from 'node:zlib';
import { EvidenceError } from '../errors.js';
import { DEFAULT_LIMITS, type ImageFormat } from '../model.js';
import { latin1, startsWithAscii, u32, utf8 } from './bytes.js';
import { validateC2pa } from './c2pa-validate.js';
import {
  walkJpeg,
  walkPng,
  walkRiff,
  webpSize,
  type JpegSegment,
  type PngChunk,
} from './containers.js';
import { readHeifMetadata } from './heif-items.js';
import { parseIim, parsePhotoshopIptc } from './iptc.js';
import { assembleC2paFromApp11, isC2paStore, readApp11Packet, type JumbfPacket } from './jumbf.js';
import type { C2paData, MetadataBundle } from './model.js';
import { decodeRawProfile, decodeTextChunk } from './png-text.js';
import { parseExif } from './tiff-exif.js';
import { parseXmp } from './xmp.js';

/** How much metadata to read and whether to run the C2PA validator. */
export interface ReadMetadataOptions {
  /** Cap on all metadata payloads together, after decompression (default `DEFAULT_LIMITS.maxMetadataBytes`). */
  maxMetadataBytes?: number;
  /** Validate an embedded C2PA manifest store (default true). */
  validateC2pa?: boolean;
  /** `throw` (default) refuses metadata beyond the cap with EVIDENCE_METADATA_TOO_LARGE; `skip` keeps what fit. */
  onOversize?: 'throw' | 'skip';
}

const XMP_HEADER = 'http://ns.adobe.com/xap/1.0/\0';
const XMP_EXTENSION_HEADER = 'http://ns.adobe.com/xmp/extension/\0';
const PHOTOSHOP_HEADER = 'Photoshop 3.0\0';

/** Reads the image's metadata and, when a manifest is embedded, validates it with c2pa-wasm. */
export async function readMetadata(
  bytes: Uint8Array,
  format: ImageFormat,
  options: ReadMetadataOptions = {},
): Promise<MetadataBundle> {
  const bundle = readContainers(bytes, format, options);
  if (bundle.c2pa && options.validateC2pa !== false) {
    bundle.c2pa.report = await validateC2pa(bytes, bundle.format);
  }
  return bundle;
}

/** The synchronous part of `readMetadata`: container walking only, no C2PA validation. */
export function readContainers(
  bytes: Uint8Array,
  format: ImageFormat,
  options: ReadMetadataOptions = {},
): MetadataBundle {
  const actual = sniffFormat(bytes) ?? format;
  const collector = new Collector(
    actual,
    options.maxMetadataBytes ?? DEFAULT_LIMITS.maxMetadataBytes,
  );
  try {
    switch (actual) {
      case 'jpeg':
        readJpeg(bytes, collector);
        break;
      case 'png':
        readPng(bytes, collector);
        break;
      case 'webp':
        readWebp(bytes, collector);
        break;
      case 'avif':
      case 'heic':
        readHeif(bytes, collector);
        break;
      case 'gif':
        break; // GIF carries no camera or generator metadata worth reading here
    }
  } catch (error) {
    // The walkers are bounds-checked; this is a last line of defence, not a code path.
    collector.warn(
      `unexpected ${error instanceof Error ? error.name : 'error'} while reading metadata`,
    );
  }
  if (collector.overflow && (options.onOversize ?? 'throw') === 'throw') {
    throw new EvidenceError(
      'EVIDENCE_METADATA_TOO_LARGE',
      'too_large',
      `Metadata exceeds ${collector.max} bytes (${collector.overflow})`,
      {
        limit: collector.max,
        where: collector.overflow,
      },
    );
  }
  return collector.bundle;
}

/** Recognises the container from its magic bytes; the caller's format is only a fallback. */
export function sniffFormat(bytes: Uint8Array): ImageFormat | undefined {
  if (bytes[0] === 0xff && bytes[1] === 0xd8) return 'jpeg';
  if (startsWithAscii(bytes, '\x89PNG')) return 'png';
  if (startsWithAscii(bytes, 'RIFF') && startsWithAscii(bytes, 'WEBP', 8)) return 'webp';
  if (startsWithAscii(bytes, 'GIF8')) return 'gif';
  if (startsWithAscii(bytes, 'ftyp', 4)) {
    const brands = latin1(bytes, 8, Math.min(bytes.length, 8 + Math.min(u32(bytes, 0) ?? 0, 64)));
    return /avif|avis/.test(brands) ? 'avif' : 'heic';
  }
  return undefined;
}

class Collector {
  readonly bundle: MetadataBundle;
  overflow: string | undefined;

  constructor(
    format: ImageFormat,
    readonly max: number,
  ) {
    this.bundle = { format, pngText: [], comments: [], metadataBytes: 0, warnings: [] };
  }

  warn(message: string): void {
    if (this.bundle.warnings.length < 200) this.bundle.warnings.push(message);
  }

  remaining(): number {
    return Math.max(0, this.max - this.bundle.metadataBytes);
  }

  /** Accounts for `n` bytes of metadata; false (and an overflow note) when the cap is passed. */
  take(n: number, what: string): boolean {
    if (this.bundle.metadataBytes + n > this.max) {
      this.overflow ??= what;
      return false;
    }
    this.bundle.metadataBytes += n;
    return true;
  }

  addExif(tiff: Uint8Array, source: string): void {
    if (!this.take(tiff.length, source)) return;
    if (this.bundle.exif) {
      this.warn(`${source}: a second EXIF block was ignored`);
      return;
    }
    const parsed = parseExif(tiff, source, this.bundle.warnings);
    if (!parsed) return;
    this.bundle.exif = parsed.exif;
    if (parsed.thumbnail) this.bundle.thumbnail = parsed.thumbnail;
    // TIFF-style EXIF may carry its own XMP (tag 0x02BC).
    const xmp = parsed.exif.ifd0.get(0x02bc)?.value;
    if (xmp instanceof Uint8Array) this.addXmp(utf8(xmp), `${source}:0x02BC`);
  }

  addXmp(text: string, source: string): void {
    if (!this.take(text.length, source)) return;
    const xmp = (this.bundle.xmp ??= { packets: [], sources: [], properties: [] });
    xmp.packets.push(text);
    xmp.sources.push(source);
    for (const property of parseXmp(text)) xmp.properties.push(property);
  }

  setC2pa(jumbf: Uint8Array, source: C2paData['source']): void {
    if (this.bundle.c2pa) return;
    if (!this.take(jumbf.length, source)) return;
    this.bundle.c2pa = { jumbf, source };
  }
}

function readJpeg(bytes: Uint8Array, c: Collector): void {
  const { segments, size } = walkJpeg(bytes, c.bundle.warnings);
  if (size) c.bundle.image = size;
  const packets: JumbfPacket[] = [];
  const extended = new Map<string, JpegSegment[]>();
  for (const segment of segments) {
    const p = segment.payload;
    if (segment.marker === 0xe1 && startsWithAscii(p, 'Exif\0'))
      c.addExif(p.subarray(6), 'jpeg:APP1');
    else if (segment.marker === 0xe1 && startsWithAscii(p, XMP_HEADER))
      c.addXmp(utf8(p.subarray(XMP_HEADER.length)), 'jpeg:APP1');
    else if (segment.marker === 0xe1 && startsWithAscii(p, XMP_EXTENSION_HEADER)) {
      const guid = latin1(p, XMP_EXTENSION_HEADER.length, XMP_EXTENSION_HEADER.length + 32);
      extended.set(guid, [...(extended.get(guid) ?? []), segment]);
    } else if (segment.marker === 0xed && startsWithAscii(p, PHOTOSHOP_HEADER)) {
      if (c.take(p.length, 'jpeg:APP13')) {
        const datasets = parsePhotoshopIptc(p.subarray(PHOTOSHOP_HEADER.length), c.bundle.warnings);
        if (datasets.length > 0) c.bundle.iptc = [...(c.bundle.iptc ?? []), ...datasets];
      }
    } else if (segment.marker === 0xeb) {
      const packet = readApp11Packet(p);
      if (packet) packets.push(packet);
    } else if (segment.marker === 0xfe && c.take(p.length, 'jpeg:COM')) {
      c.bundle.comments.push(utf8(p));
    }
  }
  for (const [guid, parts] of extended) {
    const text = assembleExtendedXmp(parts, c.remaining(), c.bundle.warnings);
    if (text === 'overflow') c.take(c.remaining() + 1, 'jpeg:extended XMP');
    else if (text) c.addXmp(text.text, `jpeg:extended XMP ${guid}`);
  }
  if (packets.length > 0) {
    const store = assembleC2paFromApp11(packets, c.remaining(), c.bundle.warnings);
    if (store) c.setC2pa(store, 'jpeg:APP11');
  }
}

/** Extended XMP: GUID, full length and offset, then a slice of one long packet. */
function assembleExtendedXmp(
  parts: readonly JpegSegment[],
  max: number,
  warnings: string[],
): { text: string } | 'overflow' | undefined {
  const headerEnd = XMP_EXTENSION_HEADER.length + 32;
  const fullLength = u32(parts[0]?.payload ?? new Uint8Array(), headerEnd) ?? 0;
  if (fullLength > max) return 'overflow';
  const out = new Uint8Array(fullLength);
  for (const { payload } of parts) {
    const offset = u32(payload, headerEnd + 4) ?? 0;
    const data = payload.subarray(headerEnd + 8);
    if (offset + data.length > fullLength) {
      warnings.push('jpeg: extended XMP slice out of range');
      return undefined;
    }
    out.set(data, offset);
  }
  return { text: utf8(out) };
}

function readPng(bytes: Uint8Array, c: Collector): void {
  const chunks = walkPng(bytes, (data) => crc32(data), c.bundle.warnings);
  const header = chunks[0];
  if (header?.type === 'IHDR')
    c.bundle.image = { width: u32(header.data, 0) ?? 0, height: u32(header.data, 4) ?? 0 };
  for (const chunk of chunks) {
    if (!chunk.crcOk) c.warn(`png: CRC mismatch in ${JSON.stringify(chunk.type)}`);
    readPngChunk(chunk, c);
  }
}

function readPngChunk(chunk: PngChunk, c: Collector): void {
  const { type, data } = chunk;
  if (type === 'eXIf') {
    c.addExif(startsWithAscii(data, 'Exif\0') ? data.subarray(6) : data, 'png:eXIf');
  } else if (type === 'caBX') {
    if (isC2paStore(data)) c.setC2pa(data, 'png:caBX');
  } else if (type === 'tEXt' || type === 'zTXt' || type === 'iTXt') {
    if (!c.take(data.length, `png:${type}`)) return;
    const result = decodeTextChunk(type, data, c.remaining() + 1);
    if ('overflow' in result) c.take(c.remaining() + 1, `png:${type} (inflated)`);
    else if ('malformed' in result) c.warn(`png: ${result.malformed}`);
    else {
      const entry = result.entry;
      if (entry.compressed) c.take(entry.text.length, `png:${type} (inflated)`);
      routePngText(entry.keyword, entry.text, c);
      c.bundle.pngText.push(entry);
    }
  }
}

/** Some text chunks are other containers in disguise (XMP packet, hex-encoded EXIF/IPTC). */
function routePngText(keyword: string, text: string, c: Collector): void {
  const key = keyword.toLowerCase();
  if (key === 'xml:com.adobe.xmp' || key === 'raw profile type xmp') {
    const hexDecoded =
      key === 'raw profile type xmp' ? decodeRawProfile(text, c.remaining()) : undefined;
    c.addXmp(hexDecoded ? utf8(hexDecoded) : text, `png:${keyword}`);
  } else if (key === 'raw profile type exif' || key === 'raw profile type app1') {
    const raw = decodeRawProfile(text, c.remaining());
    if (raw) c.addExif(startsWithAscii(raw, 'Exif\0') ? raw.subarray(6) : raw, `png:${keyword}`);
  } else if (key === 'raw profile type iptc' || key === 'raw profile type 8bim') {
    const raw = decodeRawProfile(text, c.remaining());
    if (!raw) return;
    const datasets = startsWithAscii(raw, '8BIM')
      ? parsePhotoshopIptc(raw, c.bundle.warnings)
      : parseIim(raw, c.bundle.warnings);
    if (datasets.length > 0) c.bundle.iptc = [...(c.bundle.iptc ?? []), ...datasets];
  }
}

function readWebp(bytes: Uint8Array, c: Collector): void {
  const chunks = walkRiff(bytes, c.bundle.warnings);
  const size = webpSize(chunks);
  if (size) c.bundle.image = size;
  for (const { fourcc, data } of chunks) {
    if (fourcc === 'EXIF')
      c.addExif(startsWithAscii(data, 'Exif\0') ? data.subarray(6) : data, 'webp:EXIF');
    else if (fourcc === 'XMP ') c.addXmp(utf8(data), 'webp:XMP');
    else if (fourcc === 'C2PA' && isC2paStore(data)) c.setC2pa(data, 'webp:C2PA');
  }
}

function readHeif(bytes: Uint8Array, c: Collector): void {
  const found = readHeifMetadata(bytes, c.remaining() + 1, c.bundle.warnings);
  if (found.size) c.bundle.image = found.size;
  for (const tiff of found.exif) c.addExif(tiff, 'heif:Exif');
  for (const xmp of found.xmp) c.addXmp(utf8(xmp), 'heif:mime');
  if (found.c2pa && isC2paStore(found.c2pa)) c.setC2pa(found.c2pa, 'bmff:uuid');
}
