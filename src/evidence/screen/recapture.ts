/**
 * Screen re-capture cues: a photo of a screen shows the screen's dark bezel
 * as straight, slightly tilted borders (a perspective-warped rectangle), and
 * often moiré, the beat between the screen's pixel grid and the camera's,
 * as sharp peaks in the spectrum that recur all over the picture. Moiré
 * alone proves little (fabrics, interlaced video and resampled JPEG blocks
 * make such peaks too), so it only strengthens a bezel. Vignetting and
 * colour cast are recorded for the reviewer but do not count: ordinary
 * photos have them too.
 */
import type { RasterImage } from '../model.js';
import { powerSpectrum } from './fft.js';
import { boxMean } from '../manipulation/raster-ops.js';
import { clamp, luma, median } from './pixels.js';

/** One straight dark border along an image side. */
export interface BezelSide {
  side: 'left' | 'right' | 'top' | 'bottom';
  /** Border line as offset = slope · position + intercept, in analysis pixels from the side. */
  slope: number;
  intercept: number;
  /** Share of scan lines whose dark-to-bright step lies on the line. */
  coverage: number;
  /** Mean grey level of the border band. */
  darkness: number;
}

/** What the re-capture analysis found. */
export interface RecaptureFinding {
  bezel: BezelSide[];
  /** Looked for only when a bezel side was found. */
  moire?: { strength: number; period: number; angleDeg: number; tiles: number; agreeing: number };
  /** Mean brightness of the corners relative to the centre. */
  vignetting: number;
  /** Mean R/G and B/G ratios. */
  colourCast: { rg: number; bg: number };
}

const DARK = 60;

/** Looks for a bezel, moiré, vignetting and colour cast in analysis-size pixels. */
export function analyseRecapture(image: RasterImage): RecaptureFinding {
  const grey = luma(image);
  const bezel = (['left', 'right', 'top', 'bottom'] as const)
    .map((side) => findBezelSide(grey, image.width, image.height, side))
    .filter((s): s is BezelSide => s !== undefined);
  // Periodic detail also comes from fabrics, interlaced video and resampled JPEG blocks, so
  // moiré only corroborates a bezel; without one, the spectra are not worth computing.
  const moire = bezel.length > 0 ? findMoire(grey, image.width, image.height) : undefined;
  return {
    bezel,
    ...(moire ? { moire } : {}),
    vignetting: vignetting(grey, image.width, image.height),
    colourCast: colourCast(image),
  };
}

/** Strength of the re-capture cues together, in [0, 1]. */
export function recaptureStrength(f: RecaptureFinding): number {
  const sides = f.bezel.length;
  const tilted = f.bezel.some((s) => Math.abs(s.slope) > 0.004);
  // Three or four straight dark borders frame a screen; one could be a door frame.
  let bezel = sides >= 3 ? 0.45 : sides === 2 ? 0.3 : sides === 1 ? 0.12 : 0;
  if (!tilted) bezel *= 0.6;
  // Moiré next to a bezel adds up (it is only looked for when there is one).
  const m = f.moire ? clamp((f.moire.strength - 1.3) / 1.5, 0.2, 1) : 0;
  const s = 1 - (1 - bezel) * (1 - 0.35 * m);
  return Math.round(clamp(s, 0, 0.8) * 100) / 100;
}

/**
 * Scans lines inward from one side: past an optional lighter surround (the
 * room around the screen), through a dark band at least a few pixels wide
 * (the bezel), to a sharp step up into the picture. The steps must fall on
 * one straight line along most of the side, and the band must be evenly dark.
 */
