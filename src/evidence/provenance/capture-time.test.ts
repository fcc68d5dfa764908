import { describe, expect, it } from 'vitest';
import { captureTimeSignals, parseExifDateTime, resolveCaptureTime } from './capture-time.js';
import { readContainers } from './read-metadata.js';
import {
  ascii,
  exifSegment,
  phoneExif,
  plainJpeg,
  withSegments,
  xmpPacket,
  xmpSegment,
  type TagSpec,
} from './test-support/builders.js';

async function bundleFor(options: Parameters<typeof phoneExif>[0]) {
  return readContainers(withSegments(await plainJpeg(), [exifSegment(phoneExif(options))]), 'jpeg');
}

const delivered = new Date('2025-03-01T10:00:00+08:00');

describe('capture time against delivery', () => {
  it('flags a photo taken days before delivery as strong, citing both times', async () => {
    const [signal] = captureTimeSignals(await bundleFor({ captured: '2025:02:25 08:13:07' }), {
      deliveredAt: delivered,
    });
    expect(signal).toMatchObject({ id: 'provenance.capture_before_delivery', strength: 0.8 });
    expect(signal?.reason.en).toContain('2025:02:25 08:13:07');
    expect(signal?.reason.en).toContain('2025-03-01 10:00 (UTC+08:00)');
    expect(signal?.reason.en).toContain('4 days 1 h');
    expect(signal?.reason.zh).toContain('早于签收时间');
  });

  it('tolerates ten minutes of clock skew and rates the first hour lower', async () => {
    const skew = captureTimeSignals(await bundleFor({ captured: '2025:03:01 09:52:00' }), {
      deliveredAt: delivered,
    });
    expect(skew[0]).toMatchObject({ id: 'provenance.capture_after_delivery', strength: 0 });
    const lateScan = captureTimeSignals(await bundleFor({ captured: '2025:03:01 09:30:00' }), {
      deliveredAt: delivered,
    });
    expect(lateScan[0]).toMatchObject({ id: 'provenance.capture_before_delivery', strength: 0.6 });
  });

  it('reports a capture after delivery as exculpatory information with strength 0', async () => {
    const [signal] = captureTimeSignals(await bundleFor({ captured: '2025:03:02 18:00:00' }), {
      deliveredAt: delivered,
    });
    expect(signal).toMatchObject({ id: 'provenance.capture_after_delivery', strength: 0 });
    expect(signal?.reason.en).toContain('after the delivery');
  });

  it('uses the recorded offset: 09:00 in UTC+01:00 is after a 10:00 Beijing delivery', async () => {
    const [signal] = captureTimeSignals(
      await bundleFor({ captured: '2025:03:01 09:00:00', offset: '+01:00' }),
      { deliveredAt: delivered },
    );
    expect(signal?.id).toBe('provenance.capture_after_delivery');
  });

  it('assumes Beijing time without an offset, and says so', async () => {
    const [signal] = captureTimeSignals(
      await bundleFor({ captured: '2025:02:28 10:00:00', offset: null }),
      { deliveredAt: delivered },
    );
    expect(signal?.details?.offsetSource).toBe('assumed');
    expect(signal?.reason.en).toContain('Beijing time UTC+08:00 assumed');
    expect(signal?.reason.zh).toContain('未记录时区');
  });

  it('derives the zone from the GPS clock when no offset is recorded', async () => {
    const gps: TagSpec[] = [
      {
        tag: 0x0007,
        type: 'rational',
        value: [
          [1, 1],
          [0, 1],
          [5, 1],
        ],
      },
      ascii(0x001d, '2025:03:01'),
    ];
    // 09:00 local with GPS 01:00 UTC means UTC+08:00; 02:00 local with GPS 01:00 UTC means UTC+01:00.
    const capture = resolveCaptureTime(
      await bundleFor({ captured: '2025:03:01 02:00:00', offset: null, gps }),
    );
    expect(capture).toMatchObject({ offsetSource: 'gps', offsetMinutes: 60 });
  });

  it('falls back to XMP dates with their own offset', async () => {
    const xmp = xmpPacket(
      '<exif:DateTimeOriginal>2025-02-20T12:00:00+08:00</exif:DateTimeOriginal>',
      { exif: 'http://ns.adobe.com/exif/1.0/' },
    );
    const bundle = readContainers(withSegments(await plainJpeg(), [xmpSegment(xmp)]), 'jpeg');
    const [signal] = captureTimeSignals(bundle, { deliveredAt: delivered });
    expect(signal).toMatchObject({
      id: 'provenance.capture_before_delivery',
      details: { where: 'XMP exif:DateTimeOriginal', offsetSource: 'recorded' },
    });
  });

  it('rates impossible dates weak or medium instead of as evidence of timing', async () => {
    const [old] = captureTimeSignals(await bundleFor({ captured: '1980:01:01 00:00:00' }), {
      deliveredAt: delivered,
    });
    expect(old).toMatchObject({ id: 'provenance.capture_time_implausible', strength: 0.2 });
    const [future] = captureTimeSignals(await bundleFor({ captured: '2031:01:01 00:00:00' }), {
      deliveredAt: delivered,
      now: new Date('2025-03-05T00:00:00Z'),
    });
    expect(future).toMatchObject({ id: 'provenance.capture_time_implausible', strength: 0.4 });
  });

  it('says nothing without a delivery time or a capture time', async () => {
    expect(captureTimeSignals(await bundleFor({}), {})).toEqual([]);
    expect(
      captureTimeSignals(readContainers(await plainJpeg(), 'jpeg'), { deliveredAt: delivered }),
    ).toEqual([]);
  });

  it('parses EXIF, ISO and zero dates', () => {
    expect(parseExifDateTime('2025:03:01 10:00:00')).toEqual({ naiveMs: Date.UTC(2025, 2, 1, 10) });
    expect(parseExifDateTime('2025-03-01T10:00:00.123Z')).toEqual({
      naiveMs: Date.UTC(2025, 2, 1, 10),
      offsetMinutes: 0,
    });
    expect(parseExifDateTime('0000:00:00 00:00:00')).toBeUndefined();
    expect(parseExifDateTime('    :  :     :  :  ')).toBeUndefined();
  });
});
