import { createHash } from 'node:crypto';
import { deflateSync } from 'node:zlib';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { decodeImage, openImage } from './decode.js';
import {
  DISPLAYED_CORNERS,
  colourAt,
  cornerColours,
  fromRaster,
  ihdr,
  noisyPhoto,
  pngChunk,
  pngChunks,
  pngFrom,
  quadrants,
  rejectionCode,
} from './fixtures/images.js';
import { decodeForAnalysis, toGray } from './resample.js';

const picture = () => fromRaster(quadrants(128, 64));

/** A solid RGB frame. */
function solid(width: number, height: number, rgb: [number, number, number]) {
  return sharp({
    create: { width, height, channels: 3, background: { r: rgb[0], g: rgb[1], b: rgb[2] } },
  });
}

/** A two-frame APNG: the default image (frame one) red, frame two blue. */
async function apng(): Promise<Buffer> {
  const red = pngChunks(await solid(8, 8, [255, 0, 0]).png().toBuffer());
  const idat = red.find(([type]) => type === 'IDAT')![1];
  const raw = Buffer.alloc(8 * (1 + 8 * 3));
  for (let y = 0; y < 8; y++) for (let x = 0; x < 8; x++) raw.set([0, 0, 255], y * 25 + 1 + x * 3);
  const fcTL = (sequence: number) => {
    const data = Buffer.alloc(26);
    data.writeUInt32BE(sequence, 0);
    data.writeUInt32BE(8, 4);
    data.writeUInt32BE(8, 8);
    data.writeUInt16BE(1, 20);
    data.writeUInt16BE(10, 22);
    return pngChunk('fcTL', data);
  };
  const actl = Buffer.alloc(8);
  actl.writeUInt32BE(2, 0);
  const fdat = Buffer.concat([Buffer.from([0, 0, 0, 2]), deflateSync(raw)]);
  return pngFrom([
    ihdr(8, 8),
    pngChunk('acTL', actl),
    fcTL(0),
    pngChunk('IDAT', idat),
    fcTL(1),
    pngChunk('fdAT', fdat),
    pngChunk('IEND'),
  ]);
}

