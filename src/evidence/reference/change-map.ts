/**
 * Compares the claim with the reference warped into the same frame: refines
 * the alignment densely, explains global colour edits (a tone curve per
 * channel, then a smooth gain field when it clearly helps) and returns a
 * noise- and edge-normalised difference map plus the photometric evidence
 * that the two are one picture.
 */
import { measureBlocks } from './blocks.js';
import { gaussian } from './filters.js';
import type { Homography } from './homography.js';
import type { OpenCv } from './opencv.js';
import { applyCurve, fitCurve, fitGainField, gainImage } from './photometry.js';
import { type FloatImage, type GrayImage, lumaOf } from './raster.js';
import { BLOCK, refineAlignment } from './refine.js';
import { absQuantile, quantile } from './stats.js';
import { warpPlanesBilinear } from './warp.js';

/** Photometric measurements of how well the warped reference explains the claim. */
export interface PhotometricEvidence {
  /** Share of the footprint whose normalised difference stays below 3. */
  agreeShare: number;
  /** Median normalised cross-correlation over textured blocks. */
  blockCorr: number;
  /** Share of textured blocks correlating above 0.9. */
  corrShare: number;
  /** Median residual shift of conditioned blocks after refinement (frame pixels). */
  shiftMedian: number;
  /** Share of conditioned blocks still displaced by more than 0.75 px: parallax. */
  shiftedShare: number;
  /** Blur applied to the reference to match the claim (frame pixels). */
  refBlur: number;
  /** Robust noise level of the difference (gray levels). */
  noise: number;
  /** Textured blocks behind the correlation statistics. */
  texturedBlocks: number;
  /** How far dense refinement moved the frame's corners (frame pixels). */
  refinementPx: number;
  /** Whether a smooth gain field (vignetting) was needed. */
  gainField: boolean;
}

/** The normalised difference map and the evidence drawn from it. */
export interface FrameComparison {
  width: number;
  height: number;
  /** Signed difference in noise units (claim minus explained reference); 0 outside the mask. */
  z: Float32Array;
  /** 1 where the reference covers the frame. */
  mask: Uint8Array;
  /** Refined reference → frame homography. */
  homography: Homography;
  evidence: PhotometricEvidence;
}

/** The claim frame and the reference, as 1 (gray) or 3 (RGB) planes each. */
export interface FramePair {
  claimPlanes: GrayImage[];
  refPlanes: GrayImage[];
}

/** Reference planes warped into the frame, next to the claim's planes as float. */
interface WarpedPlanes {
  claim: FloatImage[];
  ref: FloatImage[];
}

function warpPlanes(pair: FramePair, h: Homography, width: number, height: number): WarpedPlanes {
  const planes = pair.claimPlanes.length === pair.refPlanes.length ? pair.refPlanes.length : 1;
  const claim: FloatImage[] = [];
  for (let k = 0; k < planes; k++)
    claim.push({ width, height, data: Float32Array.from(pair.claimPlanes[k]!.data) });
  const ref = warpPlanesBilinear(pair.refPlanes.slice(0, planes), h, width, height, 2).images;
  return { claim, ref };
}

/**
 * Predicts the claim's luma from the warped reference with one tone curve
 * per colour channel (gamma, contrast, brightness and colour cast act per
 * channel, so a single luma curve would leave hue-dependent residue).
 */
function predictLuma(planes: WarpedPlanes, mask: Uint8Array): FloatImage {
  return lumaOf(
    planes.ref.map((r, k) => ({ ...r, data: applyCurve(fitCurve(planes.claim[k]!, r, mask), r) })),
  );
}

/** Smallest spread of a gain field (relative) worth modelling: milder vignetting is noise. */
const MIN_GAIN_SPREAD = 0.02;

/** Signed residual claim − model. */
function residual(cb: FloatImage, model: Float32Array): Float32Array {
  const out = new Float32Array(model.length);
  for (let i = 0; i < out.length; i++) out[i] = cb.data[i]! - model[i]!;
  return out;
}

/**
 * The claim's blurred luma explained by the reference: per-channel tone
 * curves, a last luma curve, then (when `withGain`) a smooth gain field kept
 * only if it is not flat and clearly helps, so it cannot bend around a large edit.
 */
