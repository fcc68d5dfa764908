/**
 * The EXIF thumbnail (IFD1) is written by the camera and rarely refreshed
 * by editors, so it can still show the picture before it was edited or
 * replaced. We compare it with the main image at thumbnail resolution.
 */
import sharp from 'sharp';
import type { RasterImage, Region, Signal } from '../model.js';
import type { MetadataBundle } from './model.js';
import { STRENGTH, provenanceSignal } from './signal-kit.js';

const GRID = 32;
const MAX_THUMB_PIXELS = 4_000_000;

interface Gray {
  width: number;
  height: number;
  data: Float32Array;
}

/** Compares the EXIF thumbnail with the main image (`claimPixels`, oriented); undefined when there is nothing to say. */
export async function thumbnailSignal(
  bundle: MetadataBundle,
  claimPixels?: RasterImage,
): Promise<Signal | undefined> {
  if (!bundle.thumbnail) return undefined;
  const decoded = await decodeGray(bundle.thumbnail);
  if (!decoded) return undefined;
  const orientation = bundle.exif?.fields.orientation ?? 1;
  const oriented = orient(decoded, orientation);
  const thumb = trimLetterbox(oriented);
  const main = claimPixels
    ? { width: claimPixels.width, height: claimPixels.height }
    : displaySize(bundle, orientation);
  if (!main) return undefined;
  const thumbAspect = thumb.width / thumb.height;
  const mainAspect = main.width / main.height;
  const aspectGap = Math.abs(Math.log(thumbAspect / mainAspect));
  const details: Record<string, unknown> = {
    thumbnail: { width: decoded.width, height: decoded.height },
    thumbnailAspect: round(thumbAspect),
    imageAspect: round(mainAspect),
  };
  if (aspectGap > 0.08) {
    return provenanceSignal(
      'thumbnail_mismatch',
      STRENGTH.weakMedium,
      `EXIF 缩略图的宽高比（${round(thumbAspect)}）与主图（${round(mainAspect)}）不同：照片在拍摄后被裁剪或替换，缩略图仍是原样。`,
      `The EXIF thumbnail's aspect ratio (${round(thumbAspect)}) differs from the image's (${round(mainAspect)}): the photo was cropped or replaced after capture while the thumbnail stayed.`,
      { ...details, kind: 'aspect' },
    );
  }
  if (!claimPixels) return undefined;
  const mainGray = downscaleGray(claimPixels, thumb.width, thumb.height);
  const correlation = pearson(resample(thumb, GRID, GRID), resample(mainGray, GRID, GRID));
  details.correlation = round(correlation);
  if (correlation < 0.6) {
    return provenanceSignal(
      'thumbnail_mismatch',
      STRENGTH.mediumStrong,
      `EXIF 缩略图与主图内容不同（相关系数 ${round(correlation)}）：缩略图可能是编辑或替换之前的原图。`,
      `The EXIF thumbnail shows different content from the image (correlation ${round(correlation)}): it may be the picture before it was edited or replaced.`,
      { ...details, kind: 'content' },
    );
  }
  const regions = changedRegions(thumb, mainGray, claimPixels.width, claimPixels.height);
  if (regions.length === 0) return undefined;
  const signal = provenanceSignal(
    'thumbnail_mismatch',
    STRENGTH.medium,
    `EXIF 缩略图与主图整体一致，但有 ${regions.length} 处局部不同：这些位置在拍摄后被修改过，缩略图保留了修改前的样子。`,
    `The EXIF thumbnail matches the image overall but differs in ${regions.length} area(s): those areas changed after capture, and the thumbnail still shows them before the change.`,
    { ...details, kind: 'local', regionCount: regions.length },
  );
  signal.regions = regions;
  return signal;
}

async function decodeGray(jpeg: Uint8Array): Promise<Gray | undefined> {
  try {
    const { data, info } = await sharp(jpeg, {
      limitInputPixels: MAX_THUMB_PIXELS,
      failOn: 'truncated',
    })
      .greyscale()
      .raw()
      .toBuffer({ resolveWithObject: true });
    return toGray(data, info.width, info.height, info.channels);
  } catch {
    return undefined; // a thumbnail that does not decode says nothing either way
  }
}

/**
 * Approximate area average of the claim's luma onto the thumbnail grid from
 * 4×4 samples per cell: a 12 MP image costs a few milliseconds, not a resize.
 */
