import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS } from '../model.js';
import { decodeImage } from './decode.js';
import { HEIC_GRID, HEIC_ORIENTED } from './fixtures/heic-fixtures.js';
import {
  fromRaster,
  ihdr,
  noisyPhoto,
  pngChunk,
  pngChunks,
  pngFrom,
  quadrants,
  rejectionCode,
  thrownCode,
} from './fixtures/images.js';
import { inspectContainer } from './inspect.js';
import { MAX_JPEG_SCANS, MAX_METADATA_ENTRIES } from './limits.js';
import { sniffFormat } from './sniff.js';

const limits = DEFAULT_LIMITS;

/** A baseline JPEG header with a frame of the given size and no image data behind it. */
function jpegHeader(width: number, height: number): Buffer {
  const sof = Buffer.from([
    0xff,
    0xc0,
    0,
    17,
    8,
    height >> 8,
    height & 255,
    width >> 8,
    width & 255,
    3,
  ]);
  const components = Buffer.from([1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1]);
  const sos = Buffer.from([0xff, 0xda, 0, 12, 3, 1, 0, 2, 0x11, 3, 0x11, 0, 63, 0]);
  return Buffer.concat([
    Buffer.from([0xff, 0xd8]),
    sof,
    components,
    sos,
    Buffer.alloc(64),
    Buffer.from([0xff, 0xd9]),
  ]);
}

