/**
 * Generated photo-like fixtures for hash tests: smooth light, coloured shapes
 * and sensor-like noise from a seeded generator, plus sharp round trips.
 */
import sharp from 'sharp';
import type { RasterImage } from '../../model.js';

/** A small deterministic PRNG (mulberry32) so fixtures are identical on every run. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** An RGB scene: a lit gradient, a dozen shapes (ellipses and boxes), fine texture and noise. */
export function syntheticPhoto(width: number, height: number, seed: number): RasterImage {
  const random = seededRandom(seed);
  const data = new Uint8Array(width * height * 3);
  const base = [random() * 200, random() * 200, random() * 200];
  const tilt = [random() - 0.5, random() - 0.5, random() - 0.5];
  const shapes = Array.from({ length: 12 }, () => ({
    cx: random() * width,
    cy: random() * height,
    rx: (0.05 + random() * 0.25) * width,
    ry: (0.05 + random() * 0.25) * height,
    isBox: random() < 0.4,
    colour: [random() * 255, random() * 255, random() * 255],
  }));
  const stripe = 6 + random() * 20;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const light = (x / width - 0.5) * tilt[0]! * 160 + (y / height - 0.5) * tilt[1]! * 160;
      let rgb = base.map((c) => c + light);
      for (const s of shapes) {
        const dx = (x - s.cx) / s.rx;
        const dy = (y - s.cy) / s.ry;
        const inside = s.isBox ? Math.abs(dx) < 1 && Math.abs(dy) < 1 : dx * dx + dy * dy < 1;
        if (inside) rgb = s.colour.map((c) => c * (0.8 + 0.2 * Math.sin((x + y) / stripe)));
      }
      const p = (y * width + x) * 3;
      for (let c = 0; c < 3; c++)
        data[p + c] = Math.max(0, Math.min(255, Math.round(rgb[c]! + (random() - 0.5) * 12)));
    }
  }
  return { width, height, channels: 3, data };
}

/** Raw pixels as a sharp pipeline input. */
export function sharpFrom(image: RasterImage): sharp.Sharp {
  return sharp(image.data, {
    raw: { width: image.width, height: image.height, channels: image.channels },
  });
}

/** Runs a sharp pipeline to the end and returns its RGB pixels. */
export async function toRaster(pipeline: sharp.Sharp): Promise<RasterImage> {
  const { data, info } = await pipeline
    .removeAlpha()
    .toColourspace('srgb')
    .raw()
    .toBuffer({ resolveWithObject: true });
  return {
    width: info.width,
    height: info.height,
    channels: info.channels as 1 | 3 | 4,
    data: new Uint8Array(data.buffer, data.byteOffset, data.length),
  };
}

/** Decodes encoded image bytes without colour management, as the PDQ reference reads pixels. */
export async function decodeRaw(bytes: Uint8Array): Promise<RasterImage> {
  const { data, info } = await sharp(bytes, { ignoreIcc: true })
    .raw()
    .toBuffer({ resolveWithObject: true });
  return {
    width: info.width,
    height: info.height,
    channels: info.channels as 1 | 3 | 4,
    data: new Uint8Array(data.buffer, data.byteOffset, data.length),
  };
}
