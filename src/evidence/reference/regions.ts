/**
 * Turns the normalised difference map into a few tight boxes around what was
 * added or replaced: threshold, morphological closing, connected components,
 * then grouping of fragments (crack branches, stain satellites) around
 * components strong enough to stand on their own.
 */
import { type OpenCv, withScope } from './opencv.js';

/** A changed area in frame pixels with the evidence behind it. */
export interface ChangeBox {
  x: number;
  y: number;
  w: number;
  h: number;
  /** Pixels above the low threshold. */
  area: number;
  /** Mean smoothed |z| over those pixels. */
  meanZ: number;
  /** Largest smoothed |z| away from the footprint's edge. */
  peakZ: number;
  /** Mean signed z over the same pixels: negative when the claim got darker. */
  meanSigned: number;
  /** Logit that this is a real edit (see {@link changeLogit}). */
  logit: number;
}

/** Thresholds for change detection, in noise units of the normalised map. */
export interface ChangeThresholds {
  /** Pixels above this may belong to a change. */
  low: number;
  /** A change needs a pixel above this away from the footprint's edge. */
  high: number;
  /** Components smaller than this share of the footprint are ignored. */
  minAreaShare: number;
}

/** Defaults: recompression, resampling and moiré stay below `high` on the development set. */
export const DEFAULT_CHANGE_THRESHOLDS: ChangeThresholds = Object.freeze({
  low: 2.5,
  high: 9,
  minAreaShare: 0.0001,
});

/**
 * Evidence that a component is a real edit: 0.1 % of the footprint at a mean
 * of 6 and a peak of 15 noise units sits at logit 0; size counts most.
 */
export function changeLogit(areaShare: number, meanZ: number, peakZ: number): number {
  return (
    1.2 * Math.log2(areaShare / 0.001) +
    0.8 * Math.log2(meanZ / 6) +
    0.5 * Math.log2(Math.max(peakZ, 1) / 15)
  );
}

interface Component {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
  area: number;
  sum: number;
  signed: number;
  peak: number;
  labels: number[];
}

/**
 * Finds changed areas in `z` (signed, noise units) within `mask`; returns
 * boxes sorted by evidence, strongest first.
 */
