/**
 * Verification of a copy-move candidate: two areas at a fixed displacement
 * count as a clone only if they agree in fine detail, the agreement is sharp
 * (three pixels off breaks it: rules out straight edges and smooth
 * gradients), it does not recur at multiples or fractions of the
 * displacement nor carry on around the areas (rules out tiles, fabric, dots
 * and printed patterns), and the areas are camera content rather than
 * rendered text or graphics, which legitimately repeat.
 */
import { boxMean, type GreyImage } from './raster-ops.js';

/** Pixel coordinates of a sampled area. */
export interface Sample {
  xs: Int32Array;
  ys: Int32Array;
}

/** A box in work pixels. */
export interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

/** The outcome of checking one candidate, with the measurements behind it. */
export interface PairCheck {
  verdict: 'clone' | 'weak' | 'not_sharp' | 'periodic' | 'flat' | 'rendered';
  /** The displacement after refinement. */
  dx: number;
  dy: number;
  /** High-pass correlation of the two areas at the displacement. */
  correlation: number;
  /** Best correlation three pixels off the displacement. */
  offPeak: number;
  /** Best correlation at twice, minus, or a fraction of the displacement. */
  periodic: number;
  /** Correlation of the bands around the two areas. */
  surround?: number;
}

/** The image's fine detail, built once per image and shared by all candidates. */
export interface DetailPasses {
  /** Grey minus its 5×5 mean: shading and colour shifts do not count. */
  high: GreyImage;
  /** The high pass lightly smoothed, for comparing surroundings that drift by a pixel. */
  soft: GreyImage;
}

/** Builds the detail images `checkCandidate` compares. */
export function detailPasses(image: GreyImage): DetailPasses {
  const blur = boxMean(image.data, image.width, image.height, 2);
  const data = new Float32Array(image.data.length);
  for (let i = 0; i < data.length; i++) data[i] = image.data[i]! - blur[i]!;
  const high = { width: image.width, height: image.height, data };
  return { high, soft: { ...high, data: boxMean(data, image.width, image.height, 1) } };
}

/** Checks the area sampled by `sample` (inside `box`) against itself moved by about (dx, dy). */
export function checkCandidate(
  image: GreyImage,
  passes: DetailPasses,
  sample: Sample,
  box: Box,
  dx: number,
  dy: number,
): PairCheck {
  if (renderedShare(image, sample) > 0.2)
    return { verdict: 'rendered', dx, dy, correlation: 0, offPeak: 0, periodic: 0 };
  return verifyPair(passes.high, passes.soft, sample, box, dx, dy);
}

/** Pixels at the centres of the member blocks (`stride` apart, `block` wide): the area's interior, not its bounding box. */
export function samplePixels(
  members: number[],
  Wq: number,
  grid: { stride: number; block: number; width: number; height: number },
): Sample {
  const { stride: STRIDE, block: BLOCK, width, height } = grid;
  const xs = new Int32Array(members.length * STRIDE * STRIDE);
  const ys = new Int32Array(members.length * STRIDE * STRIDE);
  let n = 0;
  for (const q of members) {
    const x0 = (q % Wq) * STRIDE + BLOCK / 2 - STRIDE / 2;
    const y0 = Math.floor(q / Wq) * STRIDE + BLOCK / 2 - STRIDE / 2;
    for (let y = y0; y < Math.min(height, y0 + STRIDE); y++)
      for (let x = x0; x < Math.min(width, x0 + STRIDE); x++) {
        xs[n] = x;
        ys[n] = y;
        n++;
      }
  }
  return { xs: xs.subarray(0, n), ys: ys.subarray(0, n) };
}

/**
 * Share of the area's pixels that equal their neighbours to within one grey
 * level: rendered text and graphics (which legitimately repeat) are mostly
 * such flat pixels, camera pictures almost never.
 */
function renderedShare(work: GreyImage, sample: Sample): number {
  const { width, height, data } = work;
  let flat = 0;
  for (let i = 0; i < sample.xs.length; i++) {
    const x = sample.xs[i]!;
    const y = sample.ys[i]!;
    if (x < 1 || y < 1 || x >= width - 1 || y >= height - 1) continue;
    const p = y * width + x;
    const v = data[p]!;
    if (
      Math.abs(v - data[p - 1]!) <= 1 &&
      Math.abs(v - data[p + 1]!) <= 1 &&
      Math.abs(v - data[p - width]!) <= 1 &&
      Math.abs(v - data[p + width]!) <= 1
    )
      flat++;
  }
  return sample.xs.length > 0 ? flat / sample.xs.length : 0;
}