function findBezelSide(
  grey: Float32Array,
  W: number,
  H: number,
  side: BezelSide['side'],
): BezelSide | undefined {
  const horizontal = side === 'left' || side === 'right';
  const lines = horizontal ? H : W;
  const depth = horizontal ? W : H;
  const at = (t: number, s: number): number => {
    const x = side === 'left' ? s : side === 'right' ? W - 1 - s : t;
    const y = side === 'top' ? s : side === 'bottom' ? H - 1 - s : t;
    return grey[y * W + x]!;
  };
  const maxOuter = Math.floor(depth * 0.2);
  const maxDepth = Math.floor(depth * 0.3);
  const ts: number[] = [];
  const inner: number[] = [];
  const outer: number[] = [];
  let sampled = 0;
  // Skip the corners, where two borders meet.
  for (let t = Math.floor(lines * 0.1); t < Math.ceil(lines * 0.9); t += 2) {
    sampled++;
    let s = 0;
    while (s < maxOuter && at(t, s) >= DARK) s++;
    if (s >= maxOuter) continue;
    const start = s;
    let dark = 0;
    while (s < maxDepth && at(t, s) < DARK) dark += at(t, s++);
    if (s >= maxDepth || s - start < 2) continue;
    // The step out of the bezel is sharp: bright within a few pixels.
    if (at(t, Math.min(maxDepth, s + 3)) > dark / (s - start) + 40) {
      ts.push(t);
      inner.push(s);
      outer.push(start);
    }
  }
  if (sampled === 0 || ts.length < sampled * 0.5) return undefined;
  const onLine = (fit: { slope: number; intercept: number }, i: number): boolean =>
    Math.abs(inner[i]! - (fit.slope * ts[i]! + fit.intercept)) <= 2.5;
  let fit = fitLine(ts, inner);
  for (let pass = 0; pass < 2; pass++) {
    const keep = ts.map((_, i) => onLine(fit, i));
    fit = fitLine(
      ts.filter((_, i) => keep[i]),
      inner.filter((_, i) => keep[i]),
    );
  }
  const kept = ts.map((_, i) => i).filter((i) => onLine(fit, i));
  const coverage = kept.length / sampled;
  const meanDepth = fit.slope * (lines / 2) + fit.intercept;
  const meanWidth = kept.reduce((a, i) => a + inner[i]! - outer[i]!, 0) / Math.max(1, kept.length);
  // A bezel is several pixels wide; a thin dark line is a frame edge or a table behind a box.
  if (coverage < 0.6 || meanDepth < Math.max(4, depth * 0.012) || meanWidth < 3) return undefined;
  const band: number[] = [];
  for (const i of kept) for (let s = outer[i]!; s < inner[i]! - 1; s++) band.push(at(ts[i]!, s));
  if (band.length === 0) return undefined;
  const mean = band.reduce((a, b) => a + b, 0) / band.length;
  const sd = Math.sqrt(band.reduce((a, b) => a + (b - mean) ** 2, 0) / band.length);
  if (mean > 50 || sd > 15) return undefined;
  return {
    side,
    slope: Math.round(fit.slope * 10000) / 10000,
    intercept: Math.round(fit.intercept * 10) / 10,
    coverage: Math.round(coverage * 100) / 100,
    darkness: Math.round(mean),
  };
}

function fitLine(ts: number[], ss: number[]): { slope: number; intercept: number } {
  const n = ts.length;
  if (n < 2) return { slope: 0, intercept: n === 1 ? ss[0]! : 0 };
  let st = 0;
  let sv = 0;
  let stt = 0;
  let stv = 0;
  for (let i = 0; i < n; i++) {
    st += ts[i]!;
    sv += ss[i]!;
    stt += ts[i]! * ts[i]!;
    stv += ts[i]! * ss[i]!;
  }
  const den = n * stt - st * st;
  const slope = den !== 0 ? (n * stv - st * sv) / den : 0;
  return { slope, intercept: (sv - slope * st) / n };
}

/**
 * Moiré: averaged power spectra of high-passed tiles (Welch), searched for
 * a peak far above the spectrum's level at that radius, away from the
 * low frequencies and from the JPEG 8×8 grid frequencies; it must recur in
 * most tiles, since a screen's moiré covers the whole screen while a
 * periodic texture in the scene covers only its part.
 */