export function findChanges(
  cv: OpenCv,
  z: Float32Array,
  mask: Uint8Array,
  width: number,
  height: number,
  thresholds: ChangeThresholds = DEFAULT_CHANGE_THRESHOLDS,
): ChangeBox[] {
  let footprint = 0;
  for (let i = 0; i < mask.length; i++) footprint += mask[i]!;
  if (footprint === 0) return [];
  const minArea = Math.max(6, thresholds.minAreaShare * footprint);
  const diag = Math.hypot(width, height);
  return withScope((scope) => {
    const absZ = scope.track(new cv.Mat(height, width, cv.CV_32FC1));
    const a = absZ.data32F;
    for (let i = 0; i < a.length; i++) a[i] = mask[i] ? Math.abs(z[i]!) : 0;
    // A light box mean lets soft stains reach the threshold and silences lone noisy pixels.
    const smooth = scope.track(new cv.Mat());
    cv.blur(absZ, smooth, new cv.Size(3, 3), new cv.Point(-1, -1), cv.BORDER_REFLECT);
    const s = smooth.data32F;
    const bin = scope.track(new cv.Mat(height, width, cv.CV_8UC1));
    const b = bin.data;
    for (let i = 0; i < s.length; i++) b[i] = s[i]! > thresholds.low ? 255 : 0;
    const close = Math.max(3, Math.round(diag / 200) | 1);
    const kClose = scope.track(
      cv.getStructuringElement(cv.MORPH_ELLIPSE, new cv.Size(close, close)),
    );
    cv.morphologyEx(bin, bin, cv.MORPH_CLOSE, kClose);
    // Seeds must lie away from the footprint's edge: where interface and picture
    // meet, resampling and JPEG leave thin strips that are not edits.
    const edge = Math.max(6, Math.round(diag * 0.01));
    const interior = scope.track(new cv.Mat(height, width, cv.CV_8UC1));
    interior.data.set(mask);
    const kEdge = scope.track(
      cv.getStructuringElement(cv.MORPH_RECT, new cv.Size(2 * edge + 1, 2 * edge + 1)),
    );
    cv.erode(
      interior,
      interior,
      kEdge,
      new cv.Point(-1, -1),
      1,
      cv.BORDER_CONSTANT,
      new cv.Scalar(0),
    );
    const inner = interior.data;
    const labels = scope.track(new cv.Mat());
    const n = cv.connectedComponentsWithStats(
      bin,
      labels,
      scope.track(new cv.Mat()),
      scope.track(new cv.Mat()),
      8,
      cv.CV_32S,
    );
    const lab = labels.data32S;
    // Per-label statistics in typed arrays: noisy maps can hold thousands of specks.
    const x0 = new Int32Array(n).fill(width),
      y0 = new Int32Array(n).fill(height);
    const x1 = new Int32Array(n).fill(-1),
      y1 = new Int32Array(n).fill(-1);
    const area = new Uint32Array(n),
      peak = new Float32Array(n);
    const sum = new Float64Array(n),
      signed = new Float64Array(n);
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const i = y * width + x;
        const l = lab[i]!;
        if (l === 0) continue;
        const v = s[i]!;
        if (inner[i] && v > peak[l]!) peak[l] = v;
        if (v <= thresholds.low) continue;
        area[l]!++;
        sum[l]! += v;
        signed[l]! += z[i]!;
        if (x < x0[l]!) x0[l] = x;
        if (y < y0[l]!) y0[l] = y;
        if (x > x1[l]!) x1[l] = x;
        if (y > y1[l]!) y1[l] = y;
      }
    }
    const comps: Component[] = [];
    for (let l = 1; l < n; l++) {
      if (area[l]! < minArea || peak[l]! < thresholds.low + 1) continue;
      comps.push({
        x0: x0[l]!,
        y0: y0[l]!,
        x1: x1[l]!,
        y1: y1[l]!,
        area: area[l]!,
        sum: sum[l]!,
        signed: signed[l]!,
        peak: peak[l]!,
        labels: [l],
      });
    }
    const logitOf = (c: Component): number =>
      changeLogit(c.area / footprint, c.sum / c.area, c.peak);
    const isStrong = (c: Component): boolean => c.peak >= thresholds.high && logitOf(c) >= -1;
    const strong = comps.filter(isStrong);
    const weak = comps.filter((c) => !isStrong(c));
    const groups = group(strong, weak, diag * 0.02);
    return groups
      .map((c): ChangeBox => ({
        x: c.x0,
        y: c.y0,
        w: c.x1 - c.x0 + 1,
        h: c.y1 - c.y0 + 1,
        area: c.area,
        meanZ: c.sum / c.area,
        peakZ: c.peak,
        meanSigned: c.signed / c.area,
        logit: logitOf(c),
      }))
      .sort((p, q) => q.logit - p.logit);
  });
}

function gap(a: Component, b: Component): number {
  const dx = Math.max(0, Math.max(a.x0, b.x0) - Math.min(a.x1, b.x1));
  const dy = Math.max(0, Math.max(a.y0, b.y0) - Math.min(a.y1, b.y1));
  return Math.hypot(dx, dy);
}

function absorb(into: Component, c: Component): void {
  into.x0 = Math.min(into.x0, c.x0);
  into.y0 = Math.min(into.y0, c.y0);
  into.x1 = Math.max(into.x1, c.x1);
  into.y1 = Math.max(into.y1, c.y1);
  into.area += c.area;
  into.sum += c.sum;
  into.signed += c.signed;
  into.peak = Math.max(into.peak, c.peak);
  into.labels.push(...c.labels);
}

/**
 * Merges strong components closer than `distance` (fragments of one crack),
 * then lets each weak component join the nearest group within that distance.
 * Weak components never start a group, so scattered noise cannot chain up.
 */
function group(strong: Component[], weak: Component[], distance: number): Component[] {
  const groups = strong.map((c) => ({ ...c, labels: [...c.labels] }));
  let merged = true;
  while (merged) {
    merged = false;
    for (let i = 0; i < groups.length && !merged; i++) {
      for (let j = i + 1; j < groups.length && !merged; j++) {
        if (gap(groups[i]!, groups[j]!) > distance) continue;
        absorb(groups[i]!, groups[j]!);
        groups.splice(j, 1);
        merged = true;
      }
    }
  }
  for (const w of weak) {
    let best: Component | undefined;
    let bestGap = distance;
    for (const g of groups) {
      const d = gap(g, w);
      if (d <= bestGap) {
        best = g;
        bestGap = d;
      }
    }
    if (best) absorb(best, w);
  }
  return groups;
}
