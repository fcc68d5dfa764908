import { describe, expect, it } from 'vitest';
import { decodeImage, openImage } from './decode.js';
import { HEIC_GRID, HEIC_ORIENTED } from './fixtures/heic-fixtures.js';
import {
  DISPLAYED_CORNERS,
  cornerColours,
  fromRaster,
  quadrants,
  rejectionCode,
} from './fixtures/images.js';

const heic = (orientation: number) => Buffer.from(HEIC_ORIENTED[orientation - 1]!, 'base64');

/** The Orientation value in a fixture's EXIF item (big-endian TIFF with one IFD0 entry). */
function exifOrientationIn(bytes: Buffer): number {
  const tiff = bytes.indexOf('MM\x00\x2a', 0, 'latin1');
  return bytes.readUInt16BE(tiff + 8 + 2 + 8);
}

describe('HEIC decoding (libheif WebAssembly)', () => {
  it('applies irot/imir for all eight orientations, and not the EXIF orientation a second time', async () => {
    for (let orientation = 1; orientation <= 8; orientation++) {
      const bytes = heic(orientation);
      expect(exifOrientationIn(bytes)).toBe(orientation);
      const image = await decodeImage(bytes);
      expect(image.format).toBe('heic');
      expect(image.orientation).toBe(orientation);
      const swapped = orientation >= 5;
      expect([image.pixels.width, image.pixels.height]).toEqual(swapped ? [64, 128] : [128, 64]);
      expect(cornerColours(image.pixels), `orientation ${orientation}`).toEqual(
        DISPLAYED_CORNERS[orientation - 1],
      );
    }
  });

  it('displays a HEIC exactly as sharp displays a JPEG with the same EXIF orientation', async () => {
    for (const orientation of [2, 5, 6, 7]) {
      const jpeg = await fromRaster(quadrants(128, 64))
        .jpeg()
        .withMetadata({ orientation })
        .toBuffer();
      const fromJpeg = await decodeImage(jpeg);
      const fromHeic = await decodeImage(heic(orientation));
      expect(cornerColours(fromHeic.pixels)).toEqual(cornerColours(fromJpeg.pixels));
      expect([fromHeic.pixels.width, fromHeic.pixels.height]).toEqual([
        fromJpeg.pixels.width,
        fromJpeg.pixels.height,
      ]);
    }
  });

  it('decodes a grid image cropped to its declared size', async () => {
    const image = await decodeImage(Buffer.from(HEIC_GRID, 'base64'));
    expect([image.pixels.width, image.pixels.height]).toEqual([64, 48]);
    expect(cornerColours(image.pixels)).toEqual(['red', 'green', 'blue', 'white']);
  });

  it('knows the displayed size before decoding, and serves analysis pixels from one full decode', async () => {
    const opened = await openImage(heic(6));
    expect([opened.width, opened.height, opened.orientation]).toEqual([64, 128, 6]);
    const small = await opened.analysisPixels(32);
    expect([small.width, small.height]).toEqual([16, 32]);
    expect(cornerColours(small)).toEqual(DISPLAYED_CORNERS[5]);
  });

  it('refuses truncated HEIC files as corrupt', async () => {
    const bytes = heic(1);
    for (const keep of [0.3, 0.6, 0.9, 0.99]) {
      const cut = bytes.subarray(0, Math.floor(bytes.length * keep));
      expect(await rejectionCode(decodeImage(cut)), `cut at ${keep}`).toBe('EVIDENCE_CORRUPT');
    }
  });

  it('refuses a HEIF whose primary item is of an unknown type', async () => {
    const bytes = heic(1);
    bytes.write('xxxx', bytes.indexOf('hvc1'), 'latin1');
    expect(await rejectionCode(decodeImage(bytes))).toBe('EVIDENCE_CORRUPT');
  });

  it('falls back to sharp for an AV1-coded HEIF that only declares generic brands', async () => {
    const avif = Buffer.from(await fromRaster(quadrants(64, 32)).avif().toBuffer());
    const ftypSize = avif.readUInt32BE(0);
    for (let at = 8; at < ftypSize; at += 4) if (at !== 12) avif.write('mif1', at, 'latin1');
    const image = await decodeImage(avif);
    expect(image.format).toBe('heic'); // a HEIF by its brands; the codec inside does not change that
    expect(cornerColours(image.pixels)).toEqual(['red', 'green', 'blue', 'white']);
  });

  it('does not rotate an AVIF by its EXIF orientation on top of its irot/imir boxes', async () => {
    const avif = Buffer.from(
      await fromRaster(quadrants(128, 64)).avif().withMetadata({ orientation: 1 }).toBuffer(),
    );
    // Rewrite the EXIF Orientation entry (tag 0x0112, SHORT, count 1; little-endian TIFF) to 6.
    const entry = avif.indexOf(Buffer.from([0x12, 0x01, 0x03, 0x00, 0x01, 0x00, 0x00, 0x00]));
    expect(entry).toBeGreaterThan(0);
    avif.writeUInt16LE(6, entry + 8);
    const image = await decodeImage(avif);
    expect([image.pixels.width, image.pixels.height, image.orientation]).toEqual([128, 64, 1]);
    expect(cornerColours(image.pixels)).toEqual(['red', 'green', 'blue', 'white']);
  });
});