describe('inspectContainer', () => {
  it('reads sizes from headers for every format', async () => {
    const picture = fromRaster(quadrants(40, 30));
    for (const encode of [
      (s: typeof picture) => s.jpeg(),
      (s: typeof picture) => s.png(),
      (s: typeof picture) => s.webp(),
      (s: typeof picture) => s.webp({ lossless: true }),
      (s: typeof picture) => s.gif(),
    ]) {
      const bytes = await encode(picture.clone()).toBuffer();
      const format = sniffFormat(bytes);
      const info = inspectContainer(bytes, format, limits);
      expect([info.width, info.height]).toEqual([40, 30]);
    }
    const heic = inspectContainer(Buffer.from(HEIC_ORIENTED[5]!, 'base64'), 'heic', limits);
    expect([heic.width, heic.height, heic.containerOrientation]).toEqual([128, 64, 6]);
  });

  it('refuses a PNG declaring 100000×100000 pixels from its IHDR alone, without allocating them', async () => {
    const bomb = pngFrom([
      ihdr(100_000, 100_000),
      pngChunk('IDAT', Buffer.from([0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01])),
      pngChunk('IEND'),
    ]);
    // The header alone decides: no decoder is involved.
    expect(thrownCode(() => inspectContainer(bomb, 'png', limits))).toBe(
      'EVIDENCE_TOO_MANY_PIXELS',
    );
    const before = process.memoryUsage().rss;
    expect(await rejectionCode(decodeImage(bomb))).toBe('EVIDENCE_TOO_MANY_PIXELS');
    // 10^10 RGB pixels would be 30 GB; the refusal costs next to nothing.
    expect(process.memoryUsage().rss - before).toBeLessThan(200 * 1024 * 1024);
    // Just over the default 50 MP cap is refused too.
    const justOver = pngFrom([ihdr(7072, 7072), pngChunk('IEND')]);
    expect(thrownCode(() => inspectContainer(justOver, 'png', limits))).toBe(
      'EVIDENCE_TOO_MANY_PIXELS',
    );
  });

  it('refuses JPEG, WebP, GIF and HEIF headers that declare more pixels than the cap', async () => {
    expect(thrownCode(() => inspectContainer(jpegHeader(60_000, 60_000), 'jpeg', limits))).toBe(
      'EVIDENCE_TOO_MANY_PIXELS',
    );
    const vp8x = Buffer.alloc(30);
    vp8x.write('RIFF', 0, 'latin1');
    vp8x.writeUInt32LE(22, 4);
    vp8x.write('WEBPVP8X', 8, 'latin1');
    vp8x.writeUInt32LE(10, 16);
    vp8x.writeUIntLE(16_383, 24, 3);
    vp8x.writeUIntLE(16_383, 27, 3);
    expect(thrownCode(() => inspectContainer(vp8x, 'webp', limits))).toBe(
      'EVIDENCE_TOO_MANY_PIXELS',
    );
    const gif = Buffer.from(
      'GIF89a\xff\xff\xff\xff\x00\x00\x00\x2c\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02\x44\x01\x00\x3b',
      'latin1',
    );
    expect(thrownCode(() => inspectContainer(gif, 'gif', limits))).toBe('EVIDENCE_TOO_MANY_PIXELS');
    // A small GIF canvas with a frame placed far outside it grows the canvas, so it counts too.
    const offCanvas = Buffer.from(
      'GIF89a\x01\x00\x01\x00\x00\x00\x00\x2c\x00\xff\x00\xff\xff\xff\xff\xff\x00\x02\x02\x44\x01\x00\x3b',
      'latin1',
    );
    expect(thrownCode(() => inspectContainer(offCanvas, 'gif', limits))).toBe(
      'EVIDENCE_TOO_MANY_PIXELS',
    );
    const heic = Buffer.from(HEIC_ORIENTED[0]!, 'base64');
    const ispe = heic.indexOf('ispe');
    heic.writeUInt32BE(60_000, ispe + 8);
    heic.writeUInt32BE(60_000, ispe + 12);
    expect(await rejectionCode(decodeImage(heic))).toBe('EVIDENCE_TOO_MANY_PIXELS');
  });

  it('honours a lower pixel cap from the caller', async () => {
    const jpeg = await fromRaster(quadrants(200, 100)).jpeg().toBuffer();
    expect(await rejectionCode(decodeImage(jpeg, { maxPixels: 19_999 }))).toBe(
      'EVIDENCE_TOO_MANY_PIXELS',
    );
    expect((await decodeImage(jpeg, { maxPixels: 20_000 })).pixels.width).toBe(200);
  });

  it('counts EXIF, ICC and text metadata and refuses more than the byte cap', async () => {
    const jpeg = await fromRaster(quadrants(32, 32))
      .jpeg()
      .withMetadata({ orientation: 3 })
      .toBuffer();
    const info = inspectContainer(jpeg, 'jpeg', limits);
    expect(info.metadataBytes).toBeGreaterThan(100);
    expect(info.metadataEntries).toBeGreaterThanOrEqual(2); // EXIF and ICC
    const comment = Buffer.concat([
      Buffer.from([0xff, 0xfe, 0xff, 0xff]),
      Buffer.alloc(65_533, 0x41),
    ]);
    const padded = Buffer.concat([
      jpeg.subarray(0, 2),
      ...Array.from({ length: 20 }, () => comment),
      jpeg.subarray(2),
    ]);
    expect(
      thrownCode(() =>
        inspectContainer(padded, 'jpeg', { ...limits, maxMetadataBytes: 1_000_000 }),
      ),
    ).toBe('EVIDENCE_METADATA_TOO_LARGE');
    expect(inspectContainer(padded, 'jpeg', limits).metadataBytes).toBeGreaterThan(1_300_000);
  });

  it('refuses an absurd number of metadata entries even when each is tiny', async () => {
    const png = await fromRaster(quadrants(16, 16)).png().toBuffer();
    const chunks = pngChunks(png).map(([type, data]) => pngChunk(type, data));
    const text = pngChunk('tEXt', Buffer.from('k\0v', 'latin1'));
    const many = pngFrom([
      chunks[0]!,
      ...Array.from({ length: MAX_METADATA_ENTRIES + 1 }, () => text),
      ...chunks.slice(1),
    ]);
    expect(await rejectionCode(decodeImage(many))).toBe('EVIDENCE_METADATA_TOO_LARGE');
    const some = pngFrom([
      chunks[0]!,
      ...Array.from({ length: 50 }, () => text),
      ...chunks.slice(1),
    ]);
    expect((await decodeImage(some)).pixels.width).toBe(16);
  });

  it('refuses a JPEG with thousands of scans, a decoding-time bomb', async () => {
    const jpeg = await fromRaster(noisyPhoto(64, 64, 1))
      .jpeg({ progressive: true })
      .toBuffer();
    const sos = jpeg.indexOf(Buffer.from([0xff, 0xda]));
    const emptyScan = Buffer.from([0xff, 0xda, 0, 8, 1, 1, 0, 0, 63, 0]);
    const bomb = Buffer.concat([
      jpeg.subarray(0, sos),
      ...Array.from({ length: MAX_JPEG_SCANS + 1 }, () => emptyScan),
      jpeg.subarray(sos),
    ]);
    expect(thrownCode(() => inspectContainer(bomb, 'jpeg', limits))).toBe('EVIDENCE_CORRUPT');
  });

  it('refuses structurally broken containers as corrupt before any decoder runs', () => {
    expect(
      thrownCode(() =>
        inspectContainer(Buffer.from([0xff, 0xd8, 0xff, 0xe1, 0x40, 0x00, 1, 2]), 'jpeg', limits),
      ),
    ).toBe('EVIDENCE_CORRUPT');
    expect(
      thrownCode(() => inspectContainer(Buffer.from([0xff, 0xd8, 0xff, 0xd9]), 'jpeg', limits)),
    ).toBe('EVIDENCE_CORRUPT');
    expect(thrownCode(() => inspectContainer(jpegHeader(0, 10), 'jpeg', limits))).toBe(
      'EVIDENCE_CORRUPT',
    );
    expect(thrownCode(() => inspectContainer(pngFrom([ihdr(10, 10)]), 'png', limits))).toBe(
      'EVIDENCE_CORRUPT',
    ); // no IEND
    expect(
      thrownCode(() =>
        inspectContainer(
          pngFrom([pngChunk('tEXt'), ihdr(10, 10), pngChunk('IEND')]),
          'png',
          limits,
        ),
      ),
    ).toBe('EVIDENCE_CORRUPT');
    expect(
      thrownCode(() =>
        inspectContainer(Buffer.from('RIFF\xff\x00\x00\x00WEBPVP8 ', 'latin1'), 'webp', limits),
      ),
    ).toBe('EVIDENCE_CORRUPT');
    expect(
      thrownCode(() =>
        inspectContainer(
          Buffer.from('GIF89a\x01\x00\x01\x00\x00\x00\x00\x3b', 'latin1'),
          'gif',
          limits,
        ),
      ),
    ).toBe('EVIDENCE_CORRUPT'); // no frame
    const heic = Buffer.from(HEIC_GRID, 'base64');
    expect(thrownCode(() => inspectContainer(heic.subarray(0, 300), 'heic', limits))).toBe(
      'EVIDENCE_CORRUPT',
    );
  });
});
