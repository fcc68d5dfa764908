import { describe, expect, it } from 'vitest';
import { dctLow } from './block-dct.js';
import { boxMean, connectedComponents, downscaleGrey, median } from './raster-ops.js';

describe('boxMean', () => {
  it('equals the plain windowed mean, borders included', () => {
    const w = 37;
    const h = 23;
    const data = Float32Array.from({ length: w * h }, (_, i) => (i * 7919) % 255);
    for (const r of [1, 2, 4]) {
      const fast = boxMean(data, w, h, r);
      for (let y = 0; y < h; y++)
        for (let x = 0; x < w; x++) {
          let s = 0;
          let n = 0;
          for (let yy = Math.max(0, y - r); yy <= Math.min(h - 1, y + r); yy++)
            for (let xx = Math.max(0, x - r); xx <= Math.min(w - 1, x + r); xx++) {
              s += data[yy * w + xx]!;
              n++;
            }
          expect(fast[y * w + x]).toBeCloseTo(s / n, 3);
        }
    }
  });
});

describe('connectedComponents', () => {
  it('labels 4-connected blobs with their boxes and areas', () => {
    // prettier-ignore
    const mask = Uint8Array.from([
      1, 1, 0, 0, 0,
      0, 1, 0, 1, 1,
      0, 0, 0, 0, 1,
      1, 0, 0, 0, 0,
    ]);
    const { components } = connectedComponents(mask, 5, 4);
    expect(components).toEqual([
      { x0: 0, y0: 0, x1: 1, y1: 1, area: 3 },
      { x0: 3, y0: 1, x1: 4, y1: 2, area: 3 },
      { x0: 0, y0: 3, x1: 0, y1: 3, area: 1 },
    ]);
  });
});

describe('downscaleGrey and median', () => {
  it('averages whole cells and drops the ragged edge', () => {
    const img = {
      width: 5,
      height: 3,
      data: Float32Array.from([1, 3, 5, 7, 9, 1, 3, 5, 7, 9, 0, 0, 0, 0, 0]),
    };
    expect(Array.from(downscaleGrey(img, 2).data)).toEqual([2, 6]);
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });
});

describe('dctLow', () => {
  it('matches the JPEG DCT formula on the low frequencies', () => {
    const block = Float32Array.from(
      { length: 64 },
      (_, i) => 128 + 50 * Math.sin(i * 1.7) + (i % 8) * 3,
    );
    const out = new Float64Array(64);
    dctLow(block, 0, 8, out, new Float64Array(40));
    for (let v = 0; v <= 4; v++)
      for (let u = 0; u <= 4 - v; u++) {
        let s = 0;
        for (let y = 0; y < 8; y++)
          for (let x = 0; x < 8; x++)
            s +=
              (block[y * 8 + x]! - 128) *
              Math.cos(((2 * x + 1) * u * Math.PI) / 16) *
              Math.cos(((2 * y + 1) * v * Math.PI) / 16);
        const cu = u === 0 ? Math.SQRT1_2 : 1;
        const cv = v === 0 ? Math.SQRT1_2 : 1;
        expect(out[v * 8 + u]).toBeCloseTo((cu * cv * s) / 4, 6);
      }
  });
});
