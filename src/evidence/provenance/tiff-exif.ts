/**
 * A bounded EXIF (TIFF IFD) reader. exifr parses EXIF well, but it reads
 * whole files and decodes far more than we need; here every offset is
 * checked, loops are refused and value sizes are capped, so a hostile
 * block costs at most a few milliseconds and never throws.
 */
import { cleanText, latin1, slice, u16, u32, utf16, utf8 } from './bytes.js';
import type { ExifData, ExifEntry, ExifFields } from './model.js';

/** Byte size of one value of each TIFF field type (index = type). */
const TYPE_SIZES: readonly number[] = [0, 1, 1, 2, 4, 8, 1, 1, 2, 4, 8, 4, 8, 4];
const MAX_ENTRIES_PER_IFD = 1024;
const MAX_VALUE_BYTES = 1 << 20;
const MAX_NUMBERS = 4096;
/** MakerNote is vendor-private, large and never needed. */
const SKIPPED_TAGS = new Set([0x927c]);

/** Tags we read, named for readability. */
export const TAG = {
  ProcessingSoftware: 0x000b,
  ImageWidth: 0x0100,
  ImageHeight: 0x0101,
  ImageDescription: 0x010e,
  Make: 0x010f,
  Model: 0x0110,
  Orientation: 0x0112,
  Software: 0x0131,
  ModifyDate: 0x0132,
  Artist: 0x013b,
  HostComputer: 0x013c,
  ThumbnailOffset: 0x0201,
  ThumbnailLength: 0x0202,
  XmpPacket: 0x02bc,
  IptcNaa: 0x83bb,
  ExifIfd: 0x8769,
  GpsIfd: 0x8825,
  DateTimeOriginal: 0x9003,
  CreateDate: 0x9004,
  OffsetTime: 0x9010,
  OffsetTimeOriginal: 0x9011,
  OffsetTimeDigitized: 0x9012,
  UserComment: 0x9286,
  XpTitle: 0x9c9b,
  XpComment: 0x9c9c,
  XpKeywords: 0x9c9e,
  XpSubject: 0x9c9f,
  PixelXDimension: 0xa002,
  PixelYDimension: 0xa003,
  LensModel: 0xa434,
  GpsTimeStamp: 0x0007,
  GpsDateStamp: 0x001d,
} as const;

/** A decoded EXIF block plus its IFD1 thumbnail, when one is embedded. */
export interface ParsedExif {
  exif: ExifData;
  thumbnail?: Uint8Array;
}

/** Parses a TIFF-structured EXIF block (starting at `II*\0` or `MM\0*`); undefined when it is not one. */
export function parseExif(
  tiff: Uint8Array,
  source: string,
  warnings: string[],
): ParsedExif | undefined {
  const order = latin1(tiff, 0, 2);
  if (order !== 'II' && order !== 'MM') {
    warnings.push(`${source}: not a TIFF header`);
    return undefined;
  }
  const le = order === 'II';
  if (u16(tiff, 2, le) !== 42) {
    warnings.push(`${source}: bad TIFF magic`);
    return undefined;
  }
  const reader = new IfdReader(tiff, le, source, warnings);
  const first = u32(tiff, 4, le) ?? 0;
  const ifd0 = reader.read(first);
  const exifIfd = reader.readPointer(ifd0.entries, TAG.ExifIfd);
  const gpsIfd = reader.readPointer(ifd0.entries, TAG.GpsIfd);
  const ifd1 = ifd0.next > 0 ? reader.read(ifd0.next).entries : new Map<number, ExifEntry>();
  const fields = decodeFields(ifd0.entries, exifIfd, gpsIfd);
  const exif: ExifData = {
    byteOrder: order,
    source,
    ifd0: ifd0.entries,
    exif: exifIfd,
    gps: gpsIfd,
    ifd1,
    fields,
  };
  const thumbnail = readThumbnail(tiff, ifd1, source, warnings);
  return thumbnail ? { exif, thumbnail } : { exif };
}

class IfdReader {
  private readonly visited = new Set<number>();

  constructor(
    private readonly tiff: Uint8Array,
    private readonly le: boolean,
    private readonly source: string,
    private readonly warnings: string[],
  ) {}

  readPointer(entries: ReadonlyMap<number, ExifEntry>, tag: number): Map<number, ExifEntry> {
    const pointer = firstNumber(entries.get(tag));
    return pointer === undefined ? new Map<number, ExifEntry>() : this.read(pointer).entries;
  }

  read(offset: number): { entries: Map<number, ExifEntry>; next: number } {
    const entries = new Map<number, ExifEntry>();
    // A visited offset means a loop (or a shared IFD): read each once.
    if (offset <= 0 || this.visited.has(offset)) return { entries, next: 0 };
    this.visited.add(offset);
    const count = u16(this.tiff, offset, this.le);
    if (count === undefined) {
      this.warnings.push(`${this.source}: IFD offset ${offset} past the end`);
      return { entries, next: 0 };
    }
    const n = Math.min(count, MAX_ENTRIES_PER_IFD);
    for (let i = 0; i < n; i++) {
      const at = offset + 2 + i * 12;
      if (at + 12 > this.tiff.length) {
        this.warnings.push(`${this.source}: IFD truncated`);
        break;
      }
      const tag = u16(this.tiff, at, this.le) ?? 0;
      if (SKIPPED_TAGS.has(tag)) continue;
      const entry = this.entry(at);
      if (entry) entries.set(tag, entry);
    }
    const next = u32(this.tiff, offset + 2 + count * 12, this.le) ?? 0;
    return { entries, next };
  }

