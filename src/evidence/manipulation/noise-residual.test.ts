import { describe, expect, it } from 'vitest';
import { analyseNoise } from './noise-residual.js';
import { toGrey } from './raster-ops.js';
import { clampByte, gaussian, naturalImage, prng } from './test-fixtures.js';

function addNoise(
  image: ReturnType<typeof naturalImage>,
  x0: number,
  y0: number,
  size: number,
  sigma: number,
): void {
  const rand = prng(11);
  for (let y = y0; y < y0 + size; y++)
    for (let x = x0; x < x0 + size; x++) {
      const n = sigma * gaussian(rand);
      for (let c = 0; c < 3; c++) {
        const i = (y * image.width + x) * 3 + c;
        image.data[i] = clampByte(image.data[i]! + n);
      }
    }
}

describe('analyseNoise', () => {
  it('finds a patch much noisier than the rest of the photo', () => {
    const image = naturalImage(512, 384, 5, 2);
    addNoise(image, 300, 120, 96, 14);
    const finding = analyseNoise(toGrey(image));
    const noisy = finding.anomalies.find((a) => a.ratio > 1);
    expect(noisy).toBeDefined();
    const box = noisy!.box;
    expect(box.x0 * finding.cell).toBeGreaterThanOrEqual(300 - finding.cell);
    expect((box.x1 + 1) * finding.cell).toBeLessThanOrEqual(396 + finding.cell);
    expect(box.y0 * finding.cell).toBeGreaterThanOrEqual(120 - finding.cell);
    expect(Math.abs(noisy!.z)).toBeGreaterThan(11);
  });

  it('finds no outlier in a photo with even noise', () => {
    const finding = analyseNoise(toGrey(naturalImage(512, 384, 6, 2)));
    expect(finding.anomalies.filter((a) => Math.abs(a.z) > 11)).toEqual([]);
    expect(finding.validCells).toBeGreaterThan(100);
  });
});
