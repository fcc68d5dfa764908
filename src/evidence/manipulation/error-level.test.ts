import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { EvidenceError } from '../errors.js';
import { errorLevelMap } from './error-level.js';
import { decodeRgb, encodeJpeg, naturalImage, pasteBlock } from './test-fixtures.js';

function meanIn(
  map: { width: number; data: Uint8Array },
  x0: number,
  y0: number,
  size: number,
): number {
  let s = 0;
  for (let y = y0; y < y0 + size; y++)
    for (let x = x0; x < x0 + size; x++) s += map.data[(y * map.width + x) * 3]!;
  return s / (size * size);
}

describe('errorLevelMap', () => {
  it('shows a patch that was never compressed brighter than the JPEG around it', async () => {
    const once = await decodeRgb(await encodeJpeg(naturalImage(384, 256, 4), 70));
    pasteBlock(naturalImage(384, 256, 40, 4), once, 0, 0, 200, 64, 96, 96);
    const map = await errorLevelMap(once, { quality: 70 });
    expect(map.width).toBe(384);
    expect(map.channels).toBe(3);
    expect(meanIn(map, 216, 80, 64)).toBeGreaterThan(1.5 * meanIn(map, 40, 80, 64));
  });

  it('reads bytes at full resolution, honours EXIF orientation and shrinks the map to maxSide', async () => {
    const image = naturalImage(400, 200, 5);
    const bytes = await sharp(image.data, { raw: { width: 400, height: 200, channels: 3 } })
      .jpeg({ quality: 85 })
      .withMetadata({ orientation: 6 })
      .toBuffer();
    const map = await errorLevelMap(new Uint8Array(bytes), { maxSide: 100 });
    expect([map.width, map.height]).toEqual([50, 100]);
  });

  it('refuses bytes that are not an image with EVIDENCE_CORRUPT', async () => {
    await expect(errorLevelMap(new Uint8Array([1, 2, 3, 4]))).rejects.toBeInstanceOf(EvidenceError);
  });
});
