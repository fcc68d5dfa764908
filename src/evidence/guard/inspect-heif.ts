import { EvidenceError } from '../errors.js';
import { fourcc, u16be, u32be, u8, uintBe } from './bytes.js';
import { corrupt, type ContainerInfo } from './container.js';
import { MAX_HEIF_ITEMS } from './limits.js';
import { orientationOfHeifTransforms, type HeifTransform } from './orientation.js';

/** An ISOBMFF box: its type and where its payload lies. */
interface Box {
  type: string;
  start: number;
  payload: number;
  end: number;
}

// Items that hold metadata rather than pictures: EXIF, XMP (mime), URI-typed data.
const METADATA_ITEM_TYPES = new Set(['Exif', 'mime', 'uri ']);

/** Reads a HEIF/AVIF file's primary image size, orientation and metadata volume from its boxes. */
export function inspectHeif(bytes: Uint8Array): ContainerInfo {
  let metadataBytes = 0;
  let metadataEntries = 0;
  let meta: Box | undefined;
  let animated = false;
  for (const box of children(bytes, 0, bytes.length)) {
    if (box.type === 'meta' && !meta) meta = box;
    else if (box.type === 'moov') animated = true;
    else if (box.type === 'uuid') {
      // C2PA and vendor payloads in ISOBMFF travel in top-level uuid boxes.
      metadataBytes += box.end - box.start;
      metadataEntries++;
    }
  }
  if (!meta) throw corrupt('the HEIF file has no meta box');
  const items = readMeta(bytes, meta);
  metadataBytes += items.metadataBytes;
  metadataEntries += items.metadataEntries;
  const { width, height } = items.size;
  return {
    width,
    height,
    metadataBytes,
    metadataEntries,
    containerOrientation: items.orientation,
    animated,
  };
}

interface MetaSummary {
  size: { width: number; height: number };
  orientation: number;
  metadataBytes: number;
  metadataEntries: number;
}

function readMeta(bytes: Uint8Array, meta: Box): MetaSummary {
  let primary: number | undefined;
  const itemTypes = new Map<number, string>();
  let properties: Box[] = [];
  const associations = new Map<number, number[]>();
  let iloc: Box | undefined;
  for (const box of children(bytes, meta.payload + 4, meta.end)) {
    if (box.type === 'pitm')
      primary =
        u8(bytes, box.payload) === 0
          ? u16be(bytes, box.payload + 4)
          : u32be(bytes, box.payload + 4);
    else if (box.type === 'iinf') readItemInfo(bytes, box, itemTypes);
    else if (box.type === 'iloc') iloc = box;
    else if (box.type === 'iprp') {
      for (const inner of children(bytes, box.payload, box.end)) {
        if (inner.type === 'ipco') properties = [...children(bytes, inner.payload, inner.end)];
        else if (inner.type === 'ipma') readAssociations(bytes, inner, associations);
      }
    }
  }
  const metadataItems = new Set(
    [...itemTypes].filter(([, type]) => METADATA_ITEM_TYPES.has(type)).map(([id]) => id),
  );
  let metadataBytes = iloc ? sumExtents(bytes, iloc, metadataItems) : 0;
  let metadataEntries = metadataItems.size;
  for (const property of properties) {
    if (property.type === 'colr' && ['prof', 'rICC'].includes(fourcc(bytes, property.payload))) {
      metadataBytes += property.end - property.start;
      metadataEntries++;
    }
  }
  const primaryProperties = (primary !== undefined ? associations.get(primary) : undefined) ?? [];
  const transforms: HeifTransform[] = [];
  let size: { width: number; height: number } | undefined;
  for (const index of primaryProperties) {
    const property = properties[index - 1];
    if (!property) continue;
    if (property.type === 'ispe') size = readIspe(bytes, property);
    else if (property.type === 'irot')
      transforms.push({ kind: 'irot', quarterTurnsAnticlockwise: u8(bytes, property.payload) & 3 });
    else if (property.type === 'imir')
      transforms.push({ kind: 'imir', axis: u8(bytes, property.payload) & 1 });
  }
  // Without a readable primary item, the largest declared size keeps the bomb check conservative.
  size ??= largestIspe(bytes, properties);
  if (!size) throw corrupt('the HEIF file declares no image size');
  return {
    size,
    orientation: orientationOfHeifTransforms(transforms),
    metadataBytes,
    metadataEntries,
  };
}

