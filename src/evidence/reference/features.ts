/**
 * ORB keypoints and a mutual, ratio-tested Hamming matcher. Matching runs in
 * plain JavaScript over one distance pass, which yields both directions at
 * once and is as fast as OpenCV's WASM brute-force matcher called twice.
 */
import { type OpenCv, withScope } from './opencv.js';
import type { GrayImage } from './raster.js';

/** Keypoints and their 256-bit ORB descriptors (eight 32-bit words each). */
export interface FeatureSet {
  count: number;
  /** x, y pairs in the pixels of the image the features were detected on. */
  points: Float32Array;
  descriptors: Uint32Array;
}

/** A correspondence between two feature sets. */
export interface Match {
  a: number;
  b: number;
  distance: number;
}

const WORDS = 8;

/** Detects up to `maxFeatures` ORB keypoints and their descriptors. */
export function detectFeatures(cv: OpenCv, image: GrayImage, maxFeatures: number): FeatureSet {
  return withScope((scope) => {
    const mat = scope.track(new cv.Mat(image.height, image.width, cv.CV_8UC1));
    mat.data.set(image.data);
    // A lower FAST threshold than the default (20) keeps keypoints on blurred,
    // low-contrast re-photographs of screens; the ORB score still ranks them.
    const orb = scope.track(new cv.ORB(maxFeatures, 1.2, 8, 19, 0, 2, cv.ORB_HARRIS_SCORE, 31, 12));
    const keypoints = scope.track(new cv.KeyPointVector());
    const descriptors = scope.track(new cv.Mat());
    const noMask = scope.track(new cv.Mat());
    orb.detectAndCompute(mat, noMask, keypoints, descriptors);
    const count = descriptors.rows;
    const points = new Float32Array(count * 2);
    for (let i = 0; i < count; i++) {
      const kp = keypoints.get(i) as { pt: { x: number; y: number } };
      points[2 * i] = kp.pt.x;
      points[2 * i + 1] = kp.pt.y;
    }
    const bytes = descriptors.data;
    const words = new Uint32Array(count * WORDS);
    if (count > 0) {
      const copy = new Uint8Array(bytes.subarray(0, count * WORDS * 4));
      words.set(new Uint32Array(copy.buffer));
    }
    return { count, points, descriptors: words };
  });
}

function popcount(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return (((x + (x >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

/**
 * Matches `a` to `b`, keeping pairs that are each other's nearest neighbour
 * and pass Lowe's ratio test in both directions.
 */
export function matchFeatures(a: FeatureSet, b: FeatureSet, ratio = 0.85): Match[] {
  const na = a.count;
  const nb = b.count;
  if (na < 2 || nb < 2) return [];
  const bestA = new Int32Array(na).fill(-1);
  const d1A = new Uint16Array(na).fill(999);
  const d2A = new Uint16Array(na).fill(999);
  const bestB = new Int32Array(nb).fill(-1);
  const d1B = new Uint16Array(nb).fill(999);
  const d2B = new Uint16Array(nb).fill(999);
  const da = a.descriptors;
  const db = b.descriptors;
  for (let i = 0; i < na; i++) {
    const o = i * WORDS;
    const a0 = da[o]!,
      a1 = da[o + 1]!,
      a2 = da[o + 2]!,
      a3 = da[o + 3]!;
    const a4 = da[o + 4]!,
      a5 = da[o + 5]!,
      a6 = da[o + 6]!,
      a7 = da[o + 7]!;
    let b1 = 999,
      b2 = 999,
      bi = -1;
    for (let j = 0; j < nb; j++) {
      const p = j * WORDS;
      const d =
        popcount(a0 ^ db[p]!) +
        popcount(a1 ^ db[p + 1]!) +
        popcount(a2 ^ db[p + 2]!) +
        popcount(a3 ^ db[p + 3]!) +
        popcount(a4 ^ db[p + 4]!) +
        popcount(a5 ^ db[p + 5]!) +
        popcount(a6 ^ db[p + 6]!) +
        popcount(a7 ^ db[p + 7]!);
      if (d < b1) {
        b2 = b1;
        b1 = d;
        bi = j;
      } else if (d < b2) b2 = d;
      if (d < d1B[j]!) {
        d2B[j] = d1B[j]!;
        d1B[j] = d;
        bestB[j] = i;
      } else if (d < d2B[j]!) d2B[j] = d;
    }
    bestA[i] = bi;
    d1A[i] = b1;
    d2A[i] = b2;
  }
  const matches: Match[] = [];
  for (let i = 0; i < na; i++) {
    const j = bestA[i]!;
    if (j < 0 || bestB[j] !== i) continue;
    const d = d1A[i]!;
    // Ratio test in both directions; 80 bits of 256 is the usual ORB ceiling.
    if (d > 80 || d > ratio * d2A[i]! || d > ratio * d2B[j]!) continue;
    matches.push({ a: i, b: j, distance: d });
  }
  return matches;
}
