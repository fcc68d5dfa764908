/**
 * One claim–reference comparison: match features (trying the mirrored
 * reference when the direct match fails), fit the homography, warp the
 * reference into a frame around its footprint on the claim, and measure how
 * well it explains the claim.
 */
import { type Alignment, alignMatches } from './align.js';
import { type FrameComparison, compareFrame } from './change-map.js';
import { detectFeatures, type FeatureSet, matchFeatures } from './features.js';
import {
  compose,
  type Homography,
  invert,
  normalise,
  perspectiveDistortion,
  polygonArea,
  project,
  projectCorners,
  resampling,
  translation,
} from './homography.js';
import type { OpenCv } from './opencv.js';
import type { RasterImage } from '../model.js';
import {
  cropResizeChannels,
  fitScale,
  type GrayImage,
  mirrorGray,
  resizeGray,
  toGray,
} from './raster.js';

/** Working sizes and feature counts; the defaults suit analysis copies up to ~1600 px. */
export interface CandidateSettings {
  /** Pixel budget of the images keypoints are detected on. */
  featurePixels: number;
  /** Keypoints kept per image. */
  maxFeatures: number;
  /** Pixel budget of the comparison frame around the reference's footprint. */
  framePixels: number;
  /**
   * Residual misalignment (frame pixels) the difference map tolerates on
   * edges, so resampling and JPEG ringing along strong edges do not light up.
   */
  misregistrationPx: number;
}

/** Default working sizes. */
export const DEFAULT_CANDIDATE_SETTINGS: CandidateSettings = Object.freeze({
  featurePixels: 360_000,
  maxFeatures: 1000,
  framePixels: 300_000,
  misregistrationPx: 0.3,
});

/** An image prepared once: its pixels, luma and keypoints. */
export interface PreparedImage {
  image: RasterImage;
  gray: GrayImage;
  /** Feature-image pixels per analysis pixel. */
  featureScale: number;
  featureWidth: number;
  featureHeight: number;
  features: FeatureSet;
}

/** Geometric measurements of one alignment, in claim feature pixels. */
export interface GeometryEvidence {
  matches: number;
  inliers: number;
  inlierRatio: number;
  tightShare: number;
  residualPx: number;
  /** Share of feature-bearing grid cells of the footprint that hold an inlier. */
  coverage: number;
  /** Departure of the reference rectangle's image from a similarity (fraction of its diagonal). */
  perspective: number;
  /** Share of the claim covered by the reference's footprint. */
  footprintShare: number;
  /** Claim pixels per reference pixel (linear). */
  scale: number;
  mirrored: boolean;
}

/** The pixel comparison and how its frame sits in the claim. */
export interface FrameResult extends FrameComparison {
  /** Maps frame pixels to claim analysis pixels (an axis-aligned crop and scale). */
  frameToClaim: Homography;
  /** Refined homography from reference analysis pixels to claim analysis pixels. */
  refined: Homography;
  /** Claim analysis pixel edges: X = originX + frameX / scaleX (likewise for y). */
  originX: number;
  originY: number;
  scaleX: number;
  scaleY: number;
  /** Area of the reference's footprint inside the claim, in claim analysis pixels. */
  clippedFootprint: number;
}

/** Everything learnt about one reference. */
export interface CandidateResult {
  referenceIndex: number;
  /** Maps reference analysis pixels to claim analysis pixels. */
  homography: Homography;
  geometry: GeometryEvidence;
  /** Present when the geometry was plausible enough to compare pixels. */
  frame?: FrameResult;
}

/** Converts to gray feature resolution and detects keypoints. */
export function prepareImage(
  cv: OpenCv,
  image: RasterImage,
  gray: GrayImage,
  settings: CandidateSettings,
): PreparedImage {
  const s = fitScale(gray.width, gray.height, settings.featurePixels);
  const fw = Math.max(1, Math.round(gray.width * s));
  const fh = Math.max(1, Math.round(gray.height * s));
  const small = resizeGray(cv, gray, fw, fh);
  return {
    image,
    gray,
    featureScale: fw / gray.width,
    featureWidth: fw,
    featureHeight: fh,
    features: detectFeatures(cv, small, settings.maxFeatures),
  };
}

