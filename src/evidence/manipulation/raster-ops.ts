/**
 * Small pixel helpers shared by the no-reference forensics: luminance,
 * integer downscaling, box means, connected components and region scaling.
 * Everything works on typed arrays so a 1024-px image costs milliseconds.
 */
import type { RasterImage, Region } from '../model.js';

/** A single-channel image of floats, rows top to bottom. */
export interface GreyImage {
  width: number;
  height: number;
  data: Float32Array;
}

/** BT.601 luma, the same weights a JPEG encoder uses for its Y channel. */
export function toGrey(image: RasterImage): GreyImage {
  const { width, height, channels, data } = image;
  const out = new Float32Array(width * height);
  if (channels === 1) {
    for (let i = 0; i < out.length; i++) out[i] = data[i]!;
  } else {
    for (let i = 0, j = 0; i < out.length; i++, j += channels)
      out[i] = 0.299 * data[j]! + 0.587 * data[j + 1]! + 0.114 * data[j + 2]!;
  }
  return { width, height, data: out };
}

/** Averages `factor`×`factor` cells; the ragged right and bottom edges are dropped. */
export function downscaleGrey(image: GreyImage, factor: number): GreyImage {
  if (factor <= 1) return image;
  const width = Math.floor(image.width / factor);
  const height = Math.floor(image.height / factor);
  const out = new Float32Array(width * height);
  const norm = 1 / (factor * factor);
  for (let y = 0; y < height; y++) {
    for (let dy = 0; dy < factor; dy++) {
      const row = (y * factor + dy) * image.width;
      for (let x = 0; x < width; x++) {
        let sum = 0;
        const start = row + x * factor;
        for (let dx = 0; dx < factor; dx++) sum += image.data[start + dx]!;
        out[y * width + x] = out[y * width + x]! + sum;
      }
    }
  }
  for (let i = 0; i < out.length; i++) out[i] = out[i]! * norm;
  return { width, height, data: out };
}

/** Mean over the (2r+1)² window around each pixel, windows clamped at the borders (running sums, O(N)). */
export function boxMean(
  data: Float32Array,
  width: number,
  height: number,
  r: number,
): Float32Array {
  const tmp = new Float32Array(width * height);
  const prefix = new Float64Array(width + 1);
  for (let y = 0; y < height; y++) {
    const row = y * width;
    for (let x = 0; x < width; x++) prefix[x + 1] = prefix[x]! + data[row + x]!;
    for (let x = 0; x < width; x++) {
      const x0 = x - r < 0 ? 0 : x - r;
      const x1 = x + r + 1 > width ? width : x + r + 1;
      tmp[row + x] = (prefix[x1]! - prefix[x0]!) / (x1 - x0);
    }
  }
  // Vertical pass: a running sum per column, rows added and dropped as the window slides.
  const out = new Float32Array(width * height);
  const sum = new Float64Array(width);
  let top = 0;
  let bottom = 0; // rows [top, bottom) are in the sums
  for (let y = 0; y < height; y++) {
    const want0 = y - r < 0 ? 0 : y - r;
    const want1 = y + r + 1 > height ? height : y + r + 1;
    while (bottom < want1) {
      const row = bottom * width;
      for (let x = 0; x < width; x++) sum[x] = sum[x]! + tmp[row + x]!;
      bottom++;
    }
    while (top < want0) {
      const row = top * width;
      for (let x = 0; x < width; x++) sum[x] = sum[x]! - tmp[row + x]!;
      top++;
    }
    const inv = 1 / (bottom - top);
    const row = y * width;
    for (let x = 0; x < width; x++) out[row + x] = sum[x]! * inv;
  }
  return out;
}

/** One 4-connected blob of a mask, with its bounding box (inclusive) and pixel count. */
export interface Component {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
  area: number;
}

/** Labels the set cells of `mask` (4-connectivity); labels are 1-based, 0 = background. */
export function connectedComponents(
  mask: Uint8Array,
  width: number,
  height: number,
): { labels: Int32Array; components: Component[] } {
  const labels = new Int32Array(width * height);
  const components: Component[] = [];
  const stack: number[] = [];
  for (let start = 0; start < mask.length; start++) {
    if (mask[start] === 0 || labels[start] !== 0) continue;
    const label = components.length + 1;
    const c: Component = { x0: width, y0: height, x1: -1, y1: -1, area: 0 };
    labels[start] = label;
    stack.push(start);
    while (stack.length > 0) {
      const i = stack.pop()!;
      const x = i % width;
      const y = (i - x) / width;
      c.area++;
      if (x < c.x0) c.x0 = x;
      if (x > c.x1) c.x1 = x;
      if (y < c.y0) c.y0 = y;
      if (y > c.y1) c.y1 = y;
      const push = (j: number): void => {
        if (mask[j] !== 0 && labels[j] === 0) {
          labels[j] = label;
          stack.push(j);
        }
      };
      if (x > 0) push(i - 1);
      if (x < width - 1) push(i + 1);
      if (y > 0) push(i - width);
      if (y < height - 1) push(i + width);
    }
    components.push(c);
  }
  return { labels, components };
}

/** Maps a box in a grid of `cell`-pixel cells to a pixel region of an image `scale` times larger, clipped to it. */
export function cellBoxToRegion(
  c: Component,
  cell: number,
  scaleX: number,
  scaleY: number,
  bounds: { width: number; height: number },
): Region {
  const x = Math.max(0, Math.floor(c.x0 * cell * scaleX));
  const y = Math.max(0, Math.floor(c.y0 * cell * scaleY));
  const x1 = Math.min(bounds.width, Math.ceil((c.x1 + 1) * cell * scaleX));
  const y1 = Math.min(bounds.height, Math.ceil((c.y1 + 1) * cell * scaleY));
  return { x, y, w: Math.max(1, x1 - x), h: Math.max(1, y1 - y) };
}

/** Median of a numeric list (the list is copied, not reordered). */
export function median(values: ArrayLike<number>): number {
  if (values.length === 0) return 0;
  const sorted = Float64Array.from(values).sort();
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Clamps to [lo, hi]. */
export function clamp(value: number, lo: number, hi: number): number {
  return value < lo ? lo : value > hi ? hi : value;
}
