import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { estimateQuality, ijgTable, readJpegQuantInfo } from './jpeg-tables.js';
import { encodeJpeg, naturalImage } from './test-fixtures.js';

describe('readJpegQuantInfo', () => {
  const image = naturalImage(96, 64, 3);

  it.each([50, 75, 90, 95])('recovers the IJG quality %i of a standard-table JPEG', async (q) => {
    const info = readJpegQuantInfo(await encodeJpeg(image, q));
    expect(info?.quality).toBe(q);
    expect(info?.standardTables).toBe(true);
    expect(info?.width).toBe(96);
    expect(info?.height).toBe(64);
    expect(info?.sampling).toEqual({ h: 2, v: 2 });
  });

  it('returns undefined for bytes that are not a JPEG', () => {
    expect(readJpegQuantInfo(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0]))).toBeUndefined();
    expect(readJpegQuantInfo(new Uint8Array(0))).toBeUndefined();
  });

  it('returns undefined for a JPEG cut off before its tables', async () => {
    const bytes = await encodeJpeg(image, 80);
    expect(readJpegQuantInfo(bytes.subarray(0, 30))).toBeUndefined();
  });

  it('never throws on mutated JPEG bytes', async () => {
    const bytes = await encodeJpeg(image, 80);
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(600), fc.nat(255)), { minLength: 1, maxLength: 12 }),
        fc.nat(bytes.length),
        (edits, cut) => {
          const mutated = bytes.slice(0, Math.max(4, cut));
          for (const [at, value] of edits) if (at < mutated.length) mutated[at] = value;
          const info = readJpegQuantInfo(mutated);
          if (info) expect(info.quality).toBeGreaterThanOrEqual(1);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('estimateQuality', () => {
  it('reports a non-zero fit error for tables no IJG quality produces', () => {
    const odd = ijgTable(80).map((v, i) => (i % 2 === 0 ? v + 7 : v));
    const fit = estimateQuality(odd);
    expect(fit.error).toBeGreaterThan(0);
    expect(Math.abs(fit.quality - 80)).toBeLessThanOrEqual(6);
  });
});