function explain(
  cv: OpenCv,
  cb: FloatImage,
  planes: WarpedPlanes,
  mask: Uint8Array,
  blur: number,
  withGain: boolean,
): { p: Float32Array; diff: Float32Array; useGain: boolean } {
  const { width, height } = cb;
  const predicted = gaussian(cv, predictLuma(planes, mask), blur);
  // A last luma curve absorbs what blurring after the channel curves bent.
  const plain = applyCurve(fitCurve(cb, predicted, mask), predicted);
  const plainDiff = residual(cb, plain);
  if (!withGain) return { p: plain, diff: plainDiff, useGain: false };
  const coef = fitGainField(cb, plain, mask);
  const probe = gainImage(coef, 16, 16);
  const spread = Math.max(...probe) - Math.min(...probe);
  if (spread < MIN_GAIN_SPREAD) return { p: plain, diff: plainDiff, useGain: false };
  const gain = gainImage(coef, width, height);
  const gained = applyCurve(fitCurve(cb, predicted, mask, gain), predicted);
  // Highlights the claim clipped stay clipped whatever the gain field says.
  const ceiling =
    255 -
    absQuantile(
      plainDiff.map((_, i) => 255 - cb.data[i]!),
      mask,
      0.005,
    );
  for (let i = 0; i < gained.length; i++) gained[i] = Math.min(ceiling, gained[i]! * gain[i]!);
  const gainedDiff = residual(cb, gained);
  const useGain = absQuantile(gainedDiff, mask, 0.5) < 0.85 * absQuantile(plainDiff, mask, 0.5);
  return useGain
    ? { p: gained, diff: gainedDiff, useGain }
    : { p: plain, diff: plainDiff, useGain };
}

/**
 * Compares a claim frame with the reference, which `toFrame` maps into it;
 * refines `toFrame` first so that only genuine differences remain.
 */
export function compareFrame(
  cv: OpenCv,
  pair: FramePair,
  toFrame: Homography,
  misregistrationPx: number,
): FrameComparison {
  const claim = lumaOf(pair.claimPlanes);
  const ref =
    pair.refPlanes.length === 1 ? pair.refPlanes[0]! : toGrayPlane(lumaOf(pair.refPlanes));
  const { width, height } = claim;
  const r = refineAlignment(cv, claim, ref, toFrame);
  const { mask, homography } = r;
  const cb = r.claimBlurred;
  const planes = warpPlanes(pair, homography, width, height);
  // Fit twice: the second time without the pixels the first fit could not explain,
  // so a large stain or patch cannot drag the tone curves (and light up similar tones elsewhere).
  const first = explain(cv, cb, planes, mask, r.totalBlur, false).diff;
  const firstNoise = Math.max(1, 1.4826 * absQuantile(first, mask, 0.5));
  const limit = Math.max(6, 4 * firstNoise);
  const inliers = mask.map((m, i) => (m && Math.abs(first[i]!) < limit ? 1 : 0));
  const { p, diff, useGain } = explain(cv, cb, planes, inliers, r.totalBlur, true);
  const noise = Math.max(1, 1.4826 * absQuantile(diff, mask, 0.5));

  const z = new Float32Array(p.length);
  let inside = 0;
  let agree = 0;
  for (let y = 1; y < height - 1; y++) {
    for (let x = 1; x < width - 1; x++) {
      const i = y * width + x;
      if (!mask[i]) continue;
      const gx = (p[i + 1]! - p[i - 1]!) / 2;
      const gy = (p[i + width]! - p[i - width]!) / 2;
      // Edge-aware: a fraction of a pixel of misregistration on a strong edge is not a change.
      const scale = Math.sqrt(
        noise * noise + misregistrationPx * misregistrationPx * (gx * gx + gy * gy),
      );
      // Near-saturated colour: decoding clips channels differently after re-encoding.
      let top = 0;
      for (let k = 0; k < planes.claim.length; k++)
        top = Math.max(top, planes.claim[k]!.data[i]!, planes.ref[k]!.data[i]!);
      const clipped = top <= 235 ? 0 : Math.min(1, (top - 235) / 20);
      const v = diff[i]! / (scale * (1 + 2 * clipped));
      z[i] = v;
      inside++;
      if (Math.abs(v) < 3) agree++;
    }
  }
  const blocks = measureBlocks(cb.data, p, mask, width, height, BLOCK);
  const corr = blocks.map((b) => b.corr).filter(Number.isFinite);
  const shifts = blocks.filter((b) => Number.isFinite(b.dx)).map((b) => Math.hypot(b.dx, b.dy));
  return {
    width,
    height,
    z,
    mask,
    homography,
    evidence: {
      agreeShare: inside > 0 ? agree / inside : 0,
      blockCorr: corr.length > 0 ? quantile(corr, 0.5) : 0,
      corrShare: corr.length > 0 ? corr.filter((c) => c > 0.9).length / corr.length : 0,
      shiftMedian: shifts.length > 0 ? quantile(shifts, 0.5) : Number.NaN,
      shiftedShare:
        shifts.length > 0 ? shifts.filter((s) => s > 0.75).length / shifts.length : Number.NaN,
      refBlur: r.refBlur,
      noise,
      texturedBlocks: corr.length,
      refinementPx: r.movedPx,
      gainField: useGain,
    },
  };
}

function toGrayPlane(image: FloatImage): GrayImage {
  const data = new Uint8Array(image.data.length);
  for (let i = 0; i < data.length; i++) data[i] = Math.round(image.data[i]!);
  return { width: image.width, height: image.height, data };
}