  private entry(at: number): ExifEntry | undefined {
    const type = u16(this.tiff, at + 2, this.le) ?? 0;
    const count = u32(this.tiff, at + 4, this.le) ?? 0;
    const size = TYPE_SIZES[type];
    if (!size) return undefined;
    const total = size * count;
    if (total > MAX_VALUE_BYTES) {
      this.warnings.push(`${this.source}: tag value of ${total} bytes skipped`);
      return undefined;
    }
    const start = total <= 4 ? at + 8 : (u32(this.tiff, at + 8, this.le) ?? -1);
    if (start < 0 || start + total > this.tiff.length) {
      this.warnings.push(`${this.source}: tag value out of bounds`);
      return undefined;
    }
    const raw = this.tiff.subarray(start, start + total);
    return { type, count, value: this.decode(type, raw, count) };
  }

  private decode(type: number, raw: Uint8Array, count: number): ExifEntry['value'] {
    if (type === 2) return asciiText(raw);
    if (type === 1 || type === 6 || type === 7) return raw;
    const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
    const n = Math.min(count, MAX_NUMBERS);
    const out: number[] = [];
    for (let i = 0; i < n; i++) out.push(readNumber(view, type, i, this.le));
    return out;
  }
}

function readNumber(view: DataView, type: number, i: number, le: boolean): number {
  switch (type) {
    case 3:
      return view.getUint16(i * 2, le);
    case 8:
      return view.getInt16(i * 2, le);
    case 4:
    case 13:
      return view.getUint32(i * 4, le);
    case 9:
      return view.getInt32(i * 4, le);
    case 5:
      return ratio(view.getUint32(i * 8, le), view.getUint32(i * 8 + 4, le));
    case 10:
      return ratio(view.getInt32(i * 8, le), view.getInt32(i * 8 + 4, le));
    case 11:
      return view.getFloat32(i * 4, le);
    case 12:
      return view.getFloat64(i * 8, le);
    default:
      return Number.NaN;
  }
}

function ratio(num: number, den: number): number {
  return den === 0 ? Number.NaN : num / den;
}

/** EXIF "ASCII" is routinely UTF-8 in phones sold in China; fall back to Latin-1 when it is not. */
function asciiText(raw: Uint8Array): string {
  const text = utf8(raw);
  return cleanText(text.includes('\uFFFD') ? latin1(raw) : text);
}

