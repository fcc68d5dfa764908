/**
 * Dense refinement of the keypoint homography: block Lucas–Kanade shifts
 * between the claim and the warped reference, fitted by one frame-to-frame
 * homography (so parallax cannot be absorbed), iterated until the frame
 * corners stop moving. Also picks the blur that makes the reference as soft
 * as the claim (re-photographed screens, downscaled screenshots).
 */
import { type BlockMeasure, measureBlocks } from './blocks.js';
import { gaussian } from './filters.js';
import { compose, type Homography, invert, normalise } from './homography.js';
import { type OpenCv, withScope } from './opencv.js';
import { maskFlatBands } from './overlays.js';
import { applyCurve, fitCurve } from './photometry.js';
import type { FloatImage, GrayImage } from './raster.js';
import { absQuantile } from './stats.js';
import { warpBilinear } from './warp.js';

/** Blur both sides get before comparison: tolerates noise, JPEG blocks and moiré. */
export const COMMON_BLUR = 1.0;
/** Candidate extra blurs of the reference, in frame pixels. */
const REF_BLURS = [0, 0.7, 1.2, 2.0];
/** Block size (frame pixels) for shifts and correlations. */
export const BLOCK = 16;

/** The refined alignment and the blurred images it was judged on. */
export interface Refinement {
  /** Reference → frame homography after refinement. */
  homography: Homography;
  /** Frame pixels the reference covers, minus flat interface bands. */
  mask: Uint8Array;
  /** Claim luma blurred by COMMON_BLUR. */
  claimBlurred: FloatImage;
  /** Warped reference luma blurred to match the claim. */
  refBlurred: FloatImage;
  /** Extra blur the reference needed, and the total applied to it. */
  refBlur: number;
  totalBlur: number;
  /** How far the refinement moved the reference's corners (frame pixels). */
  movedPx: number;
}

/** Copies a centred window of at most `side`×`side` pixels. */
function centreWindow<T extends { width: number; height: number; data: Float32Array | Uint8Array }>(
  image: T,
  side: number,
): T {
  const w = Math.min(side, image.width);
  const h = Math.min(side, image.height);
  const x0 = (image.width - w) >> 1;
  const y0 = (image.height - h) >> 1;
  const data = new (image.data.constructor as new (n: number) => Float32Array | Uint8Array)(w * h);
  for (let y = 0; y < h; y++)
    data.set(
      image.data.subarray((y0 + y) * image.width + x0, (y0 + y) * image.width + x0 + w),
      y * w,
    );
  return { ...image, width: w, height: h, data };
}

/** Chooses the reference blur on a central window at full resolution, where blurring is cheap. */
function pickRefBlur(cv: OpenCv, claim: FloatImage, ref: FloatImage, mask: Uint8Array): number {
  const c = centreWindow(claim, 320);
  const r = centreWindow(ref, 320);
  const m = centreWindow({ width: claim.width, height: claim.height, data: mask }, 320).data;
  const cb = gaussian(cv, c, COMMON_BLUR);
  let best = 0;
  let bestErr = Number.POSITIVE_INFINITY;
  for (const sigma of REF_BLURS) {
    const rb = gaussian(cv, r, Math.hypot(sigma, COMMON_BLUR));
    const mapped = applyCurve(fitCurve(cb, rb, m), rb);
    const diff = cb.data.map((v, i) => v - mapped[i]!);
    // The 70th percentile ignores edits yet still reflects detail mismatch.
    const err = absQuantile(diff, m, 0.7, 1);
    // More blur must earn its place (3 %), so noise alone does not pick it.
    if (err < bestErr * 0.97) {
      bestErr = err;
      best = sigma;
    }
  }
  return best;
}

