import {
  DEFAULT_THRESHOLDS,
  type Region,
  type Signal,
  type SignalFamily,
  type Verdict,
  type VerdictThresholds,
} from '../model.js';

/**
 * How much one finding of each family can move the score. Reference, reuse
 * and provenance findings are direct evidence (a transformed copy of the
 * merchant's photo, an earlier claim's photo, an AI label); screen cues are
 * circumstantial; local-manipulation statistics are noisy on genuine phone
 * photos that messaging apps re-encode, so alone they must not condemn one.
 */
export const FAMILY_WEIGHTS: Readonly<Record<SignalFamily, number>> = Object.freeze({
  reference: 1,
  reuse: 1,
  provenance: 1,
  screen: 0.55,
  manipulation: 0.3,
});

/** The fused outcome: a score in [0, 1] and what a reviewer should do with it. */
export interface Fusion {
  score: number;
  verdict: Verdict;
}

/**
 * Combines signals by a weighted noisy-OR: each finding is an independent
 * chance that the photo is fabricated, so several moderate findings add up
 * while no number of zero-strength findings moves the score.
 */
export function fuseSignals(
  signals: readonly Signal[],
  thresholds: VerdictThresholds = DEFAULT_THRESHOLDS,
  weights: Readonly<Record<SignalFamily, number>> = FAMILY_WEIGHTS,
): Fusion {
  let innocence = 1;
  for (const signal of signals) {
    const strength = clamp01(signal.strength) * clamp01(weights[signal.family]);
    innocence *= 1 - strength;
  }
  const score = round4(clamp01(1 - innocence));
  return { score, verdict: verdictFor(score, thresholds) };
}

/** Maps a score to a verdict with the configured thresholds. */
export function verdictFor(score: number, thresholds: VerdictThresholds): Verdict {
  if (score >= thresholds.reject) return 'reject';
  if (score >= thresholds.review) return 'review';
  return 'pass';
}

/** Regions from the strongest signals first, overlapping boxes merged, at most `limit`. */
export function collectRegions(signals: readonly Signal[], limit = 8): Region[] {
  const ranked = [...signals]
    .filter((s) => s.regions && s.regions.length > 0 && s.strength > 0)
    .sort((a, b) => b.strength * FAMILY_WEIGHTS[b.family] - a.strength * FAMILY_WEIGHTS[a.family]);
  const out: Region[] = [];
  for (const signal of ranked) {
    for (const region of signal.regions ?? []) {
      if (out.some((r) => overlapRatio(r, region) > 0.6)) continue;
      out.push(region);
      if (out.length >= limit) return out;
    }
  }
  return out;
}

/** Intersection over the smaller box: 1 when one box contains the other. */
export function overlapRatio(a: Region, b: Region): number {
  const w = Math.min(a.x + a.w, b.x + b.w) - Math.max(a.x, b.x);
  const h = Math.min(a.y + a.h, b.y + b.h) - Math.max(a.y, b.y);
  if (w <= 0 || h <= 0) return 0;
  return (w * h) / Math.min(a.w * a.h, b.w * b.h);
}

function clamp01(value: number): number {
  if (!Number.isFinite(value)) return 0;
  return Math.min(1, Math.max(0, value));
}

function round4(value: number): number {
  return Math.round(value * 10_000) / 10_000;
}
