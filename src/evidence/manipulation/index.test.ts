import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import type { RasterImage, Region, Signal } from '../model.js';
import { manipulationSignals } from './index.js';
import {
  clampByte,
  decodeRgb,
  encodeJpeg,
  gaussian,
  naturalImage,
  pasteBlock,
  prng,
} from './test-fixtures.js';

async function run(
  bytes: Uint8Array,
  pixels?: RasterImage,
  errorLevel = false,
): Promise<{ signals: Signal[]; regions: Region[]; elaMap?: RasterImage }> {
  const decoded = await decodeRgb(bytes);
  return manipulationSignals({
    bytes,
    format: 'jpeg',
    pixels: pixels ?? decoded,
    originalSize: { width: decoded.width, height: decoded.height },
    errorLevel,
  });
}

function signal(signals: Signal[], id: string): Signal {
  const s = signals.find((x) => x.id === id);
  if (!s) throw new Error(`missing ${id}`);
  return s;
}

function covers(regions: Region[] | undefined, x: number, y: number): boolean {
  return (regions ?? []).some((r) => x >= r.x && x < r.x + r.w && y >= r.y && y < r.y + r.h);
}

describe('manipulationSignals', () => {
  it('finds a patch pasted in before the last save, where the rest was saved twice', async () => {
    const once = await decodeRgb(await encodeJpeg(naturalImage(512, 384, 7), 60));
    pasteBlock(naturalImage(512, 384, 99, 4), once, 64, 64, 256, 160, 128, 128);
    const { signals } = await run(await encodeJpeg(once, 90));
    const s = signal(signals, 'manipulation.jpeg_recompression');
    expect(s.strength).toBeGreaterThan(0.2);
    expect(s.details?.doubleQuantised).toBe(true);
    expect(covers(s.regions, 320, 224)).toBe(true);
  });

  it('finds a patch with far more noise than the rest of the photo', async () => {
    const image = naturalImage(512, 384, 5, 2);
    const rand = prng(3);
    for (let y = 120; y < 216; y++)
      for (let x = 300; x < 396; x++) {
        const n = 14 * gaussian(rand);
        for (let c = 0; c < 3; c++)
          image.data[(y * 512 + x) * 3 + c] = clampByte(image.data[(y * 512 + x) * 3 + c]! + n);
      }
    const { signals } = await run(await encodeJpeg(image, 92));
    const s = signal(signals, 'manipulation.noise_inconsistency');
    expect(s.strength).toBeGreaterThan(0.05);
    expect(covers(s.regions, 348, 168)).toBe(true);
  });

  it('finds both ends of a copy-move', async () => {
    const image = naturalImage(480, 360, 8, 3);
    pasteBlock(image, image, 60, 70, 300, 200, 80, 80);
    const { signals, regions } = await run(await encodeJpeg(image, 88));
    const s = signal(signals, 'manipulation.copy_move');
    expect(s.strength).toBeGreaterThanOrEqual(0.3);
    expect(s.strength).toBeLessThanOrEqual(0.65);
    expect(covers(s.regions, 100, 110)).toBe(true);
    expect(covers(s.regions, 340, 240)).toBe(true);
    expect(covers(regions, 340, 240)).toBe(true);
  });

  it('stays quiet on a clean photo re-encoded and downscaled like a messaging app does', async () => {
    const camera = await encodeJpeg(naturalImage(960, 720, 13, 2.5), 92);
    const app = new Uint8Array(await sharp(camera).resize(640).jpeg({ quality: 75 }).toBuffer());
    const { signals, regions, elaMap } = await run(app, undefined, true);
    expect(signals.map((s) => s.id).sort()).toEqual([
      'manipulation.copy_move',
      'manipulation.error_level',
      'manipulation.jpeg_recompression',
      'manipulation.noise_inconsistency',
    ]);
    for (const s of signals) expect(s.strength).toBeLessThanOrEqual(0.05);
    expect(regions.length).toBeLessThanOrEqual(1);
    expect(elaMap?.width).toBe(640);
  });

  it('reports regions in original pixels when it analyses a downscaled copy', async () => {
    const image = naturalImage(960, 720, 8, 3);
    pasteBlock(image, image, 120, 140, 600, 400, 160, 160);
    const bytes = await encodeJpeg(image, 90);
    const half = await decodeRgb(new Uint8Array(await sharp(bytes).resize(480).png().toBuffer()));
    const { signals, elaMap } = await run(bytes, half);
    expect(elaMap).toBeUndefined();
    expect(signals.some((x) => x.id === 'manipulation.error_level')).toBe(false);
    const s = signal(signals, 'manipulation.copy_move');
    expect(s.strength).toBeGreaterThan(0);
    expect(covers(s.regions, 680, 480)).toBe(true);
    expect(covers(s.regions, 200, 220)).toBe(true);
    const grid = signal(signals, 'manipulation.jpeg_recompression');
    expect(grid.strength).toBe(0);
  });
});
