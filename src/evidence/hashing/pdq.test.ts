import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RasterImage } from '../model.js';
import { hammingDistance, hammingWeight, hashToHex } from './hamming.js';
import { lumaFromRaster, type LumaPlane } from './luma.js';
import {
  DIHEDRAL_TRANSFORMS,
  jaroszDownsample64,
  pdqDihedral,
  pdqDihedralFromHash,
  pdqHash,
  type DihedralTransform,
} from './pdq.js';
import {
  decodeRaw,
  seededRandom,
  sharpFrom,
  syntheticPhoto,
  toRaster,
} from './test-support/images.js';
import {
  PDQ_VECTOR_HASH,
  PDQ_VECTOR_PNG_BASE64,
  PDQ_VECTOR_QUALITY,
} from './test-support/pdq-vector.js';

const photo = syntheticPhoto(640, 480, 7);

async function transformed(edit: (s: sharp.Sharp) => sharp.Sharp): Promise<RasterImage> {
  return toRaster(edit(sharpFrom(photo)));
}

async function recompressed(quality: number): Promise<RasterImage> {
  const jpeg = await sharpFrom(photo).jpeg({ quality }).toBuffer();
  return toRaster(sharp(jpeg));
}

describe('pdqHash', () => {
  it('reproduces the published ThreatExchange test vector bit for bit', async () => {
    const pixels = await decodeRaw(Buffer.from(PDQ_VECTOR_PNG_BASE64, 'base64'));
    expect([pixels.width, pixels.height, pixels.channels]).toEqual([26, 28, 4]);
    const { hash, quality } = pdqHash(pixels);
    expect(hashToHex(hash)).toBe(PDQ_VECTOR_HASH);
    expect(quality).toBe(PDQ_VECTOR_QUALITY);
  });

  it('sets about half the bits, because each bit compares a coefficient with the median', () => {
    const weight = hammingWeight(pdqHash(photo).hash);
    expect(weight).toBeGreaterThanOrEqual(120);
    expect(weight).toBeLessThanOrEqual(128);
  });

  it('gives a grey image the same hash whether it arrives as one channel or three', () => {
    const grey = lumaFromRaster(photo);
    const one: RasterImage = {
      ...photo,
      channels: 1,
      data: Uint8Array.from(grey.data, Math.round),
    };
    const three: RasterImage = { ...photo, channels: 3, data: new Uint8Array(one.data.length * 3) };
    one.data.forEach((v, i) => three.data.fill(v, 3 * i, 3 * i + 3));
    expect(hashToHex(pdqHash(one).hash)).toBe(hashToHex(pdqHash(three).hash));
  });

  it('returns an all-zero hash of quality 0 for images under 5 pixels on a side, as the reference does', () => {
    const tiny = {
      width: 4,
      height: 40,
      channels: 3 as const,
      data: new Uint8Array(4 * 40 * 3).fill(90),
    };
    expect(pdqHash(tiny)).toEqual({ hash: new Uint8Array(32), quality: 0 });
  });

  it('scores a flat image at quality 0 and a detailed one at 100', () => {
    const flat = {
      width: 300,
      height: 200,
      channels: 3 as const,
      data: new Uint8Array(300 * 200 * 3).fill(128),
    };
    expect(pdqHash(flat).quality).toBe(0);
    expect(pdqHash(photo).quality).toBe(100);
  });

  it('stays within a few bits after resizing, JPEG recompression and a mild colour change', async () => {
    const original = pdqHash(photo).hash;
    const variants = {
      halved: await transformed((s) => s.resize(320)),
      enlarged: await transformed((s) => s.resize(1000)),
      jpeg70: await recompressed(70),
      jpeg40: await recompressed(40),
      colour: await transformed((s) => s.modulate({ brightness: 1.05, saturation: 1.2, hue: 8 })),
    };
    const distances = Object.fromEntries(
      Object.entries(variants).map(([name, image]) => [
        name,
        hammingDistance(original, pdqHash(image).hash),
      ]),
    );
    for (const distance of Object.values(distances))
      expect(distance, JSON.stringify(distances)).toBeLessThanOrEqual(20);
  });

  it('puts unrelated images about half the bits apart', () => {
    const hashes = Array.from(
      { length: 8 },
      (_, i) => pdqHash(syntheticPhoto(160, 120, 100 + i)).hash,
    );
    const distances: number[] = [];
    for (let a = 0; a < hashes.length; a++)
      for (let b = a + 1; b < hashes.length; b++)
        distances.push(hammingDistance(hashes[a]!, hashes[b]!));
    const mean = distances.reduce((s, d) => s + d, 0) / distances.length;
    expect(mean).toBeGreaterThan(110);
    expect(mean).toBeLessThan(146);
    expect(Math.min(...distances)).toBeGreaterThan(70);
  });

  it('averages large images down to 512 px first, moving the hash by only a few bits', () => {
    const large = syntheticPhoto(1100, 800, 11);
    const exact = pdqHash(large, { maxSide: Infinity }).hash;
    expect(hammingDistance(exact, pdqHash(large).hash)).toBeLessThanOrEqual(6);
  });
});

