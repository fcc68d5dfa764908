/**
 * The reference check: is the claim a transformed copy of one of the
 * merchant's reference images, and if so, what was added to it? Produces the
 * `reference.*` signals, the changed regions in original claim pixels, and
 * rasters for the reviewer's overlay.
 */
import { EvidenceError } from '../errors.js';
import type { Region, RasterImage, Signal } from '../model.js';
import {
  type CandidateResult,
  type CandidateSettings,
  compareCandidate,
  DEFAULT_CANDIDATE_SETTINGS,
  type FrameResult,
  prepareImage,
} from './candidate.js';
import { changeConfidence, decideDerived, type DerivedDecision } from './decide.js';
import {
  describeChangeKind,
  describeLocation,
  describeTransform,
  summariseTransform,
} from './describe.js';
import { compose, normalise, scaling } from './homography.js';
import { loadOpenCv, type OpenCv } from './opencv.js';
import { toGray } from './raster.js';
import { type ChangeBox, findChanges } from './regions.js';
import { warpRgb } from './warp.js';

/** Options of {@link compareWithReferences}. */
export interface ReferenceComparisonOptions {
  /** Size of the claim before it was downscaled for analysis; regions are given in these pixels. */
  claimOriginalSize?: { width: number; height: number };
  /** Names shown in reasons, in the order of `references` (default "#1", "#2", …). */
  referenceLabels?: readonly string[];
  /** Working sizes; the defaults suit analysis copies up to ~1600 px. */
  settings?: Partial<CandidateSettings>;
  /** Build the change map and aligned reference rasters (default true). */
  artifacts?: boolean;
}

/** The reference the claim matches best and how. */
export interface BestReferenceMatch {
  referenceIndex: number;
  /** Row-major homography from the reference's (analysis copy) pixels to ORIGINAL claim pixels. */
  homography: number[];
  matches: number;
  inliers: number;
  inlierRatio: number;
  /** Share of the feature-bearing overlap holding consensus matches. */
  coverage: number;
  /** Median keypoint reprojection error, in claim feature pixels. */
  residualPx: number;
  /** Median local correlation between the claim and the explained reference. */
  similarity: number;
  /** Probability that the claim is derived from this reference. */
  derivedProbability: number;
  mirrored: boolean;
}

/** Everything the reference check found. */
export interface ReferenceComparison {
  signals: Signal[];
  /** Changed areas in original claim pixels, strongest first (only for derived claims). */
  regions: Region[];
  best?: BestReferenceMatch;
  /** |difference| in noise units ×20, gray, at the claim's analysis size; 0 where not compared. */
  changeMap?: RasterImage;
  /** The best reference warped onto the claim (analysis size), black where it does not reach. */
  alignedReference?: RasterImage;
}

/** Derived probability above which changes are reported as edits of the reference. */
const DERIVED_AT = 0.5;
/** At most this many regions are reported. */
const MAX_REGIONS = 5;

interface Scored {
  candidate: CandidateResult;
  decision: DerivedDecision;
}

/** Compares a claim (analysis copy, RGB) with each reference and reports the best explanation. */
export async function compareWithReferences(
  claim: RasterImage,
  references: readonly RasterImage[],
  options: ReferenceComparisonOptions = {},
): Promise<ReferenceComparison> {
  if (
    !(claim.width > 0 && claim.height > 0) ||
    claim.data.length < claim.width * claim.height * claim.channels
  ) {
    throw new EvidenceError('EVIDENCE_CORRUPT', 'invalid', 'Claim pixels are empty or truncated.');
  }
  const labels = references.map((_, i) => options.referenceLabels?.[i] ?? `#${i + 1}`);
  if (references.length === 0) return { signals: [noReferenceSignal()], regions: [] };
  const { cv } = await loadOpenCv();
  const settings = { ...DEFAULT_CANDIDATE_SETTINGS, ...options.settings };
  const original = options.claimOriginalSize ?? { width: claim.width, height: claim.height };
  const prepared = prepareImage(cv, claim, toGray(claim), settings);
  const scored: Scored[] = [];
  references.forEach((ref, index) => {
    if (
      !(ref.width >= 8 && ref.height >= 8) ||
      ref.data.length < ref.width * ref.height * ref.channels
    )
      return;
    const candidate = compareCandidate(cv, prepared, ref, index, settings);
    if (!candidate) return;
    scored.push({
      candidate,
      decision: decideDerived(candidate.frame && candidate.geometry, candidate.frame?.evidence),
    });
  });
  const best = scored.reduce<Scored | undefined>(
    (a, b) => (!a || b.decision.logit > a.decision.logit ? b : a),
    undefined,
  );
  if (!best?.candidate.frame) return { signals: notDerivedSignals(labels), regions: [] };
  return report(
    cv,
    claim,
    references,
    best,
    best.candidate.frame,
    labels,
    original,
    options.artifacts ?? true,
  );
}

