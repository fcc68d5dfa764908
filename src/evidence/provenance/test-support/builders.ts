/**
 * Byte-exact builders for metadata test fixtures: TIFF/EXIF blocks with
 * chosen tags, JPEG segments, PNG chunks with real CRCs, WebP RIFF chunks,
 * a minimal HEIF `meta` box and C2PA-shaped JUMBF boxes.
 */
import { crc32, deflateSync } from 'node:zlib';
import sharp from 'sharp';

/** One TIFF tag to write. */
export type TagSpec =
  | { tag: number; type: 'ascii'; value: string }
  | { tag: number; type: 'short' | 'long'; value: number[] }
  | { tag: number; type: 'rational'; value: [number, number][] }
  | { tag: number; type: 'undefined' | 'byte'; value: Uint8Array };

const TYPE_CODE = { byte: 1, ascii: 2, short: 3, long: 4, rational: 5, undefined: 7 } as const;

/** Builds a TIFF block: IFD0 (+ Exif and GPS sub-IFDs) and an optional IFD1 with a JPEG thumbnail. */
export function buildTiff(spec: {
  littleEndian?: boolean;
  ifd0?: TagSpec[];
  exif?: TagSpec[];
  gps?: TagSpec[];
  ifd1?: TagSpec[];
  thumbnail?: Uint8Array;
}): Uint8Array {
  const le = spec.littleEndian ?? true;
  const out: number[] = [];
  const u16 = (v: number): number[] =>
    le ? [v & 0xff, (v >> 8) & 0xff] : [(v >> 8) & 0xff, v & 0xff];
  const u32 = (v: number): number[] =>
    le
      ? [v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff]
      : [(v >>> 24) & 0xff, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff];
  const patch32 = (at: number, v: number): void => {
    u32(v).forEach((b, i) => (out[at + i] = b));
  };
  out.push(...(le ? [0x49, 0x49] : [0x4d, 0x4d]), ...u16(42), ...u32(8));

  const encode = (t: TagSpec): { count: number; bytes: number[] } => {
    switch (t.type) {
      case 'ascii': {
        const bytes = [...Buffer.from(t.value, 'utf8'), 0];
        return { count: bytes.length, bytes };
      }
      case 'short':
        return { count: t.value.length, bytes: t.value.flatMap(u16) };
      case 'long':
        return { count: t.value.length, bytes: t.value.flatMap(u32) };
      case 'rational':
        return {
          count: t.value.length,
          bytes: t.value.flatMap(([n, d]) => [...u32(n), ...u32(d)]),
        };
      case 'undefined':
      case 'byte':
        return { count: t.value.length, bytes: [...t.value] };
    }
  };

  /** Writes an IFD at the current end; returns where its pointer-valued tags and next-IFD field sit. */
  const writeIfd = (
    tags: TagSpec[],
  ): { slots: Map<number, number>; next: number; start: number } => {
    const sorted = [...tags].sort((a, b) => a.tag - b.tag);
    const start = out.length;
    const dataStart = start + 2 + sorted.length * 12 + 4;
    const data: number[] = [];
    const slots = new Map<number, number>();
    out.push(...u16(sorted.length));
    for (const t of sorted) {
      const { count, bytes } = encode(t);
      out.push(...u16(t.tag), ...u16(TYPE_CODE[t.type]), ...u32(count));
      slots.set(t.tag, out.length);
      if (bytes.length <= 4) {
        out.push(...bytes, ...new Array<number>(4 - bytes.length).fill(0));
      } else {
        out.push(...u32(dataStart + data.length));
        data.push(...bytes);
        if (data.length % 2) data.push(0);
      }
    }
    const next = out.length;
    out.push(...u32(0), ...data);
    return { slots, next, start };
  };

  const ifd0Tags = [...(spec.ifd0 ?? [])];
  if (spec.exif) ifd0Tags.push({ tag: 0x8769, type: 'long', value: [0] });
  if (spec.gps) ifd0Tags.push({ tag: 0x8825, type: 'long', value: [0] });
  const ifd0 = writeIfd(ifd0Tags);
  if (spec.exif) patch32(ifd0.slots.get(0x8769) ?? 0, writeIfd(spec.exif).start);
  if (spec.gps) patch32(ifd0.slots.get(0x8825) ?? 0, writeIfd(spec.gps).start);
  if (spec.ifd1 || spec.thumbnail) {
    const tags = [...(spec.ifd1 ?? [])];
    if (spec.thumbnail) {
      tags.push({ tag: 0x0103, type: 'short', value: [6] });
      tags.push({ tag: 0x0201, type: 'long', value: [0] });
      tags.push({ tag: 0x0202, type: 'long', value: [spec.thumbnail.length] });
    }
    const ifd1 = writeIfd(tags);
    patch32(ifd0.next, ifd1.start);
    if (spec.thumbnail) {
      patch32(ifd1.slots.get(0x0201) ?? 0, out.length);
      out.push(...spec.thumbnail);
    }
  }
  return Uint8Array.from(out);
}

