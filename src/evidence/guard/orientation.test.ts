import { describe, expect, it } from 'vitest';
import {
  composeOrientations,
  normalizeOrientation,
  orientationOfHeifTransforms,
  swapsAxes,
} from './orientation.js';

describe('orientation algebra', () => {
  it('composes quarter turns and mirrors like the EXIF definitions', () => {
    expect(composeOrientations(6, 6)).toBe(3); // 90° + 90° clockwise = 180°
    expect(composeOrientations(6, 8)).toBe(1); // clockwise then anticlockwise
    expect(composeOrientations(6, 2)).toBe(5); // rotate 90° cw, then mirror left-right = transpose
    expect(composeOrientations(6, 4)).toBe(7); // rotate 90° cw, then mirror top-bottom = transverse
    expect(composeOrientations(2, 2)).toBe(1);
    expect(composeOrientations(2, 4)).toBe(3);
    for (let o = 1; o <= 8; o++) expect(composeOrientations(1, o)).toBe(o);
  });

  it('turns HEIF irot/imir sequences into the EXIF value they amount to, in file order', () => {
    const irot = (quarterTurnsAnticlockwise: number) => ({
      kind: 'irot' as const,
      quarterTurnsAnticlockwise,
    });
    const imir = (axis: number) => ({ kind: 'imir' as const, axis });
    expect(orientationOfHeifTransforms([])).toBe(1);
    expect(orientationOfHeifTransforms([irot(1)])).toBe(8);
    expect(orientationOfHeifTransforms([irot(2)])).toBe(3);
    expect(orientationOfHeifTransforms([irot(3)])).toBe(6);
    expect(orientationOfHeifTransforms([imir(1)])).toBe(2);
    expect(orientationOfHeifTransforms([imir(0)])).toBe(4);
    // What libheif writes for EXIF 5 and 7: a clockwise quarter turn, then a mirror.
    expect(orientationOfHeifTransforms([irot(3), imir(1)])).toBe(5);
    expect(orientationOfHeifTransforms([irot(3), imir(0)])).toBe(7);
    // Order matters: mirroring first gives the other diagonal.
    expect(orientationOfHeifTransforms([imir(1), irot(3)])).toBe(7);
  });

  it('knows which orientations swap width and height, and treats junk values as upright', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8].map(swapsAxes)).toEqual([
      false,
      false,
      false,
      false,
      true,
      true,
      true,
      true,
    ]);
    expect([0, 9, -1, 2.5, '6', undefined].map(normalizeOrientation)).toEqual([1, 1, 1, 1, 1, 1]);
    expect(normalizeOrientation(6)).toBe(6);
  });
});
