import { describe, expect, it } from 'vitest';
import { analyseJpegGrid } from './jpeg-grid.js';
import { readJpegQuantInfo } from './jpeg-tables.js';
import { toGrey } from './raster-ops.js';
import { decodeRgb, encodeJpeg, naturalImage, pasteBlock } from './test-fixtures.js';

async function analyse(bytes: Uint8Array): Promise<ReturnType<typeof analyseJpegGrid>> {
  const info = readJpegQuantInfo(bytes);
  return analyseJpegGrid(toGrey(await decodeRgb(bytes)), info?.luma.values);
}

describe('analyseJpegGrid', () => {
  const base = naturalImage(512, 384, 7);

  it('finds the grid of a single save and no double quantisation', async () => {
    const grid = await analyse(await encodeJpeg(base, 85));
    expect(grid.phase).toEqual({ x: 0, y: 0 });
    expect(grid.blockiness).toBeGreaterThan(0.1);
    expect(grid.doubleQuantised).toBe(false);
    expect(grid.anomalies).toEqual([]);
  });

  it('detects aligned double quantisation and locates a patch that was saved only once', async () => {
    const once = await decodeRgb(await encodeJpeg(base, 60));
    const donor = naturalImage(512, 384, 99, 4);
    pasteBlock(donor, once, 64, 64, 256, 160, 128, 128);
    const grid = await analyse(await encodeJpeg(once, 90));
    expect(grid.doubleQuantised).toBe(true);
    expect(grid.anomalies.length).toBeGreaterThan(0);
    const box = grid.anomalies[0]!.box;
    const cx = ((box.x0 + box.x1 + 1) / 2) * grid.cell;
    const cy = ((box.y0 + box.y1 + 1) / 2) * grid.cell;
    expect(cx).toBeGreaterThan(256);
    expect(cx).toBeLessThan(384);
    expect(cy).toBeGreaterThan(160);
    expect(cy).toBeLessThan(288);
  });

  it('reports double quantisation without anomalies when the whole image was saved twice', async () => {
    const once = await decodeRgb(await encodeJpeg(base, 60));
    const grid = await analyse(await encodeJpeg(once, 90));
    expect(grid.doubleQuantised).toBe(true);
    expect(grid.anomalies).toEqual([]);
  });
});