/** ASCII tag helper. */
export const ascii = (tag: number, value: string): TagSpec => ({ tag, type: 'ascii', value });

/** EXIF UserComment with a charset prefix. */
export function userComment(
  text: string,
  charset: 'ASCII' | 'UNICODE-LE' | 'UNICODE-BE' | 'JIS' | 'undefined',
): TagSpec {
  const prefix = {
    ASCII: 'ASCII\0\0\0',
    'UNICODE-LE': 'UNICODE\0',
    'UNICODE-BE': 'UNICODE\0',
    JIS: 'JIS\0\0\0\0\0',
    undefined: '\0\0\0\0\0\0\0\0',
  }[charset];
  let body: Buffer;
  if (charset === 'UNICODE-LE') body = Buffer.from(text, 'utf16le');
  else if (charset === 'UNICODE-BE') body = Buffer.from(text, 'utf16le').swap16();
  else body = Buffer.from(text, charset === 'JIS' ? 'latin1' : 'utf8');
  return {
    tag: 0x9286,
    type: 'undefined',
    value: Uint8Array.from([...Buffer.from(prefix, 'latin1'), ...body]),
  };
}

/** A typical phone's EXIF: make, model, times with offsets, sizes. */
export function phoneExif(options: {
  make?: string;
  model?: string;
  software?: string;
  captured?: string;
  modified?: string;
  offset?: string | null;
  width?: number;
  height?: number;
  orientation?: number;
  extraIfd0?: TagSpec[];
  extraExif?: TagSpec[];
  gps?: TagSpec[];
  thumbnail?: Uint8Array;
  littleEndian?: boolean;
}): Uint8Array {
  const captured = options.captured ?? '2025:03:01 10:00:00';
  const ifd0: TagSpec[] = [
    ascii(0x010f, options.make ?? 'Xiaomi'),
    ascii(0x0110, options.model ?? '23127PN0CC'),
    { tag: 0x0112, type: 'short', value: [options.orientation ?? 1] },
    ascii(0x0132, options.modified ?? captured),
    ...(options.software ? [ascii(0x0131, options.software)] : []),
    ...(options.extraIfd0 ?? []),
  ];
  const offset = options.offset === undefined ? '+08:00' : options.offset;
  const exif: TagSpec[] = [
    ascii(0x9003, captured),
    ascii(0x9004, captured),
    ...(offset ? [ascii(0x9010, offset), ascii(0x9011, offset), ascii(0x9012, offset)] : []),
    { tag: 0x829a, type: 'rational', value: [[1, 100]] },
    { tag: 0xa002, type: 'long', value: [options.width ?? 64] },
    { tag: 0xa003, type: 'long', value: [options.height ?? 48] },
    ...(options.extraExif ?? []),
  ];
  return buildTiff({
    littleEndian: options.littleEndian ?? true,
    ifd0,
    exif,
    ...(options.gps ? { gps: options.gps } : {}),
    ...(options.thumbnail ? { thumbnail: options.thumbnail } : {}),
  });
}

/** A JPEG segment. */
export interface Segment {
  marker: number;
  payload: Uint8Array;
}

