import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import type { RasterImage } from '../model.js';
import { readContainers } from './read-metadata.js';
import {
  exifSegment,
  phoneExif,
  plainJpeg,
  testPixels,
  withSegments,
} from './test-support/builders.js';
import { orient, thumbnailSignal } from './thumbnail.js';

const W = 320;
const H = 240;

async function thumbOf(
  pixels: Uint8Array,
  width: number,
  height: number,
  tw = 160,
  th = 120,
): Promise<Uint8Array> {
  return new Uint8Array(
    await sharp(pixels, { raw: { width, height, channels: 3 } })
      .resize(tw, th, { fit: 'fill' })
      .jpeg({ quality: 75 })
      .toBuffer(),
  );
}

function raster(pixels: Uint8Array, width = W, height = H): RasterImage {
  return { width, height, channels: 3, data: pixels };
}

async function claim(thumbnail: Uint8Array, mainPixels: Uint8Array, orientation = 1) {
  const jpeg = withSegments(await plainJpeg(W, H, mainPixels), [
    exifSegment(phoneExif({ width: W, height: H, thumbnail, orientation })),
  ]);
  return readContainers(jpeg, 'jpeg');
}

describe('EXIF thumbnail against the main image', () => {
  it('stays silent when the thumbnail matches the image', async () => {
    const pixels = testPixels(W, H);
    expect(
      await thumbnailSignal(await claim(await thumbOf(pixels, W, H), pixels), raster(pixels)),
    ).toBeUndefined();
  });

  it('flags a thumbnail that shows different content', async () => {
    const original = testPixels(W, H, { x: 0.05, y: 0.05, size: 0.4 });
    const shown = new Uint8Array(
      testPixels(W, H, { x: 0.6, y: 0.5, size: 0.4 }).map((v, i) => (i % 3 === 0 ? 255 - v : v)),
    );
    const signal = await thumbnailSignal(
      await claim(await thumbOf(original, W, H), shown),
      raster(shown),
    );
    expect(signal).toMatchObject({
      id: 'provenance.thumbnail_mismatch',
      strength: 0.6,
      details: { kind: 'content' },
    });
    expect(signal?.reason.en).toMatch(/correlation/);
  });

  it('localises an area that changed after the thumbnail was written', async () => {
    const before = testPixels(W, H);
    const after = new Uint8Array(before);
    for (let y = 160; y < 220; y++)
      for (let x = 220; x < 300; x++) after.set([20, 10, 5], (y * W + x) * 3);
    const signal = await thumbnailSignal(
      await claim(await thumbOf(before, W, H), after),
      raster(after),
    );
    expect(signal).toMatchObject({ details: { kind: 'local' }, strength: 0.5 });
    const region = signal?.regions?.[0];
    expect(region).toBeDefined();
    expect(region!.x).toBeLessThanOrEqual(220);
    expect(region!.x + region!.w).toBeGreaterThanOrEqual(280);
    expect(region!.y).toBeLessThanOrEqual(170);
  });

  it('reports a thumbnail whose aspect ratio differs (the image was cropped), without pixels', async () => {
    const pixels = testPixels(W, H);
    const signal = await thumbnailSignal(
      await claim(await thumbOf(pixels, W, H, 120, 120), pixels),
    );
    expect(signal).toMatchObject({ strength: 0.3, details: { kind: 'aspect' } });
  });

  it('ignores the black bars of a letterboxed 160×120 thumbnail', async () => {
    const pixels = testPixels(W, 180);
    const inner = await sharp(pixels, { raw: { width: W, height: 180, channels: 3 } })
      .resize(160, 90)
      .png()
      .toBuffer();
    const boxed = new Uint8Array(
      await sharp(inner).extend({ top: 15, bottom: 15, background: '#000' }).jpeg().toBuffer(),
    );
    const jpeg = withSegments(await plainJpeg(W, 180, pixels), [
      exifSegment(phoneExif({ width: W, height: 180, thumbnail: boxed })),
    ]);
    expect(
      await thumbnailSignal(readContainers(jpeg, 'jpeg'), raster(pixels, W, 180)),
    ).toBeUndefined();
  });

  it('applies the EXIF orientation to the stored thumbnail before comparing', async () => {
    const stored = testPixels(W, H);
    // The oriented main image of orientation 6 is the stored image turned 90° clockwise.
    const { data } = await sharp(stored, { raw: { width: W, height: H, channels: 3 } })
      .rotate(90)
      .raw()
      .toBuffer({ resolveWithObject: true });
    const signal = await thumbnailSignal(
      await claim(await thumbOf(stored, W, H), stored, 6),
      raster(new Uint8Array(data), H, W),
    );
    expect(signal).toBeUndefined();
  });

  it('rotates grids the way EXIF orientations say', () => {
    const g = { width: 3, height: 2, data: Float32Array.from([1, 2, 3, 4, 5, 6]) };
    expect(Array.from(orient(g, 6).data)).toEqual([4, 1, 5, 2, 6, 3]);
    expect(Array.from(orient(g, 8).data)).toEqual([3, 6, 2, 5, 1, 4]);
    expect(Array.from(orient(g, 3).data)).toEqual([6, 5, 4, 3, 2, 1]);
  });

  it('ignores a thumbnail that does not decode', async () => {
    const broken = Uint8Array.from([0xff, 0xd8, 0xff, 0xdb, 0, 4, 1, 2, 0xff, 0xd9]);
    const pixels = testPixels(W, H);
    expect(await thumbnailSignal(await claim(broken, pixels), raster(pixels))).toBeUndefined();
  });
});
