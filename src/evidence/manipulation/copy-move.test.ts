import { describe, expect, it } from 'vitest';
import type { RasterImage } from '../model.js';
import { detectCopyMove } from './copy-move.js';
import { toGrey } from './raster-ops.js';
import { decodeRgb, encodeJpeg, naturalImage, pasteBlock } from './test-fixtures.js';

function overlaps(
  a: { x: number; y: number; w: number; h: number },
  x: number,
  y: number,
  s: number,
): boolean {
  return a.x < x + s && a.x + a.w > x && a.y < y + s && a.y + a.h > y;
}

/** A wall of identical tiles: a motif repeated every `period` pixels. */
function tiles(width: number, height: number, period: number): RasterImage {
  const motif = naturalImage(period, period, 21, 0);
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++)
      for (let c = 0; c < 3; c++)
        data[(y * width + x) * 3 + c] = motif.data[((y % period) * period + (x % period)) * 3 + c]!;
  return { width, height, channels: 3, data };
}

describe('detectCopyMove', () => {
  it('finds a textured block copied elsewhere, with both source and destination', async () => {
    const image = naturalImage(480, 360, 8, 3);
    pasteBlock(image, image, 60, 70, 300, 200, 80, 80);
    const decoded = await decodeRgb(await encodeJpeg(image, 85));
    const result = detectCopyMove(toGrey(decoded));
    const f = result.finding;
    expect(f).toBeDefined();
    expect(Math.abs(Math.abs(f!.displacement.dx) - 240)).toBeLessThanOrEqual(1);
    expect(Math.abs(Math.abs(f!.displacement.dy) - 130)).toBeLessThanOrEqual(1);
    const regions = [f!.a, f!.b];
    expect(regions.some((r) => overlaps(r, 60, 70, 80))).toBe(true);
    expect(regions.some((r) => overlaps(r, 300, 200, 80))).toBe(true);
    expect(f!.correlation).toBeGreaterThan(0.8);
  });

  it('finds nothing in an untouched photo', async () => {
    const decoded = await decodeRgb(await encodeJpeg(naturalImage(480, 360, 9, 3), 85));
    expect(detectCopyMove(toGrey(decoded)).finding).toBeUndefined();
  });

  it('does not mistake a repeating tile pattern for a clone', async () => {
    const decoded = await decodeRgb(await encodeJpeg(tiles(480, 360, 40), 85));
    expect(detectCopyMove(toGrey(decoded)).finding).toBeUndefined();
  });

  it('gives the same answer on every run', () => {
    const image = naturalImage(320, 240, 12, 3);
    pasteBlock(image, image, 20, 20, 200, 120, 64, 64);
    const grey = toGrey(image);
    expect(detectCopyMove(grey)).toEqual(detectCopyMove(grey));
  });
});