const latin = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s, 'latin1'));
const concat = (...parts: Uint8Array[]): Uint8Array => Uint8Array.from(Buffer.concat(parts));
const be16 = (v: number): Uint8Array => Uint8Array.from([(v >> 8) & 0xff, v & 0xff]);
const be32 = (v: number): Uint8Array =>
  Uint8Array.from([(v >>> 24) & 0xff, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff]);
const le32 = (v: number): Uint8Array =>
  Uint8Array.from([v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff]);

/** Pixels with a gradient and a bright square, so that content comparisons have something to see. */
export function testPixels(
  width: number,
  height: number,
  square = { x: 0.25, y: 0.25, size: 0.3 },
): Uint8Array {
  const data = new Uint8Array(width * height * 3);
  const sx = Math.floor(square.x * width);
  const sy = Math.floor(square.y * height);
  const ss = Math.floor(square.size * Math.min(width, height));
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const inSquare = x >= sx && x < sx + ss && y >= sy && y < sy + ss;
      const i = (y * width + x) * 3;
      data[i] = inSquare ? 250 : Math.floor((x / width) * 160);
      data[i + 1] = inSquare ? 240 : Math.floor((y / height) * 160);
      data[i + 2] = inSquare ? 60 : 90;
    }
  }
  return data;
}

/** A metadata-free JPEG of the test pattern. */
export async function plainJpeg(
  width = 64,
  height = 48,
  pixels = testPixels(width, height),
): Promise<Uint8Array> {
  return new Uint8Array(
    await sharp(pixels, { raw: { width, height, channels: 3 } })
      .jpeg({ quality: 90 })
      .toBuffer(),
  );
}

/** Inserts segments right after SOI. */
export function withSegments(jpeg: Uint8Array, segments: readonly Segment[]): Uint8Array {
  const parts = segments.map((s) =>
    concat(Uint8Array.from([0xff, s.marker]), be16(s.payload.length + 2), s.payload),
  );
  return concat(jpeg.subarray(0, 2), ...parts, jpeg.subarray(2));
}

/** APP1 EXIF segment. */
export const exifSegment = (tiff: Uint8Array): Segment => ({
  marker: 0xe1,
  payload: concat(latin('Exif\0\0'), tiff),
});
/** APP1 XMP segment. */
export const xmpSegment = (xml: string): Segment => ({
  marker: 0xe1,
  payload: concat(
    latin('http://ns.adobe.com/xap/1.0/\0'),
    Uint8Array.from(Buffer.from(xml, 'utf8')),
  ),
});
/** COM segment. */
export const commentSegment = (text: string): Segment => ({
  marker: 0xfe,
  payload: Uint8Array.from(Buffer.from(text, 'utf8')),
});

/** Extended XMP segments (GUID, full length, offset) for one long packet. */
export function extendedXmpSegments(xml: string, guid: string, sliceSize: number): Segment[] {
  const body = Uint8Array.from(Buffer.from(xml, 'utf8'));
  const segments: Segment[] = [];
  for (let at = 0; at < body.length; at += sliceSize) {
    const payload = concat(
      latin('http://ns.adobe.com/xmp/extension/\0'),
      latin(guid.padEnd(32, '0').slice(0, 32)),
      be32(body.length),
      be32(at),
      body.subarray(at, at + sliceSize),
    );
    segments.push({ marker: 0xe1, payload });
  }
  return segments;
}

/** APP13 with one IPTC-IIM block inside Photoshop resources. */
export function iptcSegment(datasets: [number, number, string][]): Segment {
  const iim = concat(
    ...datasets.map(([r, d, v]) => {
      const value = Uint8Array.from(Buffer.from(v, 'utf8'));
      return concat(Uint8Array.from([0x1c, r, d]), be16(value.length), value);
    }),
  );
  const padded = iim.length % 2 ? concat(iim, Uint8Array.from([0])) : iim;
  const resource = concat(
    latin('8BIM'),
    be16(0x0404),
    Uint8Array.from([0, 0]),
    be32(iim.length),
    padded,
  );
  return { marker: 0xed, payload: concat(latin('Photoshop 3.0\0'), resource) };
}