function findMoire(grey: Float32Array, W: number, H: number): RecaptureFinding['moire'] {
  const n = Math.min(W, H) >= 320 ? 128 : 64;
  if (Math.min(W, H) < n) return undefined;
  const origins: Array<[number, number]> = [];
  // Up to 3×3 tiles: enough to tell a pattern covering the whole screen from a local one,
  // and to average away the chance peaks of resampling and texture.
  const cols = Math.min(3, Math.floor(W / n));
  const rows = Math.min(3, Math.floor(H / n));
  for (let r = 0; r < rows; r++)
    for (let c = 0; c < cols; c++) {
      // Spread evenly from edge to edge (centred when only one fits).
      const x = cols > 1 ? Math.round(((W - n) * c) / (cols - 1)) : Math.round((W - n) / 2);
      const y = rows > 1 ? Math.round(((H - n) * r) / (rows - 1)) : Math.round((H - n) / 2);
      origins.push([x, y]);
    }
  const hann = new Float64Array(n);
  for (let i = 0; i < n; i++) hann[i] = 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / (n - 1));
  const spectra = origins.map(([x0, y0]) => tileSpectrum(grey, W, x0, y0, n, hann));
  const mean = new Float64Array(n * n);
  for (const s of spectra)
    for (let i = 0; i < mean.length; i++) mean[i] = mean[i]! + s[i]! / spectra.length;

  const excluded = (u: number, v: number): boolean => isExcluded(u, v, n);
  // Spectrum level per integer radius, from the allowed bins.
  const level = radialMedian(mean, n, excluded);
  let best = { ratio: 0, u: 0, v: 0 };
  for (let v = 0; v <= n / 2; v++)
    for (let u = -n / 2 + 1; u <= n / 2; u++) {
      if (v === 0 && u <= 0) continue;
      if (excluded(u, v)) continue;
      const p = mean[idx(u, v, n)]!;
      const ref = level[Math.round(Math.hypot(u, v))]!;
      if (ref > 0 && p / ref > best.ratio) best = { ratio: p / ref, u, v };
    }
  // Welch over a handful of tiles still leaves chance peaks near 8×; ask for far more.
  if (best.ratio < 20) return undefined;
  // The same period at right angles is a square grid (resampled JPEG blocks, a sensor or
  // texture lattice), not the stripes of a screen beating against a camera.
  let across = 0;
  for (let dv = -1; dv <= 1; dv++)
    for (let du = -1; du <= 1; du++)
      across = Math.max(across, mean[idx(-best.v + du, best.u + dv, n)]!);
  if (across > 0.3 * mean[idx(best.u, best.v, n)]!) return undefined;
  let agreeing = 0;
  const radius = Math.round(Math.hypot(best.u, best.v));
  for (const s of spectra) {
    let peak = 0;
    for (let dv = -1; dv <= 1; dv++)
      for (let du = -1; du <= 1; du++) peak = Math.max(peak, s[idx(best.u + du, best.v + dv, n)]!);
    const ref = ringMedian(s, n, radius, excluded);
    if (ref > 0 && peak / ref > 8) agreeing++;
  }
  if (agreeing < Math.max(2, Math.ceil(spectra.length * 0.6))) return undefined;
  const r = Math.hypot(best.u, best.v);
  return {
    strength: Math.round(Math.log10(best.ratio) * 100) / 100,
    period: Math.round((n / r) * 10) / 10,
    angleDeg: Math.round((Math.atan2(best.v, best.u) * 180) / Math.PI),
    tiles: spectra.length,
    agreeing,
  };
}

/** Bins the moiré search ignores: very low or very high frequencies and the JPEG grid's harmonics. */
function isExcluded(u: number, v: number, n: number): boolean {
  const r = Math.hypot(u, v);
  if (r < n / 16 || r > n / 2.2) return true; // periods longer than 16 px, or at Nyquist's edge
  // Multiples of n/8 (the 8×8 grid), but not the axes themselves: moiré stripes may lie along them.
  return nearGridHarmonic(u, n / 8) || nearGridHarmonic(v, n / 8);
}

function nearGridHarmonic(k: number, grid: number): boolean {
  const m = Math.round(k / grid);
  return m !== 0 && Math.abs(k - m * grid) <= 1;
}

