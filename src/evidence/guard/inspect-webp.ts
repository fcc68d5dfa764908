import { fourcc, u16le, u24le, u32le, u8 } from './bytes.js';
import { corrupt, type ContainerInfo } from './container.js';

const IMAGE_CHUNKS = new Set(['VP8 ', 'VP8L', 'VP8X', 'ALPH', 'ANIM', 'ANMF']);

/** Walks a WebP's RIFF chunks: canvas or frame size, animation flag and metadata volume. */
export function inspectWebp(bytes: Uint8Array): ContainerInfo {
  const riffEnd = 8 + u32le(bytes, 4);
  if (riffEnd > bytes.length)
    throw corrupt('the WebP file is shorter than its RIFF header says', { riffEnd });
  let width = 0;
  let height = 0;
  let metadataBytes = 0;
  let metadataEntries = 0;
  let animated = false;
  let offset = 12;
  while (offset + 8 <= riffEnd) {
    const type = fourcc(bytes, offset);
    const size = u32le(bytes, offset + 4);
    const payload = offset + 8;
    if (payload + size > riffEnd)
      throw corrupt('a WebP chunk runs past the end of the file', { type });
    if (type === 'VP8X') {
      animated = (u8(bytes, payload) & 0x02) !== 0;
      width = u24le(bytes, payload + 4) + 1;
      height = u24le(bytes, payload + 7) + 1;
    } else if (type === 'VP8 ' && width === 0) {
      // A key frame: 3-byte frame tag, start code 9d 01 2a, then 14-bit sizes.
      if (
        u8(bytes, payload + 3) !== 0x9d ||
        u8(bytes, payload + 4) !== 0x01 ||
        u8(bytes, payload + 5) !== 0x2a
      ) {
        throw corrupt('the WebP VP8 frame has no key-frame start code');
      }
      width = u16le(bytes, payload + 6) & 0x3fff;
      height = u16le(bytes, payload + 8) & 0x3fff;
    } else if (type === 'VP8L' && width === 0) {
      if (u8(bytes, payload) !== 0x2f) throw corrupt('the WebP lossless frame has no signature');
      const bits = u32le(bytes, payload + 1);
      width = (bits & 0x3fff) + 1;
      height = ((bits >>> 14) & 0x3fff) + 1;
    } else if (!IMAGE_CHUNKS.has(type)) {
      metadataBytes += size + 8;
      metadataEntries++;
    }
    offset = payload + size + (size & 1);
  }
  if (width === 0 || height === 0) throw corrupt('the WebP file declares no image size');
  return { width, height, metadataBytes, metadataEntries, containerOrientation: 1, animated };
}