/** A C2PA-shaped JUMBF superbox (description box with the C2PA UUID and label, plus filler). */
export function c2paJumbf(fillerBytes = 64): Uint8Array {
  const uuid = Uint8Array.from([
    0x63, 0x32, 0x70, 0x61, 0x00, 0x11, 0x00, 0x10, 0x80, 0x00, 0x00, 0xaa, 0x00, 0x38, 0x9b, 0x71,
  ]);
  const jumdBody = concat(uuid, Uint8Array.from([0x03]), latin('c2pa\0'));
  const jumd = concat(be32(8 + jumdBody.length), latin('jumd'), jumdBody);
  const filler = new Uint8Array(fillerBytes).map((_, i) => i & 0xff);
  const free = concat(be32(8 + filler.length), latin('free'), filler);
  return concat(be32(8 + jumd.length + free.length), latin('jumb'), jumd, free);
}

/** Splits a JUMBF superbox into APP11 segments the way C2PA writers do (header repeated in each). */
export function app11Segments(box: Uint8Array, maxPayload: number, instance = 1): Segment[] {
  const header = box.subarray(0, 8);
  const body = box.subarray(8);
  const segments: Segment[] = [];
  let sequence = 1;
  for (let at = 0; at < body.length; at += maxPayload) {
    const payload = concat(
      latin('JP'),
      be16(instance),
      be32(sequence++),
      header,
      body.subarray(at, at + maxPayload),
    );
    segments.push({ marker: 0xeb, payload });
  }
  return segments;
}

/** One PNG chunk with its CRC. */
export function pngChunk(type: string, data: Uint8Array): Uint8Array {
  const typeBytes = latin(type);
  return concat(be32(data.length), typeBytes, data, be32(crc32(concat(typeBytes, data))));
}

/** tEXt chunk. */
export const tEXt = (keyword: string, text: string): Uint8Array =>
  pngChunk('tEXt', concat(latin(`${keyword}\0`), latin(text)));
/** zTXt chunk (zlib). */
export const zTXt = (keyword: string, text: string): Uint8Array =>
  pngChunk('zTXt', concat(latin(`${keyword}\0\0`), deflateSync(Buffer.from(text, 'latin1'))));
/** iTXt chunk, optionally compressed. */
export function iTXt(keyword: string, text: string, compressed = false): Uint8Array {
  const body = Buffer.from(text, 'utf8');
  const data = compressed ? deflateSync(body) : body;
  return pngChunk(
    'iTXt',
    concat(
      latin(`${keyword}\0`),
      Uint8Array.from([compressed ? 1 : 0, 0]),
      latin('zh-CN\0'),
      Uint8Array.from(Buffer.from('说明\0', 'utf8')),
      data,
    ),
  );
}

/** A metadata-free PNG of the test pattern. */
export async function plainPng(
  width = 64,
  height = 48,
  pixels = testPixels(width, height),
): Promise<Uint8Array> {
  return new Uint8Array(
    await sharp(pixels, { raw: { width, height, channels: 3 } })
      .png()
      .toBuffer(),
  );
}

/** Inserts chunks right after IHDR. */
export function withChunks(png: Uint8Array, chunks: readonly Uint8Array[]): Uint8Array {
  const ihdrEnd = 8 + 12 + 13;
  return concat(png.subarray(0, ihdrEnd), ...chunks, png.subarray(ihdrEnd));
}

/** A WebP (VP8X extended layout) with extra chunks such as EXIF, `XMP ` or C2PA. */
export async function webpWith(
  width: number,
  height: number,
  chunks: { fourcc: string; data: Uint8Array }[],
): Promise<Uint8Array> {
  const simple = new Uint8Array(
    await sharp(testPixels(width, height), { raw: { width, height, channels: 3 } })
      .webp({ quality: 80 })
      .toBuffer(),
  );
  const vp8 = simple.subarray(12); // the "VP8 " chunk of a simple-format file
  const flags =
    (chunks.some((c) => c.fourcc === 'EXIF') ? 0x08 : 0) |
    (chunks.some((c) => c.fourcc === 'XMP ') ? 0x04 : 0);
  const vp8x = concat(Uint8Array.from([flags, 0, 0, 0]), le24(width - 1), le24(height - 1));
  const riffChunk = (fourcc: string, data: Uint8Array): Uint8Array =>
    concat(
      latin(fourcc),
      le32(data.length),
      data,
      data.length % 2 ? Uint8Array.from([0]) : new Uint8Array(),
    );
  const body = concat(
    latin('WEBP'),
    riffChunk('VP8X', vp8x),
    vp8,
    ...chunks.map((c) => riffChunk(c.fourcc, c.data)),
  );
  return concat(latin('RIFF'), le32(body.length), body);
}