/** Fits the small frame→frame correction A with claim(x) ≈ ref(A·x) from block shifts. */
function fitCorrection(
  cv: OpenCv,
  blocks: BlockMeasure[],
  threshold: number,
): Homography | undefined {
  const valid = blocks.filter((b) => Number.isFinite(b.dx) && Math.hypot(b.dx, b.dy) < 3);
  if (valid.length < 12) return undefined;
  return withScope((scope) => {
    const src = new Float32Array(valid.length * 2);
    const dst = new Float32Array(valid.length * 2);
    valid.forEach((b, i) => {
      src[2 * i] = b.cx;
      src[2 * i + 1] = b.cy;
      dst[2 * i] = b.cx + b.dx;
      dst[2 * i + 1] = b.cy + b.dy;
    });
    const sm = scope.track(cv.matFromArray(valid.length, 1, cv.CV_32FC2, src));
    const dm = scope.track(cv.matFromArray(valid.length, 1, cv.CV_32FC2, dst));
    const inliers = scope.track(new cv.Mat());
    const h = scope.track(cv.findHomography(sm, dm, cv.RANSAC, threshold, inliers, 2000, 0.995));
    if (h.rows !== 3) return undefined;
    const values = Array.from(h.data64F);
    return values.every(Number.isFinite) ? normalise(values) : undefined;
  });
}

/** Largest displacement of the source rectangle's corners between two homographies. */
export function cornerMotion(a: Homography, b: Homography, width: number, height: number): number {
  let worst = 0;
  for (const [x, y] of [
    [0, 0],
    [width, 0],
    [width, height],
    [0, height],
  ] as const) {
    const wa = a[6]! * x + a[7]! * y + a[8]!;
    const wb = b[6]! * x + b[7]! * y + b[8]!;
    const ax = (a[0]! * x + a[1]! * y + a[2]!) / wa;
    const ay = (a[3]! * x + a[4]! * y + a[5]!) / wa;
    const bx = (b[0]! * x + b[1]! * y + b[2]!) / wb;
    const by = (b[3]! * x + b[4]! * y + b[5]!) / wb;
    worst = Math.max(worst, Math.hypot(ax - bx, ay - by));
  }
  return worst;
}

/** One Lucas–Kanade update of `h`; undefined when the blocks cannot support one. */
function step(
  cv: OpenCv,
  claimBlurred: FloatImage,
  ref: GrayImage,
  h: Homography,
  keep: Uint8Array,
  blur: number,
  curve: Float32Array | undefined,
  block: number,
  threshold: number,
): { next: Homography; curve: Float32Array } | undefined {
  const { width, height } = claimBlurred;
  const warp = warpBilinear(ref, h, width, height, 2);
  const mask = warp.inside.map((v, i) => v & keep[i]!);
  const refBlurred = gaussian(cv, warp.image, blur);
  const tone = curve ?? fitCurve(claimBlurred, refBlurred, mask);
  const explained = applyCurve(tone, refBlurred);
  const correction = fitCorrection(
    cv,
    measureBlocks(claimBlurred.data, explained, mask, width, height, block),
    threshold,
  );
  const inverse = correction && invert(correction);
  return inverse ? { next: normalise(compose(inverse, h)), curve: tone } : undefined;
}

/** Refines `toFrame` (reference → frame) against the claim frame's luma. */
export function refineAlignment(
  cv: OpenCv,
  claim: FloatImage,
  ref: GrayImage,
  toFrame: Homography,
): Refinement {
  const { width, height } = claim;
  const first = warpBilinear(ref, toFrame, width, height, 2);
  const keep = maskFlatBands(cv, claim, first.image, first.inside);
  const refBlur = pickRefBlur(
    cv,
    claim,
    first.image,
    first.inside.map((v, i) => v & keep[i]!),
  );
  const totalBlur = Math.hypot(refBlur, COMMON_BLUR);
  const claimBlurred = gaussian(cv, claim, COMMON_BLUR);
  let h = toFrame;
  let curve: Float32Array | undefined;
  for (let iter = 0; iter < 3; iter++) {
    const r = step(cv, claimBlurred, ref, h, keep, totalBlur, curve, BLOCK, 0.6);
    if (!r) break;
    curve = r.curve;
    const moved = cornerMotion(r.next, h, ref.width, ref.height);
    h = r.next;
    if (moved < 0.05) break;
  }
  const warp = warpBilinear(ref, h, width, height, 2);
  return {
    homography: h,
    mask: warp.inside.map((v, i) => v & keep[i]!),
    claimBlurred,
    refBlurred: gaussian(cv, warp.image, totalBlur),
    refBlur,
    totalBlur,
    movedPx: cornerMotion(h, toFrame, ref.width, ref.height),
  };
}
