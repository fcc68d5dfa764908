import { describe, expect, it } from 'vitest';
import { aigcLabelSignal, findAigcLabels } from './aigc-label.js';
import { readContainers } from './read-metadata.js';
import {
  ascii,
  exifSegment,
  iTXt,
  phoneExif,
  plainJpeg,
  plainPng,
  tEXt,
  userComment,
  withChunks,
  withSegments,
  xmpPacket,
  xmpSegment,
  zTXt,
} from './test-support/builders.js';

const TC260 = 'http://www.tc260.org.cn/ns/AIGC/1.0/';
const label = (value: string): string =>
  JSON.stringify({
    Label: value,
    ContentProducer: '91110000MA01ABCD2X',
    ProduceID: 'f3a9c2',
    ReservedCode1: '',
    ContentPropagator: '',
    PropagateID: '',
    ReservedCode2: '',
  });
const escapeXml = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;');

async function jpegWithXmp(xml: string): Promise<Uint8Array> {
  return withSegments(await plainJpeg(), [xmpSegment(xml)]);
}

describe('AIGC implicit label (GB 45438-2025)', () => {
  it('reads TC260:AIGC written as an element, and reports producer and ProduceID', async () => {
    const bundle = readContainers(
      await jpegWithXmp(xmpPacket(`<TC260:AIGC>${escapeXml(label('1'))}</TC260:AIGC>`, { TC260 })),
      'jpeg',
    );
    const signal = aigcLabelSignal(bundle);
    expect(signal).toMatchObject({
      id: 'provenance.aigc_label',
      family: 'provenance',
      strength: 0.95,
    });
    expect(signal?.details).toMatchObject({
      label: '1',
      contentProducer: '91110000MA01ABCD2X',
      produceId: 'f3a9c2',
    });
    expect(signal?.reason.en).toContain('XMP TC260:AIGC');
    expect(signal?.reason.zh).toContain('91110000MA01ABCD2X');
  });

  it('reads the label as an attribute under any prefix bound to the TC260 namespace', async () => {
    const xml = xmpPacket('', { aigc: TC260 }, `aigc:AIGC="${escapeXml(label('2'))}"`);
    const signal = aigcLabelSignal(readContainers(await jpegWithXmp(xml), 'jpeg'));
    expect(signal?.strength).toBe(0.8);
    expect(signal?.details?.label).toBe('2');
  });

  it('reads the label written as an XMP struct of TC260 properties', async () => {
    const xml = xmpPacket(
      '<TC260:AIGC rdf:parseType="Resource"><TC260:Label>2</TC260:Label><TC260:ContentProducer>P1</TC260:ContentProducer><TC260:ProduceID>ID9</TC260:ProduceID></TC260:AIGC>',
      { TC260 },
    );
    const signal = aigcLabelSignal(readContainers(await jpegWithXmp(xml), 'jpeg'));
    expect(signal).toMatchObject({
      strength: 0.8,
      details: { label: '2', contentProducer: 'P1', produceId: 'ID9' },
    });
    expect(signal?.details?.locations).toHaveLength(1);
  });

  it('ignores a bare Label in a different namespace, but still recognises a full label JSON there', async () => {
    const foreign = { TC260: 'http://example.com/not-tc260/' };
    const bare = xmpPacket(`<TC260:AIGC>{"Label":"1"}</TC260:AIGC>`, foreign);
    expect(aigcLabelSignal(readContainers(await jpegWithXmp(bare), 'jpeg'))).toBeUndefined();
    const full = xmpPacket(`<TC260:AIGC>${escapeXml(label('1'))}</TC260:AIGC>`, foreign);
    expect(aigcLabelSignal(readContainers(await jpegWithXmp(full), 'jpeg'))?.strength).toBe(0.95);
  });

  it.each([
    ['ASCII', 'ASCII'],
    ['UNICODE little-endian', 'UNICODE-LE'],
    ['UNICODE big-endian', 'UNICODE-BE'],
    ['undefined charset', 'undefined'],
    ['JIS', 'JIS'],
  ] as const)(
    'reads a wrapped {"AIGC": …} label from EXIF UserComment (%s)',
    async (_name, charset) => {
      const tiff = phoneExif({
        extraExif: [
          userComment(JSON.stringify({ AIGC: JSON.parse(label('3')) as unknown }), charset),
        ],
      });
      const signal = aigcLabelSignal(
        readContainers(withSegments(await plainJpeg(), [exifSegment(tiff)]), 'jpeg'),
      );
      expect(signal).toMatchObject({ strength: 0.5, details: { label: '3' } });
      expect(signal?.reason.en).toContain('EXIF UserComment');
    },
  );

  it('reads the label from EXIF ImageDescription and XPComment', async () => {
    const xp = {
      tag: 0x9c9c,
      type: 'byte' as const,
      value: Uint8Array.from(Buffer.from(`${label('1')}\0`, 'utf16le')),
    };
    for (const extra of [ascii(0x010e, label('1')), xp]) {
      const tiff = phoneExif({ extraIfd0: [extra] });
      const labels = findAigcLabels(
        readContainers(withSegments(await plainJpeg(), [exifSegment(tiff)]), 'jpeg'),
      );
      expect(labels[0]?.label).toBe('1');
    }
  });

  it.each([
    ['tEXt', tEXt('AIGC', label('1'))],
    ['zTXt', zTXt('AIGC', label('1'))],
    ['iTXt', iTXt('AIGC', label('1'), true)],
    [
      'lower-case keyword',
      tEXt('aigc', JSON.stringify({ AIGC: JSON.parse(label('1')) as unknown })),
    ],
  ])('reads the label from a PNG %s chunk', async (_name, chunk) => {
    const signal = aigcLabelSignal(readContainers(withChunks(await plainPng(), [chunk]), 'png'));
    expect(signal?.strength).toBe(0.95);
  });

  it('keeps the strongest label when several are present and lists all locations', async () => {
    const png = withChunks(await plainPng(), [
      tEXt('AIGC', label('3')),
      iTXt(
        'XML:com.adobe.xmp',
        xmpPacket(`<TC260:AIGC>${escapeXml(label('1'))}</TC260:AIGC>`, { TC260 }),
      ),
    ]);
    const signal = aigcLabelSignal(readContainers(png, 'png'));
    expect(signal?.details?.label).toBe('1');
    expect(signal?.details?.locations).toHaveLength(2);
  });

  it('accepts a lenient key=value label in a dedicated field but not a bare {"Label"} elsewhere', async () => {
    const lenient = readContainers(
      withChunks(await plainPng(), [tEXt('AIGC', 'Label=1;ContentProducer=ABC')]),
      'png',
    );
    expect(aigcLabelSignal(lenient)?.details).toMatchObject({ label: '1', contentProducer: 'ABC' });
    const bare = readContainers(
      withChunks(await plainPng(), [tEXt('Comment', '{"Label":"1"}')]),
      'png',
    );
    expect(aigcLabelSignal(bare)).toBeUndefined();
  });

  it('flags an unreadable value in a dedicated field as medium', async () => {
    const signal = aigcLabelSignal(
      readContainers(withChunks(await plainPng(), [tEXt('AIGC', '###')]), 'png'),
    );
    expect(signal?.strength).toBe(0.5);
    expect(signal?.reason.en).toMatch(/could not be parsed/);
  });

  it('finds nothing in ordinary phone metadata', async () => {
    const bundle = readContainers(
      withSegments(await plainJpeg(), [exifSegment(phoneExif({ software: 'MIUI Camera' }))]),
      'jpeg',
    );
    expect(aigcLabelSignal(bundle)).toBeUndefined();
  });
});