function le24(v: number): Uint8Array {
  return Uint8Array.from([v & 0xff, (v >> 8) & 0xff, (v >> 16) & 0xff]);
}

/** A minimal HEIF: `ftyp`, a `meta` box with Exif and XMP items located in `mdat`, and an `ispe`. */
export function heifWith(options: {
  exif?: Uint8Array;
  xmp?: string;
  width: number;
  height: number;
  brand?: 'heic' | 'avif';
}): Uint8Array {
  const box = (type: string, ...parts: Uint8Array[]): Uint8Array => {
    const body = concat(...parts);
    return concat(be32(8 + body.length), latin(type), body);
  };
  const full = (type: string, version: number, ...parts: Uint8Array[]): Uint8Array =>
    box(type, Uint8Array.from([version, 0, 0, 0]), ...parts);
  const exifPayload = options.exif ? concat(be32(6), latin('Exif\0\0'), options.exif) : undefined;
  const xmpPayload = options.xmp ? Uint8Array.from(Buffer.from(options.xmp, 'utf8')) : undefined;
  const items: { id: number; type: string; contentType?: string; data: Uint8Array }[] = [];
  if (exifPayload) items.push({ id: 2, type: 'Exif', data: exifPayload });
  if (xmpPayload)
    items.push({ id: 3, type: 'mime', contentType: 'application/rdf+xml', data: xmpPayload });
  const build = (mdatStart: number): Uint8Array => {
    const infes = items.map((it) =>
      full(
        'infe',
        2,
        be16(it.id),
        be16(0),
        latin(it.type),
        latin('\0'),
        it.contentType ? latin(`${it.contentType}\0`) : new Uint8Array(),
      ),
    );
    let offset = mdatStart + 8;
    const locs = items.map((it) => {
      const entry = concat(
        be16(it.id),
        be16(0),
        be16(0),
        be16(1),
        be32(offset),
        be32(it.data.length),
      );
      offset += it.data.length;
      return entry;
    });
    const meta = full(
      'meta',
      0,
      full('hdlr', 0, be32(0), latin('pict'), new Uint8Array(12), latin('\0')),
      full('pitm', 0, be16(1)),
      full('iinf', 0, be16(items.length), ...infes),
      full('iloc', 1, Uint8Array.from([0x44, 0x00]), be16(items.length), ...locs),
      box(
        'iprp',
        box('ipco', full('ispe', 0, be32(options.width), be32(options.height))),
        full('ipma', 0, be32(1), be16(1), Uint8Array.from([1, 0x81])),
      ),
    );
    const ftyp = box(
      'ftyp',
      latin(options.brand ?? 'heic'),
      be32(0),
      latin('mif1'),
      latin(options.brand ?? 'heic'),
    );
    return concat(ftyp, meta);
  };
  const head = build(build(0).length);
  return concat(head, box('mdat', ...items.map((it) => it.data)));
}

/** An XMP packet with the given `rdf:Description` body and extra namespace declarations. */
export function xmpPacket(
  description: string,
  namespaces: Record<string, string> = {},
  attributes = '',
): string {
  const ns = Object.entries(namespaces)
    .map(([p, uri]) => ` xmlns:${p}="${uri}"`)
    .join('');
  return (
    '<?xpacket begin="\uFEFF" id="W5M0MpCehiHzreSzNTczkc9d"?>\n<x:xmpmeta xmlns:x="adobe:ns:meta/">\n' +
    ' <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">\n' +
    `  <rdf:Description rdf:about=""${ns}${attributes ? ` ${attributes}` : ''}>${description}</rdf:Description>\n` +
    ' </rdf:RDF>\n</x:xmpmeta>\n<?xpacket end="w"?>'
  );
}
