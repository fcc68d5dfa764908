import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { blockMeanHash, dHash256, dHash64 } from './dhash.js';
import { hammingDistance, hammingWeight } from './hamming.js';
import { resampleArea } from './luma.js';
import { sharpFrom, syntheticPhoto, toRaster } from './test-support/images.js';

const photo = syntheticPhoto(480, 360, 21);
const other = syntheticPhoto(480, 360, 22);

describe('dHash and block-mean hash', () => {
  it('give 64 and 256 bits', () => {
    expect(dHash64(photo)).toHaveLength(8);
    expect(dHash256(photo)).toHaveLength(32);
    expect(blockMeanHash(photo)).toHaveLength(32);
  });

  it('stay close after resizing and JPEG recompression', async () => {
    const jpeg = await sharpFrom(photo).resize(300).jpeg({ quality: 60 }).toBuffer();
    const copy = await toRaster(sharp(jpeg));
    expect(hammingDistance(dHash64(photo), dHash64(copy))).toBeLessThanOrEqual(6);
    expect(hammingDistance(dHash256(photo), dHash256(copy))).toBeLessThanOrEqual(24);
    expect(hammingDistance(blockMeanHash(photo), blockMeanHash(copy))).toBeLessThanOrEqual(16);
  });

  it('are far apart for unrelated images', () => {
    expect(hammingDistance(dHash64(photo), dHash64(other))).toBeGreaterThan(16);
    expect(hammingDistance(dHash256(photo), dHash256(other))).toBeGreaterThan(64);
    expect(hammingDistance(blockMeanHash(photo), blockMeanHash(other))).toBeGreaterThan(64);
  });

  it('split block means at their median, so about half the bits are set', () => {
    const weight = hammingWeight(blockMeanHash(photo));
    expect(weight).toBeGreaterThanOrEqual(120);
    expect(weight).toBeLessThanOrEqual(128);
  });

  it('refuse an empty image', () => {
    expect(() => dHash64({ width: 0, height: 0, channels: 3, data: new Uint8Array(0) })).toThrow(
      RangeError,
    );
  });
});

describe('resampleArea', () => {
  it('averages exactly the source area each output pixel covers', () => {
    const plane = { width: 4, height: 2, data: Float32Array.from([0, 4, 8, 12, 16, 20, 24, 28]) };
    expect(Array.from(resampleArea(plane, 2, 1).data)).toEqual([10, 18]);
    const third = resampleArea({ width: 3, height: 1, data: Float32Array.from([0, 3, 6]) }, 2, 1);
    expect(Array.from(third.data)).toEqual([1, 5]);
  });
});
