import { describe, expect, it } from 'vitest';
import type { RasterImage } from '../model.js';
import { consistencySignals } from './consistency.js';
import { readContainers } from './read-metadata.js';
import { analyzeProvenance, provenanceSignals } from './signals.js';
import {
  ascii,
  exifSegment,
  phoneExif,
  plainJpeg,
  plainPng,
  pngChunk,
  testPixels,
  withChunks,
  withSegments,
  type TagSpec,
} from './test-support/builders.js';

const delivered = new Date('2025-03-01T10:00:00+08:00');
const gps: TagSpec[] = [
  ascii(0x0001, 'N'),
  {
    tag: 0x0002,
    type: 'rational',
    value: [
      [31, 1],
      [13, 1],
      [0, 1],
    ],
  },
];

function pixels(width: number, height: number): RasterImage {
  return { width, height, channels: 3, data: testPixels(width, height) };
}

describe('provenance signals end to end', () => {
  it.each([
    ['Apple', 'iPhone 15 Pro', '17.5.1'],
    ['HUAWEI', 'ALN-AL00', undefined],
    ['Xiaomi', '23127PN0CC', 'MIUI Camera'],
    ['Google', 'Pixel 8 Pro', 'HDR+ 1.0.641377693zd'],
    ['vivo', 'V2309A', 'MediaTek Camera Application'],
  ])(
    'gives a benign %s %s photo taken after delivery no suspicious signal',
    async (make, model, software) => {
      const tiff = phoneExif({
        make,
        model,
        ...(software ? { software } : {}),
        captured: '2025:03:01 18:20:00',
        width: 64,
        height: 48,
        gps,
        littleEndian: make !== 'Apple',
      });
      const jpeg = withSegments(await plainJpeg(), [exifSegment(tiff)]);
      const { signals } = await analyzeProvenance(jpeg, 'jpeg', {
        deliveredAt: delivered,
        claimPixels: pixels(64, 48),
      });
      expect(signals.every((s) => s.strength === 0)).toBe(true);
      expect(signals.map((s) => s.id)).toEqual(['provenance.capture_after_delivery']);
    },
  );

  it('reports a file without metadata with one neutral signal', async () => {
    const { signals } = await analyzeProvenance(await plainJpeg(), 'jpeg', {
      deliveredAt: delivered,
    });
    expect(signals).toHaveLength(1);
    expect(signals[0]).toMatchObject({
      id: 'provenance.metadata_checked',
      strength: 0,
      family: 'provenance',
    });
    expect(signals[0]?.reason.zh).toMatch(/缺少元数据本身不说明问题/);
  });

  it('gives every signal a family, a strength in [0, 1] and reasons in both languages', async () => {
    const tiff = phoneExif({
      software: 'Meitu',
      captured: '2025:02:20 10:00:00',
      modified: '2025:02:20 11:00:00',
      width: 100,
      height: 100,
    });
    const { signals } = await analyzeProvenance(
      withSegments(await plainJpeg(), [exifSegment(tiff)]),
      'jpeg',
      { deliveredAt: delivered },
    );
    expect(signals.map((s) => s.id).sort()).toEqual([
      'provenance.capture_before_delivery',
      'provenance.editing_software',
      'provenance.exif_size_mismatch',
    ]);
    for (const s of signals) {
      expect(s.family).toBe('provenance');
      expect(s.strength).toBeGreaterThanOrEqual(0);
      expect(s.strength).toBeLessThanOrEqual(1);
      expect(s.reason.zh.length).toBeGreaterThan(5);
      expect(s.reason.en.length).toBeGreaterThan(5);
      expect(JSON.stringify(s.details ?? {})).not.toMatch(/"data"|Uint8Array/);
    }
  });
});

describe('metadata inconsistencies', () => {
  it('weakly flags camera EXIF whose image size does not match the file', async () => {
    const bundle = readContainers(
      withSegments(await plainJpeg(), [exifSegment(phoneExif({ width: 4000, height: 3000 }))]),
      'jpeg',
    );
    const [resized] = consistencySignals(bundle);
    expect(resized).toMatchObject({
      id: 'provenance.exif_size_mismatch',
      strength: 0.15,
      details: { sameShape: true },
    });
    const cropped = readContainers(
      withSegments(await plainJpeg(), [exifSegment(phoneExif({ width: 4000, height: 2000 }))]),
      'jpeg',
    );
    expect(consistencySignals(cropped)[0]?.strength).toBe(0.3);
  });

  it('accepts EXIF sizes given in either orientation', async () => {
    const bundle = readContainers(
      withSegments(await plainJpeg(), [exifSegment(phoneExif({ width: 48, height: 64 }))]),
      'jpeg',
    );
    expect(consistencySignals(bundle)).toEqual([]);
  });

  it('weakly flags phone EXIF inside a PNG', async () => {
    const png = withChunks(await plainPng(), [
      pngChunk('eXIf', phoneExif({ make: 'Apple', model: 'iPhone 13 Pro' })),
    ]);
    const signals = await provenanceSignals(readContainers(png, 'png'));
    expect(signals.find((s) => s.id === 'provenance.camera_exif_in_png')?.strength).toBe(0.2);
  });

  it('needs a camera make or model before judging sizes', async () => {
    const tiff = phoneExif({ width: 4000, height: 3000 });
    const bundle = readContainers(withSegments(await plainJpeg(), [exifSegment(tiff)]), 'jpeg');
    delete bundle.exif?.fields.make;
    delete bundle.exif?.fields.model;
    expect(consistencySignals(bundle)).toEqual([]);
  });
});
