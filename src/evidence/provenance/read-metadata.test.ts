import { deflateSync } from 'node:zlib';
import exifr from 'exifr';
import { describe, expect, it } from 'vitest';
import { EvidenceError } from '../errors.js';
import { readContainers, readMetadata } from './read-metadata.js';
import {
  app11Segments,
  c2paJumbf,
  commentSegment,
  exifSegment,
  extendedXmpSegments,
  heifWith,
  iTXt,
  iptcSegment,
  phoneExif,
  plainJpeg,
  plainPng,
  pngChunk,
  tEXt,
  webpWith,
  withChunks,
  withSegments,
  xmpPacket,
  xmpSegment,
  zTXt,
} from './test-support/builders.js';

const TC260 = 'http://www.tc260.org.cn/ns/AIGC/1.0/';

describe('JPEG containers', () => {
  it('reads EXIF from APP1 in both byte orders, with the stored frame size', async () => {
    for (const littleEndian of [true, false]) {
      const jpeg = withSegments(await plainJpeg(), [
        exifSegment(phoneExif({ make: 'HUAWEI', model: 'ALN-AL00', littleEndian })),
      ]);
      const bundle = readContainers(jpeg, 'jpeg');
      expect(bundle.exif?.byteOrder).toBe(littleEndian ? 'II' : 'MM');
      expect(bundle.exif?.fields).toMatchObject({
        make: 'HUAWEI',
        model: 'ALN-AL00',
        dateTimeOriginal: '2025:03:01 10:00:00',
        offsetTimeOriginal: '+08:00',
        pixelXDimension: 64,
      });
      expect(bundle.image).toEqual({ width: 64, height: 48 });
    }
  });

  it('agrees with exifr on the tags both read', async () => {
    const tiff = phoneExif({
      make: 'Apple',
      model: 'iPhone 15 Pro',
      software: '17.5.1',
      width: 4032,
      height: 3024,
    });
    const jpeg = withSegments(await plainJpeg(), [exifSegment(tiff)]);
    const ours = readContainers(jpeg, 'jpeg').exif?.fields;
    const theirs = (await exifr.parse(Buffer.from(jpeg), {
      tiff: true,
      exif: true,
      reviveValues: false,
    })) as Record<string, unknown>;
    expect(ours?.make).toBe(theirs.Make);
    expect(ours?.model).toBe(theirs.Model);
    expect(ours?.software).toBe(theirs.Software);
    expect(ours?.dateTimeOriginal).toBe(theirs.DateTimeOriginal);
    expect(ours?.pixelXDimension).toBe(theirs.ExifImageWidth);
  });

  it('reads XMP, extended XMP, IPTC and COM segments', async () => {
    const main = xmpPacket(`<TC260:AIGC>{"Label":"1"}</TC260:AIGC>`, { TC260 });
    const long = xmpPacket(`<photoshop:History>${'x'.repeat(150_000)}</photoshop:History>`, {
      photoshop: 'http://ns.adobe.com/photoshop/1.0/',
    });
    const jpeg = withSegments(await plainJpeg(), [
      xmpSegment(main),
      ...extendedXmpSegments(long, 'A'.repeat(32), 60_000).reverse(),
      iptcSegment([
        [2, 65, 'Midjourney'],
        [2, 120, '说明'],
      ]),
      commentSegment('hello'),
    ]);
    const bundle = readContainers(jpeg, 'jpeg');
    expect(bundle.xmp?.sources).toHaveLength(2);
    expect(bundle.xmp?.properties.find((p) => p.ns === TC260)?.value).toBe('{"Label":"1"}');
    // Reassembled in full, then capped per value.
    expect(bundle.xmp?.packets[1]).toBe(long);
    expect(bundle.xmp?.properties.find((p) => p.name === 'History')?.value).toHaveLength(65_536);
    expect(bundle.iptc?.map((d) => d.value)).toEqual(['Midjourney', '说明']);
    expect(bundle.comments).toEqual(['hello']);
  });

  it('stitches a C2PA store split over APP11 segments, whatever their order', async () => {
    const store = c2paJumbf(200_000);
    const segments = app11Segments(store, 65_000);
    expect(segments.length).toBeGreaterThan(3);
    const jpeg = withSegments(await plainJpeg(), [
      segments[2]!,
      segments[0]!,
      segments[3]!,
      segments[1]!,
    ]);
    const bundle = readContainers(jpeg, 'jpeg');
    expect(bundle.c2pa?.source).toBe('jpeg:APP11');
    expect(Buffer.from(bundle.c2pa!.jumbf).equals(Buffer.from(store))).toBe(true);
  });

  it('ignores APP11 JUMBF that is not a C2PA store', async () => {
    const store = c2paJumbf(100);
    store[8 + 8] = 0x00; // break the UUID
    const bundle = readContainers(
      withSegments(await plainJpeg(), app11Segments(store, 1000)),
      'jpeg',
    );
    expect(bundle.c2pa).toBeUndefined();
  });

  it('extracts the IFD1 thumbnail', async () => {
    const thumb = await plainJpeg(16, 12);
    const jpeg = withSegments(await plainJpeg(), [exifSegment(phoneExif({ thumbnail: thumb }))]);
    const bundle = readContainers(jpeg, 'jpeg');
    expect(bundle.thumbnail && Buffer.from(bundle.thumbnail).equals(Buffer.from(thumb))).toBe(true);
  });
});