describe('pdqDihedral', () => {
  // sharp's rotate() turns clockwise; PDQ's rotate90 is a quarter turn counter-clockwise.
  const cases: [string, DihedralTransform, (s: sharp.Sharp) => sharp.Sharp][] = [
    ['turned a quarter clockwise', 'rotate270', (s) => s.rotate(90)],
    ['turned upside down', 'rotate180', (s) => s.rotate(180)],
    ['turned a quarter counter-clockwise', 'rotate90', (s) => s.rotate(270)],
    ['mirrored top to bottom', 'flipX', (s) => s.flip()],
    ['mirrored left to right', 'flipY', (s) => s.flop()],
    ['transposed', 'flipPlus1', (s) => s.rotate(90).flip()],
    ['anti-transposed', 'flipMinus1', (s) => s.rotate(90).flop()],
  ];
  let variants: Uint8Array[] = [];
  beforeAll(() => {
    variants = pdqDihedral(photo).hashes;
  });

  it('lists the original hash first, identical to pdqHash', () => {
    expect(variants).toHaveLength(8);
    expect(hashToHex(variants[0]!)).toBe(hashToHex(pdqHash(photo).hash));
  });

  it.each(cases)('matches an image %s with the %s variant', async (_name, expected, edit) => {
    const moved = pdqHash(await transformed(edit)).hash;
    const distances = variants.map((v) => hammingDistance(v, moved));
    const closest = distances.indexOf(Math.min(...distances));
    expect(DIHEDRAL_TRANSFORMS[closest]).toBe(expected);
    // Variants from the DCT are inexact, as in the reference (its even-sized tent windows and
    // cell-centre sampling are not mirror-symmetric; its own tests allow up to 40 bits).
    expect(distances[closest]).toBeLessThanOrEqual(24);
    expect(Math.min(...distances.filter((_, i) => i !== closest))).toBeGreaterThan(64);
  });

  it('estimates the variants from the hash alone to within a few bits', () => {
    const estimated = pdqDihedralFromHash(variants[0]!);
    estimated.forEach((hash, i) =>
      expect(hammingDistance(hash, variants[i]!)).toBeLessThanOrEqual(20),
    );
    expect(hashToHex(estimated[0]!)).toBe(hashToHex(variants[0]!));
  });
});

describe('jaroszDownsample64', () => {
  // The reference's scalar loops, one vector at a time, to check the interleaved filter against.
  function referenceDownsample(luma: LumaPlane): Float32Array {
    const f = Math.fround;
    const { width: cols, height: rows } = luma;
    const box = (
      input: Float32Array,
      output: Float32Array,
      offset: number,
      length: number,
      stride: number,
      window: number,
    ) => {
      const half = Math.trunc((window + 2) / 2);
      let [li, ri, oi, sum, size] = [offset, offset, offset, 0, 0];
      for (let i = 0; i < half - 1; i++, ri += stride, size++) sum = f(sum + input[ri]!);
      for (let i = 0; i < window - half + 1; i++, ri += stride, oi += stride) {
        sum = f(sum + input[ri]!);
        output[oi] = sum / ++size;
      }
      for (let i = 0; i < length - window; i++, li += stride, ri += stride, oi += stride) {
        sum = f(f(sum + input[ri]!) - input[li]!);
        output[oi] = sum / size;
      }
      for (let i = 0; i < half - 1; i++, li += stride, oi += stride) {
        sum = f(sum - input[li]!);
        output[oi] = sum / --size;
      }
    };
    const a = Float32Array.from(luma.data);
    const b = new Float32Array(a.length);
    const wRows = Math.trunc((cols + 127) / 128);
    const wCols = Math.trunc((rows + 127) / 128);
    for (let pass = 0; pass < 2; pass++) {
      for (let i = 0; i < rows; i++) box(a, b, i * cols, cols, 1, wRows);
      for (let j = 0; j < cols; j++) box(b, a, j, rows, cols, wCols);
    }
    const out = new Float32Array(4096);
    for (let i = 0; i < 64; i++)
      for (let j = 0; j < 64; j++)
        out[i * 64 + j] =
          a[Math.trunc(((i + 0.5) * rows) / 64) * cols + Math.trunc(((j + 0.5) * cols) / 64)]!;
    return out;
  }

  it('passes a 64×64 image through unfiltered, as the reference does for pre-scaled video frames', () => {
    const random = seededRandom(64);
    const luma = {
      width: 64,
      height: 64,
      data: Float32Array.from({ length: 4096 }, () => random() * 255),
    };
    expect(jaroszDownsample64(luma)).toEqual(luma.data);
  });

  it.each([
    [65, 64],
    [97, 301],
    [640, 480],
    [1023, 257],
  ])('gives the reference filter float32 results exactly on a %i×%i image', (width, height) => {
    const random = seededRandom(width * height);
    const luma = {
      width,
      height,
      data: Float32Array.from({ length: width * height }, () => random() * 255),
    };
    expect(jaroszDownsample64(luma)).toEqual(referenceDownsample(luma));
  });
});
