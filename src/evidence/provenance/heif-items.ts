/**
 * HEIF/AVIF metadata items. EXIF and XMP are stored as items of the `meta`
 * box: `iinf` names each item's type (`Exif`, or `mime` with content type
 * application/rdf+xml), `iloc` says where its bytes are (in the file or in
 * `idat`). The primary item's `ispe` property gives the stored image size.
 */
import { hex, indexOfZero, latin1, slice, u16, u32, uintN } from './bytes.js';
import { walkBoxes, type BmffBox } from './containers.js';

/** The C2PA manifest-store box UUID in ISO-BMFF files. */
const C2PA_BOX_UUID = 'd8fec3d61b0e483c92975828877ec481';
const MAX_ITEMS = 4096;

interface ItemInfo {
  id: number;
  type: string;
  contentType?: string;
}

interface Extent {
  offset: number;
  length: number;
}

/** Metadata found in a HEIF/AVIF file. */
export interface HeifMetadata {
  /** Exif item payloads, each starting at its TIFF header. */
  exif: Uint8Array[];
  xmp: Uint8Array[];
  c2pa?: Uint8Array;
  size?: { width: number; height: number };
}

/** Finds the Exif and XMP items (and a C2PA `uuid` box) of an ISO-BMFF image; `maxItemBytes` caps each item. */
export function readHeifMetadata(
  bytes: Uint8Array,
  maxItemBytes: number,
  warnings: string[],
): HeifMetadata {
  const out: HeifMetadata = { exif: [], xmp: [] };
  const top = walkBoxes(bytes, warnings, 'heif');
  for (const box of top) {
    if (box.type === 'uuid' && box.uuid && hex(box.uuid) === C2PA_BOX_UUID)
      out.c2pa ??= c2paFromUuidBox(box);
  }
  const meta = top.find((b) => b.type === 'meta');
  if (!meta) {
    warnings.push('heif: no meta box');
    return out;
  }
  const children = walkBoxes(meta.data.subarray(4), warnings, 'heif meta'); // meta is a full box
  const infos = readItemInfos(
    children.find((b) => b.type === 'iinf'),
    warnings,
  );
  const locations = readItemLocations(
    children.find((b) => b.type === 'iloc'),
    warnings,
  );
  const idat = children.find((b) => b.type === 'idat')?.data;
  for (const info of infos) {
    const isExif = info.type === 'Exif';
    const isXmp = info.type === 'mime' && /rdf\+xml|xmp/i.test(info.contentType ?? '');
    if (!isExif && !isXmp) continue;
    const location = locations.get(info.id);
    if (!location) continue;
    const data = gather(bytes, idat, location, maxItemBytes, warnings);
    if (!data) continue;
    if (isExif) {
      const tiff = exifTiff(data);
      if (tiff) out.exif.push(tiff);
      else warnings.push('heif: Exif item without a TIFF header');
    } else {
      out.xmp.push(data);
    }
  }
  const size = primarySize(children, warnings);
  if (size) out.size = size;
  return out;
}

function readItemInfos(iinf: BmffBox | undefined, warnings: string[]): ItemInfo[] {
  if (!iinf) return [];
  const version = iinf.data[0] ?? 0;
  const entriesAt = version === 0 ? 6 : 8;
  const infos: ItemInfo[] = [];
  for (const infe of walkBoxes(iinf.data.subarray(entriesAt), warnings, 'heif iinf')) {
    if (infe.type !== 'infe' || infos.length >= MAX_ITEMS) continue;
    const d = infe.data;
    const v = d[0] ?? 0;
    if (v < 2) continue; // versions 0/1 predate item types; they carry no Exif items
    const idSize = v === 2 ? 2 : 4;
    const id = (idSize === 2 ? u16(d, 4) : u32(d, 4)) ?? -1;
    const typeAt = 4 + idSize + 2;
    const type = latin1(d, typeAt, typeAt + 4);
    const nameEnd = indexOfZero(d, typeAt + 4);
    let contentType: string | undefined;
    if (type === 'mime' && nameEnd >= 0) {
      const ctEnd = indexOfZero(d, nameEnd + 1);
      contentType = latin1(d, nameEnd + 1, ctEnd < 0 ? d.length : ctEnd);
    }
    infos.push(contentType === undefined ? { id, type } : { id, type, contentType });
  }
  return infos;
}

interface Location {
  method: number;
  extents: Extent[];
}

