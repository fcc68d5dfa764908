import { u16be, u8 } from './bytes.js';
import { corrupt, type ContainerInfo } from './container.js';
import { MAX_JPEG_SCANS } from './limits.js';

// Start-of-frame markers carry the dimensions; C4 (DHT), C8 (JPG) and CC (DAC) share the range but do not.
const SOF_MARKERS = new Set([
  0xc0, 0xc1, 0xc2, 0xc3, 0xc5, 0xc6, 0xc7, 0xc9, 0xca, 0xcb, 0xcd, 0xce, 0xcf,
]);
const SOS = 0xda;
const EOI = 0xd9;
const SOS_PAIR = Buffer.from([0xff, SOS]);

/** Reads a JPEG's frame size and metadata volume from its segments, up to the first scan. */
export function inspectJpeg(bytes: Uint8Array): ContainerInfo {
  let offset = 2;
  let width = 0;
  let height = 0;
  let metadataBytes = 0;
  let metadataEntries = 0;
  for (;;) {
    // Like libjpeg, skip stray bytes before a marker (it warns, it does not fail); the decoder judges the rest.
    while (u8(bytes, offset) !== 0xff) offset++;
    // Any number of 0xFF fill bytes may precede a marker.
    while (u8(bytes, offset + 1) === 0xff) offset++;
    const marker = u8(bytes, offset + 1);
    offset += 2;
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) continue; // standalone markers
    if (marker === EOI || marker === 0xd8) throw corrupt('the JPEG ends before its image data');
    const length = u16be(bytes, offset);
    if (length < 2) throw corrupt('a JPEG segment has an impossible length', { offset });
    u8(bytes, offset + length - 1); // the whole segment must be present
    if ((marker >= 0xe0 && marker <= 0xef) || marker === 0xfe) {
      metadataBytes += length + 2;
      metadataEntries++;
    } else if (SOF_MARKERS.has(marker) && width === 0) {
      height = u16be(bytes, offset + 3);
      width = u16be(bytes, offset + 5);
      // Height 0 defers to a DNL marker, which common decoders reject anyway.
      if (width === 0 || height === 0) throw corrupt('the JPEG frame declares a zero dimension');
    } else if (marker === SOS) {
      if (width === 0) throw corrupt('the JPEG has image data before its frame header');
      break;
    }
    offset += length;
  }
  const scans = countScans(bytes, offset - 2);
  if (scans > MAX_JPEG_SCANS) {
    throw corrupt('the JPEG has an implausible number of scans', { scans, max: MAX_JPEG_SCANS });
  }
  return {
    width,
    height,
    metadataBytes,
    metadataEntries,
    containerOrientation: 1,
    animated: false,
  };
}

/**
 * Counts SOS markers from `start` on. Inside entropy-coded data 0xFF is always
 * followed by 0x00 or a restart marker, so a 0xFFDA pair is a real scan header.
 */
function countScans(bytes: Uint8Array, start: number): number {
  const view = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let scans = 0;
  for (let at = view.indexOf(SOS_PAIR, start); at >= 0; at = view.indexOf(SOS_PAIR, at + 2)) {
    if (++scans > MAX_JPEG_SCANS) break;
  }
  return scans;
}