describe('decodeImage', () => {
  it('decodes each format to RGB at the right size with the right colours', async () => {
    const encoders: [string, (s: sharp.Sharp) => sharp.Sharp][] = [
      ['jpeg', (s) => s.jpeg({ quality: 90 })],
      ['png', (s) => s.png()],
      ['webp', (s) => s.webp({ quality: 90 })],
      ['webp', (s) => s.webp({ lossless: true })],
      ['avif', (s) => s.avif({ quality: 70 })],
      ['gif', (s) => s.gif()],
    ];
    for (const [format, encode] of encoders) {
      const bytes = await encode(picture()).toBuffer();
      const image = await decodeImage(bytes);
      expect(image.format).toBe(format);
      expect([image.pixels.width, image.pixels.height, image.pixels.channels]).toEqual([
        128, 64, 3,
      ]);
      expect(image.pixels.data.length).toBe(128 * 64 * 3);
      expect(cornerColours(image.pixels), format).toEqual(['red', 'green', 'blue', 'white']);
      expect(image.orientation).toBe(1);
      expect(image.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
      expect(image.byteLength).toBe(bytes.length);
      expect(image.bytes).toBe(bytes);
    }
  });

  it('keeps a red square red in every format', async () => {
    for (const format of ['jpeg', 'png', 'webp', 'avif', 'gif'] as const) {
      const square = await solid(48, 48, [220, 20, 30]).toFormat(format).toBuffer();
      const image = await decodeImage(square);
      const [r, g, b] = image.pixels.data.subarray((24 * 48 + 24) * 3);
      expect(r!, format).toBeGreaterThan(190);
      expect(g!, format).toBeLessThan(60);
      expect(b!, format).toBeLessThan(70);
    }
  });

  it('applies all eight EXIF orientations so pixels and size are as displayed', async () => {
    for (let orientation = 1; orientation <= 8; orientation++) {
      for (const format of ['jpeg', 'png', 'webp'] as const) {
        const bytes = await picture().toFormat(format).withMetadata({ orientation }).toBuffer();
        const image = await decodeImage(bytes);
        const swapped = orientation >= 5;
        expect([image.pixels.width, image.pixels.height]).toEqual(swapped ? [64, 128] : [128, 64]);
        expect(cornerColours(image.pixels), `${format} orientation ${orientation}`).toEqual(
          DISPLAYED_CORNERS[orientation - 1],
        );
        expect(image.orientation).toBe(orientation);
      }
    }
  });

  it('reports the orientation of an AVIF, which carries it in irot/imir boxes rather than EXIF', async () => {
    const image = await decodeImage(
      await picture().avif().withMetadata({ orientation: 6 }).toBuffer(),
    );
    expect([image.pixels.width, image.pixels.height]).toEqual([64, 128]);
    expect(cornerColours(image.pixels)).toEqual(DISPLAYED_CORNERS[5]);
    expect(image.orientation).toBe(6);
  });

  it('flattens transparency onto white and turns grey, 16-bit and CMYK input into 8-bit RGB', async () => {
    const rgba = new Uint8Array(16 * 16 * 4);
    for (let i = 0; i < 16 * 16; i++) rgba.set(i < 128 ? [255, 0, 0, 0] : [0, 0, 255, 255], i * 4);
    for (const format of ['png', 'webp', 'avif'] as const) {
      const image = await decodeImage(
        await fromRaster({ width: 16, height: 16, channels: 4, data: rgba })
          .toFormat(format, { lossless: true })
          .toBuffer(),
      );
      expect(image.pixels.channels).toBe(3);
      expect(colourAt(image.pixels, 8, 2), format).toBe('white');
      expect(colourAt(image.pixels, 8, 13), format).toBe('blue');
    }
    const grey = await decodeImage(await solid(10, 10, [90, 90, 90]).greyscale().png().toBuffer());
    expect([...grey.pixels.data.subarray(0, 3)]).toEqual([90, 90, 90]);
    const deep = await decodeImage(
      await solid(10, 10, [200, 30, 40]).png().toColourspace('rgb16').toBuffer(),
    );
    expect([...deep.pixels.data.subarray(0, 3)]).toEqual([200, 30, 40]);
    const cmyk = await decodeImage(
      await solid(10, 10, [220, 20, 30]).toColourspace('cmyk').jpeg().toBuffer(),
    );
    expect(cmyk.pixels.channels).toBe(3);
    expect(cmyk.pixels.data[0]).toBeGreaterThan(180);
    expect(cmyk.pixels.data[1]).toBeLessThan(70);
  });

  it('decodes only the first frame of an animated GIF, WebP or APNG', async () => {
    const frames = Buffer.concat([
      await solid(16, 16, [255, 0, 0]).raw().toBuffer(),
      await solid(16, 16, [0, 0, 255]).raw().toBuffer(),
    ]);
    const animated = sharp(frames, { raw: { width: 16, height: 32, channels: 3, pageHeight: 16 } });
    for (const format of ['gif', 'webp'] as const) {
      const bytes = await animated
        .clone()
        .toFormat(format, { loop: 0, delay: [100, 100] })
        .toBuffer();
      const opened = await openImage(bytes);
      expect(opened.animated, format).toBe(true);
      const image = await opened.decode();
      expect([image.pixels.width, image.pixels.height], format).toEqual([16, 16]);
      expect(colourAt(image.pixels, 8, 8), format).toBe('red');
    }
    const png = await openImage(await apng());
    expect(png.animated).toBe(true);
    expect(colourAt(await png.pixels(), 4, 4)).toBe('red');
  });

  it('refuses truncated JPEG, PNG, WebP, GIF and AVIF files instead of returning half an image', async () => {
    const photo = fromRaster(noisyPhoto(96, 64, 3));
    for (const format of ['jpeg', 'png', 'webp', 'gif', 'avif'] as const) {
      const bytes = await photo.clone().toFormat(format).toBuffer();
      for (const keep of [0.5, 0.9, 0.99]) {
        const cut = bytes.subarray(0, Math.floor(bytes.length * keep));
        expect(await rejectionCode(decodeImage(cut)), `${format} cut at ${keep}`).toBe(
          'EVIDENCE_CORRUPT',
        );
        expect(
          await rejectionCode(openImage(cut).then((o) => o.analysisPixels(32))),
          `${format} small, cut at ${keep}`,
        ).toBe('EVIDENCE_CORRUPT');
      }
    }
    const jpeg = await photo.clone().jpeg().toBuffer();
    expect(
      await rejectionCode(decodeImage(jpeg.subarray(0, jpeg.length - 2))),
      'JPEG without EOI',
    ).toBe('EVIDENCE_CORRUPT');
  });

  it('refuses oversized files before reading them, and empty ones', async () => {
    const jpeg = await picture().jpeg().toBuffer();
    expect(await rejectionCode(decodeImage(jpeg, { maxBytes: jpeg.length - 1 }))).toBe(
      'EVIDENCE_TOO_LARGE',
    );
    expect(await rejectionCode(decodeImage(Buffer.alloc(26 * 1024 * 1024)))).toBe(
      'EVIDENCE_TOO_LARGE',
    );
    expect(await rejectionCode(decodeImage(new Uint8Array(0)))).toBe('EVIDENCE_EMPTY');
  });

  it('refuses SVG and non-images whatever they are called', async () => {
    const svg = Buffer.from(
      '<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
    );
    expect(await rejectionCode(decodeImage(svg))).toBe('EVIDENCE_SVG_REFUSED');
    for (const other of [
      '<html><body>hi</body></html>',
      '%PDF-1.4\n%âãÏÓ',
      'PK\u0003\u0004zipzip',
    ]) {
      expect(await rejectionCode(decodeImage(Buffer.from(other)))).toBe(
        'EVIDENCE_UNSUPPORTED_FORMAT',
      );
    }
  });

  it('treats a programming error in the limits as a RangeError, not as bad input', async () => {
    await expect(decodeImage(Buffer.from([1]), { maxPixels: -5 })).rejects.toThrow(RangeError);
  });
});

describe('openImage', () => {
  it('reads size and orientation without decoding, then decodes the full pixels once', async () => {
    const bytes = await picture().jpeg().withMetadata({ orientation: 6 }).toBuffer();
    const opened = await openImage(bytes);
    expect([opened.width, opened.height, opened.orientation, opened.format]).toEqual([
      64,
      128,
      6,
      'jpeg',
    ]);
    const first = opened.pixels();
    expect(opened.pixels()).toBe(first);
    const decoded = await opened.decode();
    expect(decoded.pixels).toBe(await first);
    expect(await opened.decode()).toBe(decoded);
  });

  it('decodes analysis pixels at reduced size directly, matching a downscale of the full pixels', async () => {
    const bytes = await fromRaster(quadrants(1600, 1200))
      .jpeg()
      .withMetadata({ orientation: 8 })
      .toBuffer();
    const opened = await openImage(bytes);
    const small = await opened.analysisPixels(400);
    expect([small.width, small.height, small.channels]).toEqual([300, 400, 3]);
    expect(cornerColours(small)).toEqual(DISPLAYED_CORNERS[7]);
    expect(opened.analysisPixels(400)).toBe(opened.analysisPixels(400));
    const viaFull = await decodeForAnalysis(await decodeImage(bytes), 400);
    expect([viaFull.width, viaFull.height]).toEqual([300, 400]);
    let difference = 0;
    for (let i = 0; i < small.data.length; i++)
      difference += Math.abs(small.data[i]! - viaFull.data[i]!);
    expect(difference / small.data.length).toBeLessThan(3);
  });

  it('returns the full pixels when they already fit the analysis size', async () => {
    const opened = await openImage(await picture().png().toBuffer());
    expect(await opened.analysisPixels(4096)).toBe(await opened.pixels());
  });
});

describe('decodeForAnalysis and toGray', () => {
  it('downscales so the long side fits, keeping the aspect ratio, and leaves small images alone', async () => {
    const image = await decodeImage(await fromRaster(quadrants(1000, 400)).png().toBuffer());
    const small = await decodeForAnalysis(image, 250);
    expect([small.width, small.height, small.channels]).toEqual([250, 100, 3]);
    expect(cornerColours(small)).toEqual(['red', 'green', 'blue', 'white']);
    expect(await decodeForAnalysis(image, 1000)).toBe(image.pixels);
    await expect(decodeForAnalysis(image, 0)).rejects.toThrow(RangeError);
  });

  it('averages rather than skips pixels, so a fine checkerboard becomes flat grey', async () => {
    const data = new Uint8Array(512 * 512 * 3);
    for (let y = 0; y < 512; y++)
      for (let x = 0; x < 512; x++)
        data.fill((x + y) % 2 ? 255 : 0, (y * 512 + x) * 3, (y * 512 + x) * 3 + 3);
    const image = await decodeImage(
      await fromRaster({ width: 512, height: 512, channels: 3, data }).png().toBuffer(),
    );
    const small = await decodeForAnalysis(image, 64);
    const values = [...small.data.subarray(64 * 3 * 10, 64 * 3 * 50)];
    expect(Math.min(...values)).toBeGreaterThan(110);
    expect(Math.max(...values)).toBeLessThan(145);
  });

  it('turns RGB into one luma channel with BT.601 weights', () => {
    const gray = toGray({
      width: 4,
      height: 1,
      channels: 3,
      data: new Uint8Array([255, 0, 0, 0, 255, 0, 0, 0, 255, 200, 200, 200]),
    });
    expect(gray.channels).toBe(1);
    expect([...gray.data]).toEqual([77, 149, 29, 200]); // (w·255 + 128) >> 8
    expect(toGray(gray)).toBe(gray);
  });
});