/** Pixels in a band around the box, a few pixels clear of it (the clone's feathered edge). */
function ringAround(box: Box, width: number, height: number): Sample {
  const gap = 3;
  const band = Math.min(40, Math.max(8, Math.round(0.5 * Math.sqrt(box.w * box.h))));
  const x0 = Math.max(0, box.x - gap - band);
  const y0 = Math.max(0, box.y - gap - band);
  const x1 = Math.min(width, box.x + box.w + gap + band);
  const y1 = Math.min(height, box.y + box.h + gap + band);
  // Every other pixel in each direction is plenty for a correlation and a quarter of the work.
  const cap = Math.ceil((x1 - x0) / 2) * Math.ceil((y1 - y0) / 2);
  const xs = new Int32Array(cap);
  const ys = new Int32Array(cap);
  let n = 0;
  for (let y = y0; y < y1; y += 2)
    for (let x = x0; x < x1; x += 2) {
      const inner =
        x >= box.x - gap && x < box.x + box.w + gap && y >= box.y - gap && y < box.y + box.h + gap;
      if (!inner) {
        xs[n] = x;
        ys[n] = y;
        n++;
      }
    }
  return { xs: xs.subarray(0, n), ys: ys.subarray(0, n) };
}

function verifyPair(
  hp: GreyImage,
  soft: GreyImage,
  sample: Sample,
  box: Box,
  dx0: number,
  dy0: number,
): PairCheck {
  // The field votes were merged within ±1: settle on the best displacement.
  let bestD = { dx: dx0, dy: dy0, r: -1 };
  for (let a = -1; a <= 1; a++)
    for (let b = -1; b <= 1; b++) {
      const r = correlation(hp, sample, dx0 + a, dy0 + b);
      if (r > bestD.r) bestD = { dx: dx0 + a, dy: dy0 + b, r };
    }
  const { dx, dy, r } = bestD;
  const base = { dx, dy, correlation: round3(r), offPeak: 0, periodic: 0 };
  if (energy(hp, sample) < 2) return { ...base, verdict: 'flat' };
  let offPeak = -1;
  for (let a = -3; a <= 3; a++)
    for (let b = -3; b <= 3; b++) {
      if (Math.max(Math.abs(a), Math.abs(b)) !== 3) continue;
      offPeak = Math.max(offPeak, correlation(hp, sample, dx + a, dy + b));
    }
  // A lattice (tiles, dots, fabric) also matches at twice the displacement, backwards,
  // or at a fraction of it (the displacement is then a multiple of the period).
  let periodic = Math.max(
    correlation(hp, sample, 2 * dx, 2 * dy),
    correlation(hp, sample, -dx, -dy),
  );
  for (let k = 2; k <= 6; k++) {
    const fx = Math.round(dx / k);
    const fy = Math.round(dy / k);
    if (fx * fx + fy * fy >= 9) periodic = Math.max(periodic, correlation(hp, sample, fx, fy));
  }
  // A clone ends at its border; a repeating pattern carries on around it.
  // Printed patterns drift with folds and perspective, so the ring gets a little slack.
  const ring = ringAround(box, hp.width, hp.height);
  let surround = -1;
  for (let a = -2; a <= 2; a++)
    for (let b = -2; b <= 2; b++)
      surround = Math.max(surround, correlation(soft, ring, dx + a, dy + b));
  const out = {
    ...base,
    offPeak: round3(offPeak),
    periodic: round3(periodic),
    surround: round3(surround),
  };
  if (r < 0.5) return { ...out, verdict: 'weak' };
  if (offPeak > 0.8 * r) return { ...out, verdict: 'not_sharp' };
  if (periodic > 0.25 || surround > 0.5 * r) return { ...out, verdict: 'periodic' };
  return { ...out, verdict: 'clone' };
}

/** Zero-mean normalised correlation between the sampled pixels and the same pixels moved by (dx, dy). */
function correlation(hp: GreyImage, sample: Sample, dx: number, dy: number): number {
  const { width, height, data } = hp;
  let sa = 0;
  let sb = 0;
  let saa = 0;
  let sbb = 0;
  let sab = 0;
  let n = 0;
  for (let i = 0; i < sample.xs.length; i++) {
    const x = sample.xs[i]!;
    const y = sample.ys[i]!;
    const tx = x + dx;
    const ty = y + dy;
    if (tx < 0 || ty < 0 || tx >= width || ty >= height) continue;
    const a = data[y * width + x]!;
    const b = data[ty * width + tx]!;
    sa += a;
    sb += b;
    saa += a * a;
    sbb += b * b;
    sab += a * b;
    n++;
  }
  // Mostly outside the image: no evidence either way.
  if (n < 0.5 * sample.xs.length || n < 32) return -1;
  const cov = sab / n - (sa / n) * (sb / n);
  const va = saa / n - (sa / n) ** 2;
  const vb = sbb / n - (sb / n) ** 2;
  return va > 0 && vb > 0 ? cov / Math.sqrt(va * vb) : -1;
}

function energy(hp: GreyImage, sample: Sample): number {
  let s = 0;
  for (let i = 0; i < sample.xs.length; i++) {
    const v = hp.data[sample.ys[i]! * hp.width + sample.xs[i]!]!;
    s += v * v;
  }
  return sample.xs.length > 0 ? Math.sqrt(s / sample.xs.length) : 0;
}

function round3(v: number): number {
  return Math.round(v * 1000) / 1000;
}
