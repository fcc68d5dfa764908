import { u16le, u8 } from './bytes.js';
import { corrupt, type ContainerInfo } from './container.js';

// Application extensions that only control looping; other application blocks (XMP, ICC, vendor data) are metadata.
const LOOP_APPLICATIONS = new Set(['NETSCAPE2.0', 'ANIMEXTS1.0']);

/** Walks a GIF's blocks: the canvas covering every frame, frame count and metadata volume. */
export function inspectGif(bytes: Uint8Array): ContainerInfo {
  let width = u16le(bytes, 6);
  let height = u16le(bytes, 8);
  const packed = u8(bytes, 10);
  let offset = 13 + ((packed & 0x80) !== 0 ? 3 << ((packed & 0x07) + 1) : 0);
  let frames = 0;
  let metadataBytes = 0;
  let metadataEntries = 0;
  // A file that stops cleanly between blocks without its trailer is tolerated, as browsers do.
  while (offset < bytes.length) {
    const introducer = u8(bytes, offset);
    if (introducer === 0x3b) break;
    if (introducer === 0x2c) {
      const right = u16le(bytes, offset + 1) + u16le(bytes, offset + 5);
      const bottom = u16le(bytes, offset + 3) + u16le(bytes, offset + 7);
      // Decoders grow the canvas to fit frames that overflow it, so the bomb check must too.
      width = Math.max(width, right);
      height = Math.max(height, bottom);
      const local = u8(bytes, offset + 9);
      offset += 10 + ((local & 0x80) !== 0 ? 3 << ((local & 0x07) + 1) : 0);
      u8(bytes, offset); // LZW minimum code size
      offset = skipSubBlocks(bytes, offset + 1);
      frames++;
    } else if (introducer === 0x21) {
      const label = u8(bytes, offset + 1);
      const start = offset;
      const isLoop =
        label === 0xff &&
        u8(bytes, offset + 2) === 11 &&
        LOOP_APPLICATIONS.has(ascii(bytes, offset + 3, 11));
      offset = skipSubBlocks(bytes, offset + 2);
      if (label === 0xfe || label === 0x01 || (label === 0xff && !isLoop)) {
        metadataBytes += offset - start;
        metadataEntries++;
      }
    } else {
      throw corrupt('the GIF has an unknown block', { offset, introducer });
    }
  }
  if (frames === 0) throw corrupt('the GIF holds no image');
  if (width === 0 || height === 0) throw corrupt('the GIF declares a zero size');
  return {
    width,
    height,
    metadataBytes,
    metadataEntries,
    containerOrientation: 1,
    animated: frames > 1,
  };
}

/** Skips a chain of length-prefixed sub-blocks and returns the offset after its terminator. */
function skipSubBlocks(bytes: Uint8Array, offset: number): number {
  let at = offset;
  for (let size = u8(bytes, at); size !== 0; size = u8(bytes, at)) at += size + 1;
  return at + 1;
}

function ascii(bytes: Uint8Array, offset: number, length: number): string {
  u8(bytes, offset + length - 1);
  return String.fromCharCode(...bytes.subarray(offset, offset + length));
}