describe('PNG containers', () => {
  it('decodes tEXt, zTXt and compressed and plain iTXt', async () => {
    const png = withChunks(await plainPng(), [
      tEXt('parameters', 'a cat\nSteps: 20, Sampler: Euler a, Seed: 1'),
      zTXt('Comment', 'zipped text'),
      iTXt('Description', '中文说明', true),
      iTXt('Title', 'plain'),
    ]);
    const bundle = readContainers(png, 'png');
    expect(bundle.pngText.map((t) => [t.chunk, t.keyword, t.text, t.compressed])).toEqual([
      ['tEXt', 'parameters', 'a cat\nSteps: 20, Sampler: Euler a, Seed: 1', false],
      ['zTXt', 'Comment', 'zipped text', true],
      ['iTXt', 'Description', '中文说明', true],
      ['iTXt', 'Title', 'plain', false],
    ]);
    expect(bundle.pngText[2]?.language).toBe('zh-CN');
    expect(bundle.image).toEqual({ width: 64, height: 48 });
  });

  it('routes XMP in iTXt, EXIF in eXIf and hex raw profiles, and C2PA in caBX', async () => {
    const tiff = phoneExif({ make: 'OPPO', model: 'PHZ110' });
    const hex = Buffer.from(tiff).toString('hex');
    const png = withChunks(await plainPng(), [
      iTXt(
        'XML:com.adobe.xmp',
        xmpPacket('<xmp:CreatorTool>GIMP 2.10</xmp:CreatorTool>', {
          xmp: 'http://ns.adobe.com/xap/1.0/',
        }),
      ),
      pngChunk('caBX', c2paJumbf(10)),
      zTXt('Raw profile type exif', `\nexif\n${tiff.length}\n${hex.replace(/(.{72})/g, '$1\n')}\n`),
    ]);
    const bundle = readContainers(png, 'png');
    expect(bundle.xmp?.properties[0]).toMatchObject({ name: 'CreatorTool', value: 'GIMP 2.10' });
    expect(bundle.c2pa?.source).toBe('png:caBX');
    expect(bundle.exif?.fields.model).toBe('PHZ110');
    const eXIf = readContainers(withChunks(await plainPng(), [pngChunk('eXIf', tiff)]), 'png');
    expect(eXIf.exif?.source).toBe('png:eXIf');
  });

  it('keeps a chunk whose CRC is wrong, with a warning', async () => {
    const chunk = tEXt('AIGC', '{"Label":"1"}');
    chunk[chunk.length - 1] = (chunk[chunk.length - 1] ?? 0) ^ 0xff;
    const bundle = readContainers(withChunks(await plainPng(), [chunk]), 'png');
    expect(bundle.pngText[0]?.keyword).toBe('AIGC');
    expect(bundle.warnings.join()).toMatch(/CRC/);
  });

  it('refuses a zTXt bomb with EVIDENCE_METADATA_TOO_LARGE, or skips it when asked', async () => {
    const bomb = pngChunk(
      'zTXt',
      Uint8Array.from([
        ...Buffer.from('bomb\0\0', 'latin1'),
        ...deflateSync(Buffer.alloc(8 << 20)),
      ]),
    );
    expect(bomb.length).toBeLessThan(100_000);
    const png = withChunks(await plainPng(), [bomb]);
    let error: unknown;
    try {
      readContainers(png, 'png', { maxMetadataBytes: 1 << 20 });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(EvidenceError);
    expect((error as EvidenceError).code).toBe('EVIDENCE_METADATA_TOO_LARGE');
    const skipped = readContainers(png, 'png', { maxMetadataBytes: 1 << 20, onOversize: 'skip' });
    expect(skipped.pngText).toHaveLength(0);
  });
});

describe('WebP and HEIF containers', () => {
  it('reads EXIF (with or without the Exif prefix), XMP and C2PA chunks from WebP', async () => {
    const tiff = phoneExif({ make: 'vivo', model: 'V2309A', width: 40, height: 30 });
    for (const data of [tiff, Uint8Array.from([...Buffer.from('Exif\0\0', 'latin1'), ...tiff])]) {
      const webp = await webpWith(40, 30, [
        { fourcc: 'EXIF', data },
        {
          fourcc: 'XMP ',
          data: Buffer.from(
            xmpPacket('', { TC260 }, 'TC260:AIGC="{&quot;Label&quot;:&quot;2&quot;}"'),
          ),
        },
        { fourcc: 'C2PA', data: c2paJumbf(33) },
      ]);
      const bundle = readContainers(webp, 'webp');
      expect(bundle.exif?.fields.model).toBe('V2309A');
      expect(bundle.xmp?.properties[0]).toMatchObject({
        ns: TC260,
        name: 'AIGC',
        value: '{"Label":"2"}',
      });
      expect(bundle.c2pa?.source).toBe('webp:C2PA');
      expect(bundle.image).toEqual({ width: 40, height: 30 });
    }
  });

  it('finds the Exif and XMP items and the primary size of a HEIF', () => {
    const heif = heifWith({
      exif: phoneExif({ make: 'Apple', model: 'iPhone 14 Pro' }),
      xmp: xmpPacket('<xmp:CreatorTool>Snapseed</xmp:CreatorTool>', {
        xmp: 'http://ns.adobe.com/xap/1.0/',
      }),
      width: 4032,
      height: 3024,
    });
    const bundle = readContainers(heif, 'heic');
    expect(bundle.format).toBe('heic');
    expect(bundle.exif?.fields.model).toBe('iPhone 14 Pro');
    expect(bundle.exif?.source).toBe('heif:Exif');
    expect(bundle.xmp?.properties[0]?.value).toBe('Snapseed');
    expect(bundle.image).toEqual({ width: 4032, height: 3024 });
    expect(readContainers(heifWith({ width: 10, height: 10, brand: 'avif' }), 'heic').format).toBe(
      'avif',
    );
  });
});

describe('hostile and malformed input', () => {
  it('survives truncation at every length without throwing', async () => {
    const jpeg = withSegments(await plainJpeg(), [
      exifSegment(phoneExif({ thumbnail: await plainJpeg(8, 8) })),
      xmpSegment(xmpPacket('<a:b xmlns:a="u">v</a:b>')),
      ...app11Segments(c2paJumbf(300), 100),
    ]);
    const png = withChunks(await plainPng(), [
      tEXt('k', 'v'),
      zTXt('z', 'zz'),
      iTXt('i', 'ii', true),
    ]);
    const heif = heifWith({ exif: phoneExif({}), xmp: '<x/>', width: 4, height: 4 });
    for (const [bytes, format] of [
      [jpeg, 'jpeg'],
      [png, 'png'],
      [heif, 'heic'],
    ] as const) {
      for (let n = 0; n < Math.min(bytes.length, 900); n += 3)
        expect(() => readContainers(bytes.subarray(0, n), format)).not.toThrow();
    }
  });

  it('stops at an IFD loop and at lying tag counts', () => {
    const tiff = phoneExif({ make: 'Loop' });
    const view = Buffer.from(tiff.buffer, tiff.byteOffset, tiff.byteLength);
    // Point IFD0's next-IFD field back at IFD0 itself.
    const entries = view.readUInt16LE(8);
    view.writeUInt32LE(8, 8 + 2 + entries * 12);
    // Give the first tag an absurd count.
    view.writeUInt32LE(0x7fffffff, 8 + 2 + 4);
    const bundle = readContainers(withSegmentsSync(tiff), 'jpeg');
    expect(bundle.exif).toBeDefined();
    expect(bundle.warnings.join()).toMatch(/skipped|out of bounds/);
  });

  it('treats bytes of another format by their magic, not the declared format', async () => {
    const png = withChunks(await plainPng(), [tEXt('AIGC', '{"Label":"1"}')]);
    expect(readContainers(png, 'jpeg').pngText).toHaveLength(1);
    expect(readContainers(new Uint8Array([1, 2, 3]), 'jpeg').warnings.length).toBeGreaterThan(0);
  });

  it('does not call the C2PA validator when there is no manifest', async () => {
    const bundle = await readMetadata(await plainJpeg(), 'jpeg');
    expect(bundle.c2pa).toBeUndefined();
    expect(bundle.metadataBytes).toBe(0);
  });
});

/** A minimal JPEG shell (SOI, APP1, EOI) around a TIFF block, for byte-level tampering. */
function withSegmentsSync(tiff: Uint8Array): Uint8Array {
  const payload = Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), tiff]);
  const length = Buffer.alloc(2);
  length.writeUInt16BE(payload.length + 2);
  return new Uint8Array(
    Buffer.concat([
      Buffer.from([0xff, 0xd8, 0xff, 0xe1]),
      length,
      payload,
      Buffer.from([0xff, 0xd9]),
    ]),
  );
}