function coverage(
  claim: PreparedImage,
  toRef: Homography,
  refW: number,
  refH: number,
  inlierPts: [number, number][],
): number {
  const grid = 8;
  const occupied = new Set<number>();
  const featured = new Set<number>();
  const pts = claim.features.points;
  let minX = Infinity,
    minY = Infinity,
    maxX = -Infinity,
    maxY = -Infinity;
  const insideIdx: number[] = [];
  for (let k = 0; k < claim.features.count; k++) {
    const x = pts[2 * k]!,
      y = pts[2 * k + 1]!;
    const [rx, ry] = project(toRef, x, y);
    if (!(rx >= 0 && ry >= 0 && rx < refW && ry < refH)) continue;
    insideIdx.push(k);
    minX = Math.min(minX, x);
    minY = Math.min(minY, y);
    maxX = Math.max(maxX, x);
    maxY = Math.max(maxY, y);
  }
  if (insideIdx.length === 0) return 0;
  const cell = (x: number, y: number): number => {
    const cx = Math.min(grid - 1, Math.floor(((x - minX) / Math.max(1, maxX - minX)) * grid));
    const cy = Math.min(grid - 1, Math.floor(((y - minY) / Math.max(1, maxY - minY)) * grid));
    return cy * grid + cx;
  };
  for (const k of insideIdx) featured.add(cell(pts[2 * k]!, pts[2 * k + 1]!));
  for (const [x, y] of inlierPts)
    if (x >= minX && x <= maxX && y >= minY && y <= maxY) occupied.add(cell(x, y));
  return featured.size > 0 ? occupied.size / featured.size : 0;
}

function geometryOf(
  claim: PreparedImage,
  ref: PreparedImage,
  alignment: Alignment,
  matchesClaimIdx: number[],
  mirrored: boolean,
): GeometryEvidence {
  const h = alignment.homography;
  const refW = ref.featureWidth,
    refH = ref.featureHeight;
  const toRef = invert(h) ?? h;
  const inlierPts = alignment.inlierIndex.map((k): [number, number] => {
    const idx = matchesClaimIdx[k]!;
    return [claim.features.points[2 * idx]!, claim.features.points[2 * idx + 1]!];
  });
  const corners = projectCorners(h, refW, refH);
  const footprint = polygonArea(corners);
  const clipped = clippedArea(corners, claim.featureWidth, claim.featureHeight);
  return {
    matches: alignment.matches,
    inliers: alignment.inliers,
    inlierRatio: alignment.inlierRatio,
    tightShare: alignment.tightShare,
    residualPx: alignment.residualPx,
    coverage: coverage(claim, toRef, refW, refH, inlierPts),
    perspective: perspectiveDistortion(h, refW, refH),
    footprintShare: clipped / (claim.featureWidth * claim.featureHeight),
    scale: Math.sqrt(footprint / (refW * refH)),
    mirrored,
  };
}

/** Area of a quadrilateral clipped to [0,w]×[0,h] (Sutherland–Hodgman). */
function clippedArea(poly: [number, number][], w: number, h: number): number {
  let out = poly;
  const edges: ((p: [number, number]) => number)[] = [
    (p) => p[0],
    (p) => w - p[0],
    (p) => p[1],
    (p) => h - p[1],
  ];
  for (const f of edges) {
    const next: [number, number][] = [];
    for (let i = 0; i < out.length; i++) {
      const a = out[i]!,
        b = out[(i + 1) % out.length]!;
      const fa = f(a),
        fb = f(b);
      if (fa >= 0) next.push(a);
      if (fa >= 0 !== fb >= 0) {
        const t = fa / (fa - fb);
        next.push([a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1])]);
      }
    }
    out = next;
    if (out.length === 0) return 0;
  }
  return polygonArea(out);
}

function tryAlign(cv: OpenCv, claim: PreparedImage, ref: PreparedImage, mirrored: boolean) {
  const matches = matchFeatures(claim.features, ref.features);
  const alignment = alignMatches(cv, ref.features.points, claim.features.points, matches);
  if (!alignment) return undefined;
  return {
    alignment,
    geometry: geometryOf(
      claim,
      ref,
      alignment,
      matches.map((m) => m.a),
      mirrored,
    ),
  };
}

/** Homography from reference analysis pixels to claim analysis pixels. */
function toAnalysis(
  hFeature: Homography,
  claim: PreparedImage,
  ref: PreparedImage,
  mirrored: boolean,
): Homography {
  let h = compose(
    resampling(claim.gray.width / claim.featureWidth, claim.gray.height / claim.featureHeight),
    compose(
      hFeature,
      resampling(ref.featureWidth / ref.gray.width, ref.featureHeight / ref.gray.height),
    ),
  );
  // Mirroring maps pixel centre x to (width − 1 − x).
  if (mirrored) h = compose(h, [-1, 0, ref.gray.width - 1, 0, 1, 0, 0, 0, 1]);
  return h;
}

/** Is this alignment worth a pixel comparison? Chance consensus among random matches stays small. */
function isPlausible(g: GeometryEvidence): boolean {
  return (
    g.inliers >= 10 &&
    g.footprintShare > 0.02 &&
    g.scale > 0.1 &&
    g.scale < 10 &&
    Number.isFinite(g.perspective) &&
    g.perspective < 0.5
  );
}