function downscaleGray(pixels: RasterImage, width: number, height: number): Gray {
  const { width: sw, height: sh, channels, data } = pixels;
  const samples = (size: number, source: number): Int32Array => {
    const per = Math.max(1, Math.min(4, Math.floor(source / size)));
    const out = new Int32Array(size * per);
    for (let o = 0; o < size; o++) {
      for (let j = 0; j < per; j++)
        out[o * per + j] = Math.min(
          source - 1,
          Math.floor(((o + (j + 0.5) / per) * source) / size),
        );
    }
    return out;
  };
  const xs = samples(width, sw);
  const ys = samples(height, sh);
  const nx = xs.length / width;
  const ny = ys.length / height;
  const red = channels >= 3 ? 0.299 : 1;
  const green = channels >= 3 ? 0.587 : 0;
  const blue = channels >= 3 ? 0.114 : 0;
  const g = channels >= 3 ? 1 : 0;
  const b = channels >= 3 ? 2 : 0;
  const out = new Float32Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let sum = 0;
      for (let j = 0; j < ny; j++) {
        const row = (ys[y * ny + j] ?? 0) * sw;
        for (let i = 0; i < nx; i++) {
          const k = (row + (xs[x * nx + i] ?? 0)) * channels;
          sum += red * (data[k] ?? 0) + green * (data[k + g] ?? 0) + blue * (data[k + b] ?? 0);
        }
      }
      out[y * width + x] = sum / (nx * ny);
    }
  }
  return { width, height, data: out };
}

function toGray(data: Uint8Array, width: number, height: number, channels: number): Gray {
  const out = new Float32Array(width * height);
  for (let i = 0; i < out.length; i++) out[i] = data[i * channels] ?? 0;
  return { width, height, data: out };
}

function displaySize(
  bundle: MetadataBundle,
  orientation: number,
): { width: number; height: number } | undefined {
  const image = bundle.image;
  if (!image || image.width === 0 || image.height === 0) return undefined;
  return orientation >= 5 ? { width: image.height, height: image.width } : image;
}

/** Applies EXIF orientation: the thumbnail is stored like the main image, before rotation. */
export function orient(src: Gray, orientation: number): Gray {
  if (orientation < 2 || orientation > 8) return src;
  const { width: w, height: h } = src;
  const swap = orientation >= 5;
  const ow = swap ? h : w;
  const oh = swap ? w : h;
  const out = new Float32Array(ow * oh);
  for (let y = 0; y < oh; y++) {
    for (let x = 0; x < ow; x++) {
      let sx = x;
      let sy = y;
      switch (orientation) {
        case 2:
          sx = w - 1 - x;
          break;
        case 3:
          sx = w - 1 - x;
          sy = h - 1 - y;
          break;
        case 4:
          sy = h - 1 - y;
          break;
        case 5:
          sx = y;
          sy = x;
          break;
        case 6:
          sx = y;
          sy = h - 1 - x;
          break;
        case 7:
          sx = w - 1 - y;
          sy = h - 1 - x;
          break;
        case 8:
          sx = w - 1 - y;
          sy = x;
          break;
      }
      out[y * ow + x] = src.data[sy * w + sx] ?? 0;
    }
  }
  return { width: ow, height: oh, data: out };
}

/** Cameras pad a thumbnail to 160×120 with black bars when the aspect differs; drop them. */
function trimLetterbox(g: Gray): Gray {
  const isBar = (values: number[]): boolean => {
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    return mean < 16 && values.every((v) => Math.abs(v - mean) < 10);
  };
  const row = (y: number): number[] => Array.from(g.data.subarray(y * g.width, (y + 1) * g.width));
  const col = (x: number): number[] =>
    Array.from({ length: g.height }, (_, y) => g.data[y * g.width + x] ?? 0);
  let top = 0;
  let bottom = g.height;
  let left = 0;
  let right = g.width;
  while (top < bottom - 8 && isBar(row(top))) top++;
  while (bottom - 1 > top + 8 && isBar(row(bottom - 1))) bottom--;
  while (left < right - 8 && isBar(col(left))) left++;
  while (right - 1 > left + 8 && isBar(col(right - 1))) right--;
  if (top === 0 && left === 0 && bottom === g.height && right === g.width) return g;
  const width = right - left;
  const height = bottom - top;
  const data = new Float32Array(width * height);
  for (let y = 0; y < height; y++)
    data.set(g.data.subarray((y + top) * g.width + left, (y + top) * g.width + right), y * width);
  return { width, height, data };
}

