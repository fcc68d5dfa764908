/**
 * Generated images for the forensics tests: deterministic, photo-like
 * content (multi-scale texture, shapes, sensor-like noise) built from raw
 * pixels, so tests need no image files.
 */
import sharp from 'sharp';
import type { RasterImage } from '../model.js';

/** A small deterministic PRNG (mulberry32) returning floats in [0, 1). */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Standard normal sample from a uniform source (Box–Muller). */
export function gaussian(rand: () => number): number {
  const u = Math.max(1e-12, rand());
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rand());
}

function valueNoise(width: number, height: number, cell: number, rand: () => number): Float32Array {
  const gw = Math.ceil(width / cell) + 2;
  const gh = Math.ceil(height / cell) + 2;
  const grid = new Float32Array(gw * gh);
  for (let i = 0; i < grid.length; i++) grid[i] = rand() * 2 - 1;
  const out = new Float32Array(width * height);
  for (let y = 0; y < height; y++) {
    const gy = y / cell;
    const y0 = Math.floor(gy);
    const fy = gy - y0;
    const sy = fy * fy * (3 - 2 * fy);
    for (let x = 0; x < width; x++) {
      const gx = x / cell;
      const x0 = Math.floor(gx);
      const fx = gx - x0;
      const sx = fx * fx * (3 - 2 * fx);
      const a = grid[y0 * gw + x0]!;
      const b = grid[y0 * gw + x0 + 1]!;
      const c = grid[(y0 + 1) * gw + x0]!;
      const d = grid[(y0 + 1) * gw + x0 + 1]!;
      out[y * width + x] = (a * (1 - sx) + b * sx) * (1 - sy) + (c * (1 - sx) + d * sx) * sy;
    }
  }
  return out;
}

/** A photo-like RGB image: smooth shading, textured areas, a few solid shapes and sensor noise of `noise` grey levels. */
export function naturalImage(width: number, height: number, seed: number, noise = 2): RasterImage {
  const rand = prng(seed);
  const layers = [96, 40, 16, 6, 3].map((cell) => valueNoise(width, height, cell, rand));
  const weights = [60, 30, 14, 8, 5];
  const data = new Uint8Array(width * height * 3);
  const tint = [0.9 + rand() * 0.3, 0.85 + rand() * 0.2, 0.7 + rand() * 0.3];
  const shapes = Array.from({ length: 6 }, () => ({
    cx: rand() * width,
    cy: rand() * height,
    r: (0.05 + rand() * 0.12) * Math.min(width, height),
    shade: rand() * 80 - 40,
  }));
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      let v = 120 + (y / height) * 30;
      for (let l = 0; l < layers.length; l++) v += weights[l]! * layers[l]![i]!;
      for (const s of shapes) if ((x - s.cx) ** 2 + (y - s.cy) ** 2 < s.r * s.r) v += s.shade;
      for (let c = 0; c < 3; c++) {
        const chroma = 12 * layers[1]![i]! * (c - 1);
        data[i * 3 + c] = clampByte(v * tint[c]! + chroma + noise * gaussian(rand));
      }
    }
  return { width, height, channels: 3, data };
}

/** Rounds and clamps to 0–255. */
export function clampByte(v: number): number {
  return v < 0 ? 0 : v > 255 ? 255 : Math.round(v);
}

/** Encodes RGB pixels as a baseline JPEG with standard tables. */
export async function encodeJpeg(image: RasterImage, quality: number): Promise<Uint8Array> {
  const buf = await sharp(image.data, {
    raw: { width: image.width, height: image.height, channels: image.channels },
  })
    .jpeg({ quality, chromaSubsampling: '4:2:0' })
    .toBuffer();
  return new Uint8Array(buf);
}

/** Decodes any image sharp reads into RGB pixels. */
export async function decodeRgb(bytes: Uint8Array): Promise<RasterImage> {
  const { data, info } = await sharp(bytes)
    .removeAlpha()
    .toColourspace('srgb')
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { width: info.width, height: info.height, channels: 3, data: new Uint8Array(data) };
}

/** Copies a `w`×`h` block from (sx, sy) of `src` to (dx, dy) of `dst` (both RGB), in place. */
export function pasteBlock(
  src: RasterImage,
  dst: RasterImage,
  sx: number,
  sy: number,
  dx: number,
  dy: number,
  w: number,
  h: number,
): void {
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++)
      for (let c = 0; c < 3; c++)
        dst.data[((dy + y) * dst.width + dx + x) * 3 + c] =
          src.data[((sy + y) * src.width + sx + x) * 3 + c]!;
}

/** Crops an RGB image. */
export function cropRgb(
  src: RasterImage,
  x0: number,
  y0: number,
  w: number,
  h: number,
): RasterImage {
  const data = new Uint8Array(w * h * 3);
  for (let y = 0; y < h; y++)
    data.set(
      src.data.subarray(((y0 + y) * src.width + x0) * 3, ((y0 + y) * src.width + x0 + w) * 3),
      y * w * 3,
    );
  return { width: w, height: h, channels: 3, data };
}