function idx(u: number, v: number, n: number): number {
  return (((v % n) + n) % n) * n + (((u % n) + n) % n);
}

function tileSpectrum(
  grey: Float32Array,
  W: number,
  x0: number,
  y0: number,
  n: number,
  hann: Float64Array,
): Float64Array {
  const raw = new Float32Array(n * n);
  for (let y = 0; y < n; y++)
    raw.set(grey.subarray((y0 + y) * W + x0, (y0 + y) * W + x0 + n), y * n);
  // High-pass: the tile minus its 5×5 mean, so only fine periodic detail remains.
  const blur = boxMean(raw, n, n, 2);
  const tile = new Float64Array(n * n);
  for (let y = 0; y < n; y++)
    for (let x = 0; x < n; x++)
      tile[y * n + x] = (raw[y * n + x]! - blur[y * n + x]!) * hann[x]! * hann[y]!;
  return powerSpectrum(tile, n);
}

/** Median power of the allowed bins within one of radius `r`. */
function ringMedian(
  spectrum: Float64Array,
  n: number,
  r: number,
  excluded: (u: number, v: number) => boolean,
): number {
  const values: number[] = [];
  for (let v = 0; v <= r + 1; v++)
    for (let u = -r - 1; u <= r + 1; u++) {
      if ((v === 0 && u <= 0) || excluded(u, v)) continue;
      if (Math.abs(Math.hypot(u, v) - r) <= 1.5) values.push(spectrum[idx(u, v, n)]!);
    }
  return values.length >= 8 ? median(values) : 0;
}

function radialMedian(
  spectrum: Float64Array,
  n: number,
  excluded: (u: number, v: number) => boolean,
): Float64Array {
  const buckets: number[][] = Array.from({ length: n }, () => []);
  for (let v = 0; v <= n / 2; v++)
    for (let u = -n / 2 + 1; u <= n / 2; u++) {
      if (excluded(u, v)) continue;
      buckets[Math.round(Math.hypot(u, v))]!.push(spectrum[idx(u, v, n)]!);
    }
  const out = new Float64Array(n);
  for (let r = 0; r < n; r++) {
    // Pool neighbouring radii so every level rests on enough bins.
    const pool = [...(buckets[r - 1] ?? []), ...(buckets[r] ?? []), ...(buckets[r + 1] ?? [])];
    out[r] = pool.length >= 8 ? median(pool) : 0;
  }
  return out;
}

function vignetting(grey: Float32Array, W: number, H: number): number {
  const mean = (x0: number, y0: number, x1: number, y1: number): number => {
    let s = 0;
    let n = 0;
    for (let y = y0; y < y1; y += 2)
      for (let x = x0; x < x1; x += 2) {
        s += grey[y * W + x]!;
        n++;
      }
    return n > 0 ? s / n : 0;
  };
  const cw = Math.max(1, Math.floor(W * 0.12));
  const chh = Math.max(1, Math.floor(H * 0.12));
  const corners =
    (mean(0, 0, cw, chh) +
      mean(W - cw, 0, W, chh) +
      mean(0, H - chh, cw, H) +
      mean(W - cw, H - chh, W, H)) /
    4;
  const centre = mean(
    Math.floor(W * 0.35),
    Math.floor(H * 0.35),
    Math.ceil(W * 0.65),
    Math.ceil(H * 0.65),
  );
  return centre > 0 ? Math.round((corners / centre) * 100) / 100 : 1;
}

function colourCast(image: RasterImage): { rg: number; bg: number } {
  if (image.channels === 1) return { rg: 1, bg: 1 };
  let r = 0;
  let g = 0;
  let b = 0;
  for (let i = 0; i < image.width * image.height; i += 3) {
    r += image.data[i * image.channels]!;
    g += image.data[i * image.channels + 1]!;
    b += image.data[i * image.channels + 2]!;
  }
  return {
    rg: Math.round((r / Math.max(1, g)) * 100) / 100,
    bg: Math.round((b / Math.max(1, g)) * 100) / 100,
  };
}