function firstNumber(entry: ExifEntry | undefined): number | undefined {
  if (!entry || !Array.isArray(entry.value)) return undefined;
  const v = entry.value[0];
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

function text(entry: ExifEntry | undefined): string | undefined {
  if (!entry) return undefined;
  if (typeof entry.value === 'string') return entry.value || undefined;
  if (entry.value instanceof Uint8Array) return cleanText(utf8(entry.value)) || undefined;
  return undefined;
}

/** Windows XP* tags are UCS-2 little-endian byte arrays. */
function xpText(entry: ExifEntry | undefined): string | undefined {
  if (!entry) return undefined;
  if (entry.value instanceof Uint8Array) return cleanText(utf16(entry.value, true)) || undefined;
  if (Array.isArray(entry.value))
    return (
      cleanText(
        utf16(
          Uint8Array.from(entry.value, (v) => v & 0xff),
          true,
        ),
      ) || undefined
    );
  return text(entry);
}

/** Decodes UserComment: an 8-byte charset prefix, then the text. */
export function decodeUserComment(raw: Uint8Array): { text: string; charset: string } | undefined {
  if (raw.length === 0) return undefined;
  const prefix = latin1(raw, 0, 8);
  const body = raw.subarray(8);
  if (prefix === 'ASCII\0\0\0') return { text: cleanText(asciiText(body)), charset: 'ASCII' };
  if (prefix === 'UNICODE\0') {
    const le = guessUtf16LittleEndian(body);
    return {
      text: cleanText(utf16(stripBom(body), le).replace(/^\uFEFF/, '')),
      charset: le ? 'UNICODE-LE' : 'UNICODE-BE',
    };
  }
  if (prefix === 'JIS\0\0\0\0\0') return { text: cleanText(latin1(body)), charset: 'JIS' };
  if (prefix === '\0\0\0\0\0\0\0\0') return { text: cleanText(utf8(body)), charset: 'undefined' };
  // No charset prefix at all: some writers store plain UTF-8.
  return { text: cleanText(utf8(raw)), charset: 'none' };
}

function stripBom(body: Uint8Array): Uint8Array {
  const a = body[0];
  const b = body[1];
  return (a === 0xff && b === 0xfe) || (a === 0xfe && b === 0xff) ? body.subarray(2) : body;
}

/** The spec says "TIFF byte order", writers disagree; a BOM or the zero-byte pattern of Latin text decides. */
function guessUtf16LittleEndian(body: Uint8Array): boolean {
  if (body[0] === 0xff && body[1] === 0xfe) return true;
  if (body[0] === 0xfe && body[1] === 0xff) return false;
  let zerosAtEven = 0;
  let zerosAtOdd = 0;
  const n = Math.min(body.length, 512);
  for (let i = 0; i < n; i++) {
    if (body[i] === 0) {
      if (i % 2 === 0) zerosAtEven++;
      else zerosAtOdd++;
    }
  }
  return zerosAtOdd >= zerosAtEven;
}

function decodeFields(
  ifd0: ReadonlyMap<number, ExifEntry>,
  exif: ReadonlyMap<number, ExifEntry>,
  gps: ReadonlyMap<number, ExifEntry>,
): ExifFields {
  const fields: ExifFields = { hasGps: gps.size > 0 };
  const put = <K extends keyof ExifFields>(key: K, value: ExifFields[K] | undefined): void => {
    if (value !== undefined) fields[key] = value;
  };
  put('make', text(ifd0.get(TAG.Make)));
  put('model', text(ifd0.get(TAG.Model)));
  put('software', text(ifd0.get(TAG.Software)));
  put('processingSoftware', text(ifd0.get(TAG.ProcessingSoftware)));
  put('hostComputer', text(ifd0.get(TAG.HostComputer)));
  put('imageDescription', text(ifd0.get(TAG.ImageDescription)));
  put('artist', text(ifd0.get(TAG.Artist)));
  put('orientation', firstNumber(ifd0.get(TAG.Orientation)));
  put('modifyDate', text(ifd0.get(TAG.ModifyDate)));
  put('dateTimeOriginal', text(exif.get(TAG.DateTimeOriginal)));
  put('createDate', text(exif.get(TAG.CreateDate)));
  put('offsetTime', text(exif.get(TAG.OffsetTime)));
  put('offsetTimeOriginal', text(exif.get(TAG.OffsetTimeOriginal)));
  put('offsetTimeDigitized', text(exif.get(TAG.OffsetTimeDigitized)));
  const comment = exif.get(TAG.UserComment);
  if (comment) {
    const decoded =
      comment.value instanceof Uint8Array
        ? decodeUserComment(comment.value)
        : typeof comment.value === 'string'
          ? { text: comment.value, charset: 'ascii-type' }
          : undefined;
    if (decoded?.text) {
      fields.userComment = decoded.text;
      fields.userCommentCharset = decoded.charset;
    }
  }
  put('xpComment', xpText(ifd0.get(TAG.XpComment)));
  put('xpTitle', xpText(ifd0.get(TAG.XpTitle)));
  put('xpSubject', xpText(ifd0.get(TAG.XpSubject)));
  put('xpKeywords', xpText(ifd0.get(TAG.XpKeywords)));
  put('pixelXDimension', firstNumber(exif.get(TAG.PixelXDimension)));
  put('pixelYDimension', firstNumber(exif.get(TAG.PixelYDimension)));
  put('lensModel', text(exif.get(TAG.LensModel)));
  put('gpsUtc', gpsInstant(gps));
  return fields;
}

/** GPS time is UTC by definition, which pins down a capture time whose offset is missing. */
function gpsInstant(gps: ReadonlyMap<number, ExifEntry>): string | undefined {
  const date = text(gps.get(TAG.GpsDateStamp));
  const time = gps.get(TAG.GpsTimeStamp)?.value;
  if (!date || !Array.isArray(time) || time.length < 3) return undefined;
  const d = /^(\d{4})[:-](\d{2})[:-](\d{2})$/.exec(date);
  const [h, m, s] = time as [number, number, number];
  if (!d || ![h, m, s].every((v) => Number.isFinite(v) && v >= 0) || h >= 24 || m >= 60 || s >= 61)
    return undefined;
  const ms = Date.UTC(Number(d[1]), Number(d[2]) - 1, Number(d[3]), h, m, Math.floor(s));
  return Number.isFinite(ms) ? new Date(ms).toISOString() : undefined;
}

function readThumbnail(
  tiff: Uint8Array,
  ifd1: ReadonlyMap<number, ExifEntry>,
  source: string,
  warnings: string[],
): Uint8Array | undefined {
  const offset = firstNumber(ifd1.get(TAG.ThumbnailOffset));
  const length = firstNumber(ifd1.get(TAG.ThumbnailLength));
  if (offset === undefined || length === undefined || length === 0) return undefined;
  if (offset + length > tiff.length) {
    warnings.push(`${source}: thumbnail runs past the EXIF block`);
    return undefined;
  }
  const bytes = slice(tiff, offset, offset + length);
  return bytes[0] === 0xff && bytes[1] === 0xd8 ? bytes : undefined;
}