function report(
  cv: OpenCv,
  claim: RasterImage,
  references: readonly RasterImage[],
  best: Scored,
  frame: FrameResult,
  labels: string[],
  original: { width: number; height: number },
  artifacts: boolean,
): ReferenceComparison {
  const { candidate, decision } = best;
  const ref = references[candidate.referenceIndex]!;
  const p = decision.probability;
  const kx = original.width / claim.width;
  const ky = original.height / claim.height;
  const boxes =
    p >= DERIVED_AT ? findChanges(cv, frame.z, frame.mask, frame.width, frame.height) : [];
  const confident = boxes
    .map((box) => ({ box, confidence: changeConfidence(box) }))
    .filter((b) => b.confidence >= 0.5)
    .slice(0, MAX_REGIONS);
  const toOriginal = (b: ChangeBox): Region => {
    const x0 = Math.max(0, Math.floor((frame.originX + b.x / frame.scaleX) * kx));
    const y0 = Math.max(0, Math.floor((frame.originY + b.y / frame.scaleY) * ky));
    const x1 = Math.min(
      original.width,
      Math.ceil((frame.originX + (b.x + b.w) / frame.scaleX) * kx),
    );
    const y1 = Math.min(
      original.height,
      Math.ceil((frame.originY + (b.y + b.h) / frame.scaleY) * ky),
    );
    return { x: x0, y: y0, w: Math.max(1, x1 - x0), h: Math.max(1, y1 - y0) };
  };
  const regions = confident.map((c) => toOriginal(c.box));
  const changeStrength = confident.length > 0 ? confident[0]!.confidence : 0;
  const transform = summariseTransform(
    frame.refined,
    ref.width,
    ref.height,
    claim.width,
    claim.height,
    candidate.geometry,
    frame.clippedFootprint,
  );
  const how = describeTransform(transform);
  const label = labels[candidate.referenceIndex]!;
  const ordinal = candidate.referenceIndex + 1;
  const homography = normalise(compose(scaling(kx, ky), frame.refined));
  const details = {
    referenceIndex: candidate.referenceIndex,
    referenceLabel: label,
    probability: round(p),
    contributions: decision.contributions.map((c) => ({
      ...c,
      value: round(c.value),
      logit: round(c.logit),
    })),
    geometry: roundAll({ ...candidate.geometry }),
    photometry: roundAll({ ...frame.evidence }),
    transform: roundAll({ ...transform }),
  };
  const signals: Signal[] = [];
  const derivedReason =
    p >= DERIVED_AT
      ? {
          zh: `该照片由商家第${ordinal}张参考图（${label}）${how.zh}后生成：同一平面变换几乎完美解释整张图，与参考图逐块一致。`,
          en: `This photo was made from the merchant's reference ${ordinal} (${label}), ${how.en}: one planar transform explains the whole picture and it matches the reference block by block.`,
        }
      : {
          zh: `该照片与商家第${ordinal}张参考图（${label}）内容相近，但存在视差、光照或噪声差异，更像是另行拍摄的新照片。`,
          en: `This photo resembles the merchant's reference ${ordinal} (${label}), but parallax, lighting or noise differences indicate a separate new photo.`,
        };
  signals.push({
    id: 'reference.derived',
    family: 'reference',
    strength: round(p),
    reason: derivedReason,
    details,
  });
  if (p >= DERIVED_AT && confident.length > 0) {
    const top = confident[0]!.box;
    const where = describeLocation(
      frame.originX + top.x / frame.scaleX,
      frame.originY + top.y / frame.scaleY,
      top.w / frame.scaleX,
      top.h / frame.scaleY,
      claim.width,
      claim.height,
    );
    const what = describeChangeKind(
      top.area / Math.max(1, top.w * top.h),
      top.meanSigned,
      top.meanZ,
    );
    const more =
      confident.length > 1
        ? {
            zh: `，另有${confident.length - 1}处改动`,
            en: `, plus ${confident.length - 1} more change(s)`,
          }
        : { zh: '', en: '' };
    signals.push({
      id: 'reference.local_change',
      family: 'reference',
      strength: round(p * changeStrength),
      reason: {
        zh: `该照片由商家第${ordinal}张参考图${how.zh}生成，且在${where.zh}有${what.zh}${more.zh}。`,
        en: `This photo was made from the merchant's reference ${ordinal}, ${how.en}, with ${what.en} at the ${where.en}${more.en}.`,
      },
      regions,
      details: {
        changes: confident.map((c) => ({
          ...roundAll({ ...c.box }),
          confidence: round(c.confidence),
        })),
      },
    });
  } else {
    signals.push({
      id: 'reference.local_change',
      family: 'reference',
      strength: 0,
      reason: noChangeReason(p),
    });
  }
  const reuseStrength = p >= DERIVED_AT ? round(p * (1 - changeStrength)) : 0;
  signals.push({
    id: 'reference.unedited_reuse',
    family: 'reference',
    strength: reuseStrength,
    reason:
      reuseStrength > 0
        ? {
            zh: `该照片就是商家第${ordinal}张参考图（${how.zh}），未见局部改动：直接挪用商品图本身即为伪造证据。`,
            en: `This photo is the merchant's reference ${ordinal} (${how.en}) with no local change: reusing the listing photo is itself fabricated evidence.`,
          }
        : { zh: '未发现直接挪用参考图。', en: 'No unedited reuse of a reference was found.' },
  });
  const result: ReferenceComparison = {
    signals,
    regions: p >= DERIVED_AT ? regions : [],
    best: {
      referenceIndex: candidate.referenceIndex,
      homography: homography.map((v) => Number(v.toPrecision(8))),
      matches: candidate.geometry.matches,
      inliers: candidate.geometry.inliers,
      inlierRatio: round(candidate.geometry.inlierRatio),
      coverage: round(candidate.geometry.coverage),
      residualPx: round(candidate.geometry.residualPx),
      similarity: round(frame.evidence.blockCorr),
      derivedProbability: round(p),
      mirrored: candidate.geometry.mirrored,
    },
  };
  if (artifacts) {
    result.changeMap = changeMapRaster(frame, claim.width, claim.height);
    if (p >= DERIVED_AT)
      result.alignedReference = warpRgb(ref, frame.refined, claim.width, claim.height);
  }
  return result;
}