function readItemLocations(iloc: BmffBox | undefined, warnings: string[]): Map<number, Location> {
  const out = new Map<number, Location>();
  if (!iloc) return out;
  const d = iloc.data;
  const version = d[0] ?? 0;
  const sizes = u16(d, 4) ?? 0;
  const offsetSize = sizes >> 12;
  const lengthSize = (sizes >> 8) & 0xf;
  const baseOffsetSize = (sizes >> 4) & 0xf;
  const indexSize = version >= 1 ? sizes & 0xf : 0;
  let at = 6;
  const count = (version < 2 ? u16(d, at) : u32(d, at)) ?? 0;
  at += version < 2 ? 2 : 4;
  for (let i = 0; i < Math.min(count, MAX_ITEMS); i++) {
    const id = (version < 2 ? u16(d, at) : u32(d, at)) ?? -1;
    at += version < 2 ? 2 : 4;
    let method = 0;
    if (version >= 1) {
      method = (u16(d, at) ?? 0) & 0xf;
      at += 2;
    }
    at += 2; // data_reference_index
    const base = uintN(d, at, baseOffsetSize);
    at += baseOffsetSize;
    const extentCount = u16(d, at) ?? 0;
    at += 2;
    const extents: Extent[] = [];
    for (let e = 0; e < extentCount; e++) {
      at += indexSize;
      const offset = uintN(d, at, offsetSize);
      at += offsetSize;
      const length = uintN(d, at, lengthSize);
      at += lengthSize;
      if (base === undefined || offset === undefined || length === undefined || at > d.length) {
        warnings.push('heif: iloc truncated');
        return out;
      }
      extents.push({ offset: base + offset, length });
    }
    out.set(id, { method, extents });
  }
  return out;
}

function gather(
  file: Uint8Array,
  idat: Uint8Array | undefined,
  location: Location,
  max: number,
  warnings: string[],
): Uint8Array | undefined {
  const source = location.method === 1 ? idat : location.method === 0 ? file : undefined;
  if (!source) return undefined;
  const parts: Uint8Array[] = [];
  let total = 0;
  for (const { offset, length } of location.extents) {
    // Length 0 means "to the end of the source".
    const end = length === 0 ? source.length : offset + length;
    if (offset > source.length || end > source.length) {
      warnings.push('heif: item extent out of bounds');
      return undefined;
    }
    total += end - offset;
    if (total > max) {
      warnings.push('heif: metadata item exceeds the cap');
      return undefined;
    }
    parts.push(slice(source, offset, end));
  }
  if (parts.length === 1) return parts[0];
  const out = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** An Exif item starts with a 4-byte offset to its TIFF header (usually past `Exif\0\0`). */
function exifTiff(data: Uint8Array): Uint8Array | undefined {
  const declared = u32(data, 0);
  const candidates = declared === undefined ? [] : [4 + declared];
  candidates.push(4, 10, 0, 6);
  for (const at of candidates) {
    const b0 = data[at];
    const b1 = data[at + 1];
    if ((b0 === 0x49 && b1 === 0x49) || (b0 === 0x4d && b1 === 0x4d)) return data.subarray(at);
  }
  return undefined;
}

function c2paFromUuidBox(box: BmffBox): Uint8Array | undefined {
  const d = box.data;
  // version/flags, purpose (C string), then for "manifest" a 64-bit merkle offset.
  const purposeEnd = indexOfZero(d, 4);
  if (purposeEnd < 0 || latin1(d, 4, purposeEnd) !== 'manifest') return undefined;
  const start = purposeEnd + 1 + 8;
  return start < d.length ? d.subarray(start) : undefined;
}

function primarySize(
  children: readonly BmffBox[],
  warnings: string[],
): { width: number; height: number } | undefined {
  const pitm = children.find((b) => b.type === 'pitm');
  const primary = pitm
    ? (pitm.data[0] ?? 0) === 0
      ? u16(pitm.data, 4)
      : u32(pitm.data, 4)
    : undefined;
  const iprp = children.find((b) => b.type === 'iprp');
  if (!iprp) return undefined;
  const parts = walkBoxes(iprp.data, warnings, 'heif iprp');
  const ipco = parts.find((b) => b.type === 'ipco');
  if (!ipco) return undefined;
  const properties = walkBoxes(ipco.data, warnings, 'heif ipco');
  const ispeOf = (box: BmffBox | undefined): { width: number; height: number } | undefined => {
    if (box?.type !== 'ispe') return undefined;
    const width = u32(box.data, 4);
    const height = u32(box.data, 8);
    return width && height ? { width, height } : undefined;
  };
  const ipma = parts.find((b) => b.type === 'ipma');
  if (ipma && primary !== undefined) {
    for (const index of associations(ipma, primary)) {
      const size = ispeOf(properties[index - 1]);
      if (size) return size;
    }
  }
  // Without associations, the largest ispe is the best guess for the full image.
  let best: { width: number; height: number } | undefined;
  for (const p of properties) {
    const size = ispeOf(p);
    if (size && (!best || size.width * size.height > best.width * best.height)) best = size;
  }
  return best;
}

/** 1-based property indices associated with `item` in an `ipma` box. */
function associations(ipma: BmffBox, item: number): number[] {
  const d = ipma.data;
  const version = d[0] ?? 0;
  const wide = ((d[3] ?? 0) & 1) === 1;
  const count = u32(d, 4) ?? 0;
  let at = 8;
  for (let i = 0; i < Math.min(count, MAX_ITEMS); i++) {
    const id = version < 1 ? u16(d, at) : u32(d, at);
    at += version < 1 ? 2 : 4;
    const n = d[at] ?? 0;
    at += 1;
    const indices: number[] = [];
    for (let k = 0; k < n; k++) {
      indices.push(wide ? (u16(d, at) ?? 0) & 0x7fff : (d[at] ?? 0) & 0x7f);
      at += wide ? 2 : 1;
    }
    if (id === item) return indices;
    if (at > d.length) break;
  }
  return [];
}
