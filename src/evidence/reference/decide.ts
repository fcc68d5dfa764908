/**
 * The "derived from this reference" decision: a hand-set logistic model over
 * five interpretable measurements, each centred where copies and new
 * photographs meet on the development set and clamped so no single one can
 * decide alone. A copy is explained by one homography to a few hundredths of
 * a pixel with near-zero residual noise; a new viewpoint leaves parallax
 * shifts, sensor and lighting differences, and perspective a buyer's phone
 * (not a resize, crop or screen photo) would add.
 */
import type { GeometryEvidence } from './candidate.js';
import type { PhotometricEvidence } from './change-map.js';
import type { ChangeBox } from './regions.js';

/** One feature's share of the decision, for the report. */
export interface Contribution {
  feature: string;
  value: number;
  logit: number;
}

/** Probability that the claim is a transformed copy of the reference, with its reasons. */
export interface DerivedDecision {
  probability: number;
  logit: number;
  contributions: Contribution[];
}

const clamp = (v: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, v));
const sigmoid = (z: number): number => 1 / (1 + Math.exp(-z));

/** Logit when the pixels could not be compared at all (no consistent geometry). */
const NO_MATCH_LOGIT = -8;

/** Scores how likely the claim is derived from the reference behind this evidence. */
export function decideDerived(
  geometry: GeometryEvidence | undefined,
  photometry: PhotometricEvidence | undefined,
): DerivedDecision {
  if (!geometry || !photometry)
    return { probability: sigmoid(NO_MATCH_LOGIT), logit: NO_MATCH_LOGIT, contributions: [] };
  const parts: Contribution[] = [{ feature: 'bias', value: 1, logit: 1.5 }];
  // Residual block shift after dense refinement: copies sit at 0.01–0.1 px, new viewpoints at 0.2–1.2 px.
  if (Number.isFinite(photometry.shiftMedian)) {
    const v = photometry.shiftMedian;
    parts.push({
      feature: 'shiftPx',
      value: v,
      logit: -1.0 * clamp(Math.log2(Math.max(v, 0.01) / 0.15), -3, 3),
    });
  }
  // Unexplained difference after tone and gain removal (gray levels): recompression stays near 1–3.
  parts.push({
    feature: 'noise',
    value: photometry.noise,
    logit: -1.5 * clamp(Math.log2(photometry.noise / 3.5), -3, 3),
  });
  // Local correlation: a copy correlates everywhere except the edit.
  if (photometry.texturedBlocks >= 8) {
    parts.push({
      feature: 'corrShare',
      value: photometry.corrShare,
      logit: 0.5 * clamp((photometry.corrShare - 0.85) / 0.1, -6, 1.5),
    });
  }
  // Strong perspective is what a new camera position adds; screen photos add a little.
  parts.push({
    feature: 'perspective',
    value: geometry.perspective,
    logit: -0.7 * Math.min(geometry.perspective / 0.05, 4),
  });
  // Share of keypoint matches one homography explains.
  parts.push({
    feature: 'inlierRatio',
    value: geometry.inlierRatio,
    logit: 0.8 * clamp((geometry.inlierRatio - 0.85) / 0.1, -5, 1.5),
  });
  const logit = parts.reduce((s, p) => s + p.logit, 0);
  return { probability: sigmoid(logit), logit, contributions: parts };
}

/** Confidence in [0, 1] that a change box is a real local edit rather than residual misfit. */
export function changeConfidence(box: ChangeBox): number {
  return sigmoid(box.logit);
}