/** Area-average resampling to a small grid. */
function resample(g: Gray, width: number, height: number): Float32Array {
  const out = new Float32Array(width * height);
  for (let y = 0; y < height; y++) {
    const y0 = Math.floor((y * g.height) / height);
    const y1 = Math.max(y0 + 1, Math.floor(((y + 1) * g.height) / height));
    for (let x = 0; x < width; x++) {
      const x0 = Math.floor((x * g.width) / width);
      const x1 = Math.max(x0 + 1, Math.floor(((x + 1) * g.width) / width));
      let sum = 0;
      for (let yy = y0; yy < y1; yy++)
        for (let xx = x0; xx < x1; xx++) sum += g.data[yy * g.width + xx] ?? 0;
      out[y * width + x] = sum / ((y1 - y0) * (x1 - x0));
    }
  }
  return out;
}

function pearson(a: Float32Array, b: Float32Array): number {
  const n = a.length;
  let ma = 0;
  let mb = 0;
  for (let i = 0; i < n; i++) {
    ma += a[i] ?? 0;
    mb += b[i] ?? 0;
  }
  ma /= n;
  mb /= n;
  let cov = 0;
  let va = 0;
  let vb = 0;
  for (let i = 0; i < n; i++) {
    const da = (a[i] ?? 0) - ma;
    const db = (b[i] ?? 0) - mb;
    cov += da * db;
    va += da * da;
    vb += db * db;
  }
  // Two flat images are "the same" only if their levels agree.
  if (va < 1e-6 || vb < 1e-6) return Math.abs(ma - mb) < 8 ? 1 : 0;
  return cov / Math.sqrt(va * vb);
}

/**
 * Cells of a coarse grid where the brightness-matched images differ far more
 * than recompression explains, merged into boxes in claim pixels.
 */
function changedRegions(
  thumb: Gray,
  main: Gray,
  claimWidth: number,
  claimHeight: number,
): Region[] {
  const cols = 16;
  const rows = 12;
  const a = normalize(resample(thumb, cols, rows));
  const b = normalize(resample(main, cols, rows));
  const diff = a.map((v, i) => Math.abs(v - (b[i] ?? 0)));
  const sorted = Array.from(diff).sort((x, y) => x - y);
  const median = sorted[Math.floor(sorted.length / 2)] ?? 0;
  const threshold = Math.max(0.6, 5 * median);
  const hot = Array.from(diff, (d) => d > threshold);
  const count = hot.filter(Boolean).length;
  // A handful of cells is an edit; most of the grid is a different picture, handled by correlation.
  if (count === 0 || count > cols * rows * 0.3) return [];
  const regions: Region[] = [];
  const seen = new Set<number>();
  for (let i = 0; i < hot.length; i++) {
    if (!hot[i] || seen.has(i)) continue;
    const queue = [i];
    seen.add(i);
    let minX = cols;
    let minY = rows;
    let maxX = -1;
    let maxY = -1;
    while (queue.length > 0) {
      const k = queue.pop() ?? 0;
      const x = k % cols;
      const y = Math.floor(k / cols);
      minX = Math.min(minX, x);
      maxX = Math.max(maxX, x);
      minY = Math.min(minY, y);
      maxY = Math.max(maxY, y);
      for (const [dx, dy] of [
        [1, 0],
        [-1, 0],
        [0, 1],
        [0, -1],
      ] as const) {
        const nx = x + dx;
        const ny = y + dy;
        const nk = ny * cols + nx;
        if (nx >= 0 && ny >= 0 && nx < cols && ny < rows && hot[nk] && !seen.has(nk)) {
          seen.add(nk);
          queue.push(nk);
        }
      }
    }
    const x = Math.floor((minX * claimWidth) / cols);
    const y = Math.floor((minY * claimHeight) / rows);
    regions.push({
      x,
      y,
      w: Math.ceil(((maxX + 1) * claimWidth) / cols) - x,
      h: Math.ceil(((maxY + 1) * claimHeight) / rows) - y,
    });
  }
  return regions;
}

function normalize(v: Float32Array): Float32Array {
  const n = v.length;
  const mean = v.reduce((s, x) => s + x, 0) / n;
  const std = Math.sqrt(v.reduce((s, x) => s + (x - mean) ** 2, 0) / n) || 1;
  return v.map((x) => (x - mean) / std);
}

function round(v: number): number {
  return Math.round(v * 100) / 100;
}