function readItemInfo(bytes: Uint8Array, iinf: Box, itemTypes: Map<number, string>): void {
  const version = u8(bytes, iinf.payload);
  const count = version === 0 ? u16be(bytes, iinf.payload + 4) : u32be(bytes, iinf.payload + 4);
  if (count > MAX_HEIF_ITEMS) {
    throw new EvidenceError(
      'EVIDENCE_METADATA_TOO_LARGE',
      'too_large',
      'the HEIF file declares too many items',
      {
        items: count,
        max: MAX_HEIF_ITEMS,
      },
    );
  }
  const start = iinf.payload + (version === 0 ? 6 : 8);
  for (const infe of children(bytes, start, iinf.end)) {
    if (infe.type !== 'infe') continue;
    const infeVersion = u8(bytes, infe.payload);
    if (infeVersion < 2) continue; // old entries carry no item type
    const id = infeVersion === 2 ? u16be(bytes, infe.payload + 4) : u32be(bytes, infe.payload + 4);
    const typeOffset = infe.payload + (infeVersion === 2 ? 8 : 10);
    itemTypes.set(id, fourcc(bytes, typeOffset));
  }
}

function readAssociations(bytes: Uint8Array, ipma: Box, associations: Map<number, number[]>): void {
  const version = u8(bytes, ipma.payload);
  const wideIndex = (u8(bytes, ipma.payload + 3) & 1) === 1;
  const count = u32be(bytes, ipma.payload + 4);
  let at = ipma.payload + 8;
  for (let entry = 0; entry < count; entry++) {
    const id = version < 1 ? u16be(bytes, at) : u32be(bytes, at);
    at += version < 1 ? 2 : 4;
    const n = u8(bytes, at++);
    const list = associations.get(id) ?? [];
    for (let i = 0; i < n; i++) {
      list.push(wideIndex ? u16be(bytes, at) & 0x7fff : u8(bytes, at) & 0x7f);
      at += wideIndex ? 2 : 1;
    }
    associations.set(id, list);
    if (at > ipma.end) throw corrupt('the HEIF property associations overrun their box');
  }
}

/** Total extent length of the given items, per the item location box. */
function sumExtents(bytes: Uint8Array, iloc: Box, wanted: ReadonlySet<number>): number {
  const version = u8(bytes, iloc.payload);
  const sizes = u8(bytes, iloc.payload + 4);
  const more = u8(bytes, iloc.payload + 5);
  const [offsetSize, lengthSize, baseOffsetSize] = [sizes >> 4, sizes & 15, more >> 4];
  const indexSize = version === 1 || version === 2 ? more & 15 : 0;
  const count = version < 2 ? u16be(bytes, iloc.payload + 6) : u32be(bytes, iloc.payload + 6);
  let at = iloc.payload + (version < 2 ? 8 : 10);
  let total = 0;
  for (let item = 0; item < count; item++) {
    const id = version < 2 ? u16be(bytes, at) : u32be(bytes, at);
    at += version < 2 ? 2 : 4;
    if (version === 1 || version === 2) at += 2; // construction method
    at += 2 + baseOffsetSize; // data reference index, base offset
    const extents = u16be(bytes, at);
    at += 2;
    const extentSize = indexSize + offsetSize + lengthSize;
    for (let e = 0; e < extents && extentSize > 0; e++) {
      const length = uintBe(bytes, at + indexSize + offsetSize, lengthSize);
      at += extentSize;
      if (wanted.has(id)) total += length === 0 ? bytes.length : length;
    }
    if (at > iloc.end) throw corrupt('the HEIF item locations overrun their box');
  }
  return total;
}

function readIspe(bytes: Uint8Array, ispe: Box): { width: number; height: number } {
  return { width: u32be(bytes, ispe.payload + 4), height: u32be(bytes, ispe.payload + 8) };
}

function largestIspe(
  bytes: Uint8Array,
  properties: readonly Box[],
): { width: number; height: number } | undefined {
  let best: { width: number; height: number } | undefined;
  for (const property of properties) {
    if (property.type !== 'ispe') continue;
    const size = readIspe(bytes, property);
    if (!best || size.width * size.height > best.width * best.height) best = size;
  }
  return best;
}

/** The boxes directly inside [start, end); a box that overruns its parent is corruption. */
function* children(bytes: Uint8Array, start: number, end: number): Generator<Box> {
  let at = start;
  while (at + 8 <= end) {
    let size = u32be(bytes, at);
    const type = fourcc(bytes, at + 4);
    let payload = at + 8;
    if (size === 1) {
      size = uintBe(bytes, at + 8, 8);
      payload += 8;
    } else if (size === 0) {
      size = end - at;
    }
    if (size < payload - at || at + size > end) {
      throw corrupt('a HEIF box runs past its container', { type, offset: at });
    }
    yield { type, start: at, payload, end: at + size };
    at += size;
  }
}