/** Paints |z| of the frame back onto the claim's analysis grid. */
function changeMapRaster(frame: FrameResult, width: number, height: number): RasterImage {
  const data = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    const fy = Math.floor((y + 0.5 - frame.originY) * frame.scaleY);
    if (fy < 0 || fy >= frame.height) continue;
    for (let x = 0; x < width; x++) {
      const fx = Math.floor((x + 0.5 - frame.originX) * frame.scaleX);
      if (fx < 0 || fx >= frame.width) continue;
      const i = fy * frame.width + fx;
      if (frame.mask[i])
        data[y * width + x] = Math.min(255, Math.round(Math.abs(frame.z[i]!) * 20));
    }
  }
  return { width, height, channels: 1, data };
}

function noChangeReason(p: number): { zh: string; en: string } {
  return p >= DERIVED_AT
    ? { zh: '与参考图相比未发现局部改动。', en: 'No local change compared with the reference.' }
    : {
        zh: '照片并非由参考图生成，不比对局部改动。',
        en: 'The photo is not derived from a reference, so no local change is reported.',
      };
}

function noReferenceSignal(): Signal {
  return {
    id: 'reference.derived',
    family: 'reference',
    strength: 0,
    reason: {
      zh: '未提供参考图，未做比对。',
      en: 'No reference images were supplied, so none was compared.',
    },
  };
}

function notDerivedSignals(labels: string[]): Signal[] {
  return [
    {
      id: 'reference.derived',
      family: 'reference',
      strength: 0,
      reason: {
        zh: `与${labels.length}张参考图均无一致的几何对应，照片不是由参考图生成的。`,
        en: `No consistent geometric correspondence with any of the ${labels.length} reference(s): the photo is not derived from them.`,
      },
    },
    { id: 'reference.local_change', family: 'reference', strength: 0, reason: noChangeReason(0) },
    {
      id: 'reference.unedited_reuse',
      family: 'reference',
      strength: 0,
      reason: { zh: '未发现直接挪用参考图。', en: 'No unedited reuse of a reference was found.' },
    },
  ];
}

function round(v: number): number {
  return Number.isFinite(v) ? Math.round(v * 1000) / 1000 : v;
}

function roundAll<T extends object>(o: T): T {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) out[k] = typeof v === 'number' ? round(v) : v;
  return out as T;
}