/** Compares a prepared claim with one reference. */
export function compareCandidate(
  cv: OpenCv,
  claim: PreparedImage,
  refImage: RasterImage,
  referenceIndex: number,
  settings: CandidateSettings,
): CandidateResult | undefined {
  const refGray = toGray(refImage);
  const ref = prepareImage(cv, refImage, refGray, settings);
  let mirroredRef: PreparedImage | undefined;
  let best = tryAlign(cv, claim, ref, false);
  let mirrored = false;
  if (!best || !isPlausible(best.geometry)) {
    // A mirrored copy: probe cheaply first (a quarter of the pixels, half the
    // keypoints), and pay for the full search only when the probe finds consensus.
    const mirroredGray = mirrorGray(refGray);
    const probeSettings = {
      ...settings,
      featurePixels: settings.featurePixels / 4,
      maxFeatures: settings.maxFeatures / 2,
    };
    const probe = tryAlign(
      cv,
      claim,
      prepareImage(cv, refImage, mirroredGray, probeSettings),
      true,
    );
    if (probe && probe.geometry.inliers >= 8) {
      const flipped = prepareImage(cv, refImage, mirroredGray, settings);
      const alt = tryAlign(cv, claim, flipped, true);
      if (alt && (!best || alt.geometry.inliers > best.geometry.inliers)) {
        best = alt;
        mirrored = true;
        mirroredRef = flipped;
      }
    }
  }
  if (!best) return undefined;
  const homography = toAnalysis(best.alignment.homography, claim, mirroredRef ?? ref, mirrored);
  const result: CandidateResult = { referenceIndex, homography, geometry: best.geometry };
  if (!isPlausible(best.geometry)) return result;
  const frame = buildFrame(cv, claim.image, refImage, homography, settings);
  if (frame) result.frame = frame;
  return result;
}

function buildFrame(
  cv: OpenCv,
  claim: RasterImage,
  ref: RasterImage,
  h: Homography,
  settings: CandidateSettings,
): FrameResult | undefined {
  const corners = projectCorners(h, ref.width, ref.height);
  const xs = corners.map((c) => c[0]);
  const ys = corners.map((c) => c[1]);
  const x0 = Math.max(0, Math.floor(Math.min(...xs)));
  const y0 = Math.max(0, Math.floor(Math.min(...ys)));
  const x1 = Math.min(claim.width, Math.ceil(Math.max(...xs)));
  const y1 = Math.min(claim.height, Math.ceil(Math.max(...ys)));
  if (!(x1 - x0 >= 16 && y1 - y0 >= 16)) return undefined;
  const linear = Math.sqrt(polygonArea(corners) / (ref.width * ref.height));
  // Never sample the claim finer than the reference's own pixels, nor beyond the budget.
  const s = Math.min(
    1,
    fitScale(x1 - x0, y1 - y0, settings.framePixels),
    1 / Math.max(linear, 1e-6),
  );
  const fw = Math.max(8, Math.round((x1 - x0) * s));
  const fh = Math.max(8, Math.round((y1 - y0) * s));
  const claimPlanes = cropResizeChannels(cv, claim, x0, y0, x1 - x0, y1 - y0, fw, fh);
  const sx = fw / (x1 - x0);
  const sy = fh / (y1 - y0);
  let toFrame = compose(resampling(sx, sy), compose(translation(-x0, -y0), h));
  // Shrink the reference by area first when it is finer than the frame, so the
  // bilinear warp neither aliases nor keeps detail the claim never had.
  const refToFrame = linear * s;
  let rw = ref.width;
  let rh = ref.height;
  if (refToFrame < 0.9) {
    rw = Math.max(8, Math.round(ref.width * refToFrame));
    rh = Math.max(8, Math.round(ref.height * refToFrame));
    toFrame = compose(toFrame, resampling(ref.width / rw, ref.height / rh));
  }
  const refPlanes = cropResizeChannels(cv, ref, 0, 0, ref.width, ref.height, rw, rh);
  const comparison = compareFrame(
    cv,
    { claimPlanes, refPlanes },
    toFrame,
    settings.misregistrationPx,
  );
  const frameToClaim = compose(translation(x0, y0), resampling(1 / sx, 1 / sy));
  const refToShrunk = resampling(rw / ref.width, rh / ref.height);
  const refined = normalise(compose(frameToClaim, compose(comparison.homography, refToShrunk)));
  const clippedFootprint = clippedArea(
    projectCorners(refined, ref.width, ref.height),
    claim.width,
    claim.height,
  );
  return {
    ...comparison,
    frameToClaim,
    refined,
    originX: x0,
    originY: y0,
    scaleX: sx,
    scaleY: sy,
    clippedFootprint,
  };
}
