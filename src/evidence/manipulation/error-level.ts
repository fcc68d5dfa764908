/**
 * Error-level analysis (ELA): save the image again as JPEG at a known
 * quality and look at how much each pixel changes. Areas that were
 * compressed differently from the rest (pasted, repainted) often stand out,
 * but so do edges and texture, which is why the map is for a reviewer's
 * eyes and the number drawn from it is only a weak hint.
 */
import sharp from 'sharp';
import { EvidenceError } from '../errors.js';
import type { RasterImage } from '../model.js';
import { connectedComponents, median, type Component } from './raster-ops.js';

/** How the error-level map is made. */
export interface ErrorLevelOptions {
  /** JPEG quality of the resave (default 90). */
  quality?: number;
  /** Multiplier applied to the absolute difference (default 12). */
  gain?: number;
  /** Longest side of the returned map; larger inputs are averaged down (default 1024). */
  maxSide?: number;
}

/**
 * The amplified absolute difference between an image and its JPEG resave,
 * as RGB; from bytes the whole file is decoded at full resolution (EXIF
 * orientation applied) so the resave lands on the file's own 8×8 grid.
 */
export async function errorLevelMap(
  input: Uint8Array | RasterImage,
  options: ErrorLevelOptions = {},
): Promise<RasterImage> {
  const quality = options.quality ?? 90;
  const gain = options.gain ?? 12;
  const maxSide = options.maxSide ?? 1024;
  const original = input instanceof Uint8Array ? await decodeOriented(input) : toRgb(input);
  const jpeg = await sharp(original.data, { raw: rawInfo(original) })
    // Huffman optimisation changes no pixel and triples the encoding time.
    .jpeg({ quality, chromaSubsampling: '4:2:0', optimiseCoding: false })
    .toBuffer();
  const resaved = await sharp(jpeg).raw().toBuffer();
  const diff = new Uint8Array(original.data.length);
  for (let i = 0; i < diff.length; i++) {
    const d = Math.abs(original.data[i]! - resaved[i]!) * gain;
    diff[i] = d > 255 ? 255 : d;
  }
  const map: RasterImage = { ...original, data: diff };
  if (Math.max(map.width, map.height) <= maxSide) return map;
  const { data, info } = await sharp(diff, { raw: rawInfo(map) })
    .resize(maxSide, maxSide, { fit: 'inside', kernel: 'cubic' })
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { width: info.width, height: info.height, channels: 3, data: new Uint8Array(data) };
}

/** A compact area whose error level is out of line with its texture, in cells of `cell` pixels. */
export interface ErrorLevelAnomaly {
  box: Component;
  z: number;
}

/**
 * Per cell, error level relative to local texture (the resave error grows
 * with detail), and the compact groups of cells that are robust outliers.
 */
export function errorLevelAnomalies(
  map: RasterImage,
  grey: Float32Array,
): { cell: number; anomalies: ErrorLevelAnomaly[] } {
  const { width, height, channels } = map;
  const cell = Math.max(16, Math.floor(Math.max(width, height) / 32));
  const cw = Math.floor(width / cell);
  const ch = Math.floor(height / cell);
  if (cw < 4 || ch < 4) return { cell, anomalies: [] };
  const err = new Float64Array(cw * ch);
  const tex = new Float64Array(cw * ch);
  // Every other pixel in each direction: cell statistics need no more.
  for (let y = 1; y < ch * cell; y += 2)
    for (let x = 1; x < cw * cell; x += 2) {
      const i = y * width + x;
      const c = ((y / cell) | 0) * cw + ((x / cell) | 0);
      let e = 0;
      for (let k = 0; k < channels; k++) e += map.data[i * channels + k]!;
      err[c] = err[c]! + e / channels;
      tex[c] = tex[c]! + Math.abs(grey[i]! - grey[i - 1]!) + Math.abs(grey[i]! - grey[i - width]!);
    }
  const ratio = new Float64Array(cw * ch);
  for (let c = 0; c < ratio.length; c++)
    ratio[c] = Math.log((err[c]! + cell / 4) / (tex[c]! + cell / 4));
  const centre = median(ratio);
  const spread = Math.max(0.15, 1.4826 * median(Array.from(ratio, (v) => Math.abs(v - centre))));
  const mask = new Uint8Array(cw * ch);
  for (let c = 0; c < mask.length; c++) mask[c] = Math.abs(ratio[c]! - centre) / spread > 4 ? 1 : 0;
  const anomalies = connectedComponents(mask, cw, ch)
    .components.filter((b) => b.area >= 2 && b.area <= (cw * ch) / 4)
    .map((box) => {
      let z = 0;
      for (let y = box.y0; y <= box.y1; y++)
        for (let x = box.x0; x <= box.x1; x++)
          if (mask[y * cw + x] === 1) z += (ratio[y * cw + x]! - centre) / spread;
      return { box, z: Math.round((z / box.area) * 100) / 100 };
    });
  return { cell, anomalies };
}

async function decodeOriented(bytes: Uint8Array): Promise<RasterImage> {
  try {
    const { data, info } = await sharp(bytes, { limitInputPixels: 100_000_000 })
      .rotate()
      .removeAlpha()
      .toColourspace('srgb')
      .raw()
      .toBuffer({ resolveWithObject: true });
    return { width: info.width, height: info.height, channels: 3, data: new Uint8Array(data) };
  } catch (cause) {
    throw new EvidenceError('EVIDENCE_CORRUPT', 'invalid', 'the image could not be decoded', {
      reason: cause instanceof Error ? cause.message : String(cause),
    });
  }
}

function toRgb(image: RasterImage): RasterImage {
  if (image.channels === 3) return image;
  const data = new Uint8Array(image.width * image.height * 3);
  for (let i = 0, j = 0; i < image.width * image.height; i++, j += image.channels) {
    const g = image.data[j]!;
    data[i * 3] = g;
    data[i * 3 + 1] = image.channels === 1 ? g : image.data[j + 1]!;
    data[i * 3 + 2] = image.channels === 1 ? g : image.data[j + 2]!;
  }
  return { width: image.width, height: image.height, channels: 3, data };
}

function rawInfo(image: RasterImage): { width: number; height: number; channels: 3 } {
  return { width: image.width, height: image.height, channels: 3 };
}
