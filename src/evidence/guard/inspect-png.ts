import { fourcc, u32be, u8 } from './bytes.js';
import { corrupt, type ContainerInfo } from './container.js';

// Chunks that carry pixels or describe how to draw them; everything else counts as metadata.
const IMAGE_CHUNKS = new Set(['IHDR', 'PLTE', 'IDAT', 'IEND', 'tRNS', 'acTL', 'fcTL', 'fdAT']);
const MAX_CHUNK_LENGTH = 0x7fffffff;

/** Walks a PNG's chunks: size from IHDR, metadata volume from the ancillary chunks, and a complete file up to IEND. */
export function inspectPng(bytes: Uint8Array): ContainerInfo {
  let offset = 8;
  let width = 0;
  let height = 0;
  let metadataBytes = 0;
  let metadataEntries = 0;
  let animated = false;
  for (let index = 0; ; index++) {
    const length = u32be(bytes, offset);
    const type = fourcc(bytes, offset + 4);
    if (length > MAX_CHUNK_LENGTH) throw corrupt('a PNG chunk has an impossible length', { type });
    u8(bytes, offset + 12 + length - 1); // data and CRC must be present
    if (index === 0) {
      if (type !== 'IHDR' || length !== 13)
        throw corrupt('the PNG does not start with a valid IHDR chunk');
      width = u32be(bytes, offset + 8);
      height = u32be(bytes, offset + 12);
      if (width === 0 || height === 0 || width > MAX_CHUNK_LENGTH || height > MAX_CHUNK_LENGTH) {
        throw corrupt('the PNG declares an impossible size', { width, height });
      }
    } else if (type === 'IHDR') {
      throw corrupt('the PNG has a second IHDR chunk');
    }
    if (type === 'acTL') animated = true;
    if (!IMAGE_CHUNKS.has(type)) {
      metadataBytes += length + 12;
      metadataEntries++;
    }
    offset += length + 12;
    if (type === 'IEND') break;
  }
  return { width, height, metadataBytes, metadataEntries, containerOrientation: 1, animated };
}
