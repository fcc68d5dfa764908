/**
 * Robust homography between matched keypoints (RANSAC, then least squares on
 * the consensus), with the geometric evidence that separates a planar copy of
 * the reference from a new viewpoint: how many matches agree, how tightly,
 * and how evenly they cover the overlap.
 */
import type { Match } from './features.js';
import { type Homography, normalise, project } from './homography.js';
import { type OpenCv, withScope } from './opencv.js';

/** The fitted transform and the geometric measurements behind it. */
export interface Alignment {
  /** Maps reference feature pixels to claim feature pixels. */
  homography: Homography;
  matches: number;
  /** Matches within the loose threshold of the final fit. */
  inliers: number;
  inlierRatio: number;
  /** Share of loose inliers that also fit within 1 px: high for copies, lower for parallax. */
  tightShare: number;
  /** Median reprojection error of the inliers, in claim feature pixels. */
  residualPx: number;
  /** Indices into the match list of the inliers. */
  inlierIndex: number[];
}

const LOOSE_PX = 3;
const TIGHT_PX = 1;

function fit(
  cv: OpenCv,
  src: Float32Array,
  dst: Float32Array,
  idx: number[],
  method: number,
  threshold: number,
): { h: Homography; mask: Uint8Array } | undefined {
  if (idx.length < 4) return undefined;
  return withScope((scope) => {
    const s = new Float32Array(idx.length * 2);
    const d = new Float32Array(idx.length * 2);
    idx.forEach((k, i) => {
      s[2 * i] = src[2 * k]!;
      s[2 * i + 1] = src[2 * k + 1]!;
      d[2 * i] = dst[2 * k]!;
      d[2 * i + 1] = dst[2 * k + 1]!;
    });
    const sm = scope.track(cv.matFromArray(idx.length, 1, cv.CV_32FC2, s));
    const dm = scope.track(cv.matFromArray(idx.length, 1, cv.CV_32FC2, d));
    const mask = scope.track(new cv.Mat());
    const h = scope.track(cv.findHomography(sm, dm, method, threshold, mask, 4000, 0.999));
    if (h.rows !== 3 || h.cols !== 3) return undefined;
    const values = Array.from(h.data64F);
    if (!values.every(Number.isFinite)) return undefined;
    const m = mask.rows > 0 ? new Uint8Array(mask.data) : new Uint8Array(idx.length).fill(1);
    return { h: normalise(values), mask: m };
  });
}

function residuals(h: Homography, src: Float32Array, dst: Float32Array, n: number): Float64Array {
  const out = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    const [x, y] = project(h, src[2 * k]!, src[2 * k + 1]!);
    out[k] = Math.hypot(x - dst[2 * k]!, y - dst[2 * k + 1]!);
    if (!Number.isFinite(out[k])) out[k] = Number.POSITIVE_INFINITY;
  }
  return out;
}

function median(values: number[]): number {
  if (values.length === 0) return Number.POSITIVE_INFINITY;
  const s = values.slice().sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/**
 * Fits a homography from reference points to claim points (`src`, `dst`:
 * x, y pairs indexed by `matches`), or returns undefined when no consensus exists.
 */
export function alignMatches(
  cv: OpenCv,
  refPoints: Float32Array,
  claimPoints: Float32Array,
  matches: Match[],
): Alignment | undefined {
  const n = matches.length;
  if (n < 8) return undefined;
  const src = new Float32Array(n * 2);
  const dst = new Float32Array(n * 2);
  matches.forEach((m, i) => {
    src[2 * i] = refPoints[2 * m.b]!;
    src[2 * i + 1] = refPoints[2 * m.b + 1]!;
    dst[2 * i] = claimPoints[2 * m.a]!;
    dst[2 * i + 1] = claimPoints[2 * m.a + 1]!;
  });
  const all = Array.from({ length: n }, (_, i) => i);
  const first = fit(cv, src, dst, all, cv.RANSAC, LOOSE_PX);
  if (!first) return undefined;
  let h = first.h;
  // Two least-squares passes on the consensus sharpen the fit to sub-pixel.
  for (let pass = 0; pass < 2; pass++) {
    const r = residuals(h, src, dst, n);
    const keep = all.filter((k) => r[k]! < (pass === 0 ? LOOSE_PX : 2));
    const refit = fit(cv, src, dst, keep, 0, 0);
    if (!refit) break;
    h = refit.h;
  }
  const r = residuals(h, src, dst, n);
  const inlierIndex = all.filter((k) => r[k]! < LOOSE_PX);
  const tight = inlierIndex.filter((k) => r[k]! < TIGHT_PX).length;
  return {
    homography: h,
    matches: n,
    inliers: inlierIndex.length,
    inlierRatio: inlierIndex.length / n,
    tightShare: inlierIndex.length > 0 ? tight / inlierIndex.length : 0,
    residualPx: median(inlierIndex.map((k) => r[k]!)),
    inlierIndex,
  };
}
