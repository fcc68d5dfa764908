/**
 * Screenshot cues: a screen-sized canvas, flat UI colour (noise-free to the
 * last bit) around a photo-like rectangle whose borders are perfectly
 * straight and axis-aligned, and a status bar (a flat top band with small
 * high-contrast glyphs at both ends: time on one side, signal and battery
 * on the other). One cue alone proves little; together they are telling.
 */
import type { RasterImage } from '../model.js';
import { clamp, dominantColours, flatMask, luma, type DominantColour } from './pixels.js';

/** A rectangle in analysis pixels. */
export interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

/** What the layout analysis found. */
export interface ScreenshotFinding {
  dimensions: { match: 'exact' | 'aspect' | 'none'; screen?: string; aspect: number };
  /** The photo-like rectangle inside a UI canvas. */
  content?: Box;
  /** Sides of `content` that meet flat UI along a sharp, straight, axis-aligned line. */
  sharpEdges: number;
  /** Share of the image outside `content`. */
  outsideShare: number;
  /** Share of the pixels outside `content` that are perfectly flat (rendered UI). */
  flatOutside: number;
  statusBar?: {
    height: number;
    colour: [number, number, number];
    glyphsLeft: number;
    glyphsRight: number;
  };
  canvasColours: DominantColour[];
}

// Screens (portrait, pixels) of common phones and tablets, and desktop sizes (landscape).
const SCREENS: ReadonlyArray<readonly [number, number, string]> = [
  [1170, 2532, 'iPhone 12–14'],
  [1179, 2556, 'iPhone 14 Pro/15'],
  [1284, 2778, 'iPhone 12–13 Pro Max'],
  [1290, 2796, 'iPhone 14 Pro Max/15 Plus'],
  [1125, 2436, 'iPhone X/11 Pro'],
  [1242, 2688, 'iPhone XS Max/11 Pro Max'],
  [828, 1792, 'iPhone XR/11'],
  [750, 1334, 'iPhone 6–8/SE'],
  [1080, 1920, 'Full HD phone'],
  [1242, 2208, 'iPhone Plus'],
  [640, 1136, 'iPhone 5/SE'],
  [1080, 2340, 'Android 19.5:9'],
  [1080, 2400, 'Android 20:9'],
  [1080, 2376, 'Android'],
  [1080, 2412, 'Android'],
  [1080, 2460, 'Android'],
  [1200, 2670, 'Xiaomi 14'],
  [1260, 2720, 'HUAWEI Mate 60'],
  [1260, 2800, 'OPPO/vivo'],
  [1264, 2780, 'OPPO Find X7'],
  [1280, 2800, 'HONOR Magic6'],
  [1344, 2992, 'Pixel 8 Pro'],
  [1440, 3200, 'QHD+ phone'],
  [1440, 3120, 'QHD+ phone'],
  [1440, 2560, 'QHD phone'],
  [720, 1600, 'HD+ phone'],
  [720, 1560, 'HD+ phone'],
  [720, 1520, 'HD+ phone'],
  [720, 1280, 'HD phone'],
  [1536, 2048, 'iPad'],
  [1668, 2388, 'iPad Pro 11'],
  [1640, 2360, 'iPad Air'],
  [2048, 2732, 'iPad Pro 12.9'],
  [1920, 1080, 'Full HD display'],
  [2560, 1440, 'QHD display'],
  [3840, 2160, '4K display'],
  [1366, 768, 'laptop display'],
  [1280, 720, 'HD display'],
  [1280, 800, 'WXGA display'],
  [1440, 900, 'WXGA+ display'],
  [1536, 864, 'laptop display'],
  [1600, 900, 'HD+ display'],
  [1680, 1050, 'WSXGA+ display'],
  [1920, 1200, 'WUXGA display'],
  [2560, 1600, 'WQXGA display'],
  [2880, 1800, 'MacBook Pro 15'],
  [3024, 1964, 'MacBook Pro 14'],
  [3456, 2234, 'MacBook Pro 16'],
  [2560, 1664, 'MacBook Air 13'],
];

/** Long/short ratios no camera produces but tall phone screens and 16:10 displays do. */
const SCREEN_ASPECTS = [2.1667, 2.2222, 2.1111, 2.0, 2.2, 2.1639, 1.6];

/** Checks canvas size and layout; `original` is the decoded size, `image` the analysis pixels. */
export function analyseScreenshot(
  input: RasterImage,
  original: { width: number; height: number },
): ScreenshotFinding {
  // Rendered UI is flat at any sampling, so big inputs are read at every other pixel.
  const step = input.width * input.height > 400_000 ? 2 : 1;
  const image = subsample(input, step);
  const { width: W, height: H } = image;
  const flat = flatMask(image, 3);
  const canvasColours = dominantColours(image, flat, 4).filter((c) => c.share >= 0.03);
  const finding: ScreenshotFinding = {
    dimensions: matchDimensions(original),
    sharpEdges: 0,
    outsideShare: 0,
    flatOutside: 0,
    canvasColours,
  };
  const statusBar = findStatusBar(image, flat);
  if (statusBar) finding.statusBar = { ...statusBar, height: statusBar.height * step };
  if (canvasColours.length === 0) return finding;

  // Background: flat pixels of a canvas colour. Everything else is content (photo, glyphs).
  const content = new Uint8Array(W * H);
  const palette = canvasColours.map((c) => c.rgb);
  for (let i = 0; i < W * H; i++) content[i] = flat[i] === 1 && nearAny(image, i, palette) ? 0 : 1;
  const rect = contentRectangle(content, W, H);
  if (!rect) return finding;
  finding.content = { x: rect.x * step, y: rect.y * step, w: rect.w * step, h: rect.h * step };
  finding.outsideShare = round3(1 - (rect.w * rect.h) / (W * H));
  finding.sharpEdges = countSharpEdges(content, W, H, rect);
  let flatOut = 0;
  let out = 0;
  for (let y = 0; y < H; y++)
    for (let x = 0; x < W; x++) {
      if (x >= rect.x && x < rect.x + rect.w && y >= rect.y && y < rect.y + rect.h) continue;
      out++;
      flatOut += flat[y * W + x]!;
    }
  finding.flatOutside = out > 0 ? round3(flatOut / out) : 0;
  return finding;
}

/** Strength of the screenshot cues together, in [0, 1]. */
export function screenshotStrength(
  f: ScreenshotFinding,
  hints?: { hasCameraExif: boolean; software?: string },
): number {
  const layout =
    f.content && f.outsideShare >= 0.1 && f.flatOutside >= 0.8 && f.sharpEdges >= 2
      ? 0.35 + 0.05 * (f.sharpEdges - 2)
      : 0;
  const bar = f.statusBar ? 0.2 : 0;
  if (layout === 0 && bar === 0) return 0;
  const dims = f.dimensions.match === 'exact' ? 0.15 : f.dimensions.match === 'aspect' ? 0.07 : 0;
  let s = layout + bar + dims;
  if (hints?.software && /screenshot|screen ?shot|截屏|截图|屏幕快照/i.test(hints.software))
    s += 0.2;
  // Camera EXIF is easy to copy, so it only tempers the cues a little.
  if (hints?.hasCameraExif) s -= 0.05;
  return Math.round(clamp(s, 0, 0.9) * 100) / 100;
}

function matchDimensions(size: { width: number; height: number }): ScreenshotFinding['dimensions'] {
  const long = Math.max(size.width, size.height);
  const short = Math.min(size.width, size.height);
  const aspect = Math.round((long / short) * 10000) / 10000;
  // Either orientation: phones are also held sideways (video, games), displays rotated.
  for (const [w, h, name] of SCREENS)
    if (short === Math.min(w, h) && long === Math.max(w, h))
      return { match: 'exact', screen: name, aspect };
  if (SCREEN_ASPECTS.some((a) => Math.abs(aspect - a) / a < 0.004))
    return { match: 'aspect', aspect };
  return { match: 'none', aspect };
}

function subsample(image: RasterImage, step: number): RasterImage {
  if (step === 1) return image;
  const width = Math.floor(image.width / step);
  const height = Math.floor(image.height / step);
  const c = image.channels;
  const data = new Uint8Array(width * height * c);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const from = (y * step * image.width + x * step) * c;
      for (let k = 0; k < c; k++) data[(y * width + x) * c + k] = image.data[from + k]!;
    }
  return { width, height, channels: image.channels, data };
}

function nearAny(image: RasterImage, i: number, palette: Array<[number, number, number]>): boolean {
  const { data, channels } = image;
  const p = i * channels;
  const r = data[p]!;
  const g = channels === 1 ? r : data[p + 1]!;
  const b = channels === 1 ? r : data[p + 2]!;
  for (const c of palette)
    if (Math.abs(r - c[0]) <= 10 && Math.abs(g - c[1]) <= 10 && Math.abs(b - c[2]) <= 10)
      return true;
  return false;
}

/** The longest run of mostly-content rows, then of mostly-content columns within it, refined once. */
function contentRectangle(content: Uint8Array, W: number, H: number): Box | undefined {
  let cols: [number, number] = [0, W - 1];
  let rows: [number, number] | undefined;
  for (let pass = 0; pass < 2; pass++) {
    const rowShare = new Float64Array(H);
    for (let y = 0; y < H; y++) {
      let s = 0;
      for (let x = cols[0]; x <= cols[1]; x++) s += content[y * W + x]!;
      rowShare[y] = s / (cols[1] - cols[0] + 1);
    }
    rows = longestRun(rowShare, 0.5, Math.max(2, Math.round(H * 0.01)));
    if (!rows) return undefined;
    const colShare = new Float64Array(W);
    for (let x = 0; x < W; x++) {
      let s = 0;
      for (let y = rows[0]; y <= rows[1]; y++) s += content[y * W + x]!;
      colShare[x] = s / (rows[1] - rows[0] + 1);
    }
    const c = longestRun(colShare, 0.5, Math.max(2, Math.round(W * 0.01)));
    if (!c) return undefined;
    cols = c;
  }
  if (!rows) return undefined;
  const box = { x: cols[0], y: rows[0], w: cols[1] - cols[0] + 1, h: rows[1] - rows[0] + 1 };
  // Too small to be the photo a screenshot is about.
  return box.w * box.h >= 0.08 * W * H && box.w >= 0.3 * W ? box : undefined;
}

function longestRun(
  share: Float64Array,
  threshold: number,
  maxGap: number,
): [number, number] | undefined {
  let best: [number, number] | undefined;
  let start = -1;
  let last = -1;
  for (let i = 0; i <= share.length; i++) {
    const on = i < share.length && share[i]! > threshold;
    if (on) {
      if (start < 0 || i - last > maxGap) {
        if (start >= 0 && (!best || last - start > best[1] - best[0])) best = [start, last];
        start = i;
      }
      last = i;
    }
  }
  if (start >= 0 && (!best || last - start > best[1] - best[0])) best = [start, last];
  return best;
}

/**
 * A side is sharp when the band just outside it is UI (almost no content)
 * and the band just inside is almost all content, along its whole length:
 * only a straight, axis-aligned border does that. Sides on the image border
 * do not count.
 */
function countSharpEdges(content: Uint8Array, W: number, H: number, r: Box): number {
  const share = (x0: number, y0: number, x1: number, y1: number): number => {
    let s = 0;
    let n = 0;
    for (let y = Math.max(0, y0); y <= Math.min(H - 1, y1); y++)
      for (let x = Math.max(0, x0); x <= Math.min(W - 1, x1); x++) {
        s += content[y * W + x]!;
        n++;
      }
    return n > 0 ? s / n : 1;
  };
  const x1 = r.x + r.w - 1;
  const y1 = r.y + r.h - 1;
  // JPEG ringing spoils the first pixels outside; look 3–5 pixels out, 1–3 in.
  const sides = [
    r.y >= 6 && share(r.x, r.y - 5, x1, r.y - 3) < 0.15 && share(r.x, r.y + 1, x1, r.y + 3) > 0.85,
    y1 <= H - 7 && share(r.x, y1 + 3, x1, y1 + 5) < 0.15 && share(r.x, y1 - 3, x1, y1 - 1) > 0.85,
    r.x >= 6 && share(r.x - 5, r.y, r.x - 3, y1) < 0.15 && share(r.x + 1, r.y, r.x + 3, y1) > 0.85,
    x1 <= W - 7 && share(x1 + 3, r.y, x1 + 5, y1) < 0.15 && share(x1 - 3, r.y, x1 - 1, y1) > 0.85,
  ];
  return sides.filter(Boolean).length;
}

/**
 * A status bar: the top 2–6 % of a portrait canvas is one flat colour with
 * small high-contrast marks near both ends (time; signal and battery).
 */
function findStatusBar(image: RasterImage, flat: Uint8Array): ScreenshotFinding['statusBar'] {
  const { width: W, height: H } = image;
  if (H < 200 || W < 120) return undefined;
  const band = Math.max(8, Math.round(H * 0.055));
  const grey = luma({
    ...image,
    height: band,
    data: image.data.subarray(0, band * W * image.channels),
  });
  for (const frac of [0.025, 0.035, 0.045, 0.055]) {
    const h = Math.max(8, Math.round(H * frac));
    const [bg] = dominantColours(image, flat, 1, 0, h);
    if (!bg || bg.share < 0.6) continue;
    const bgGrey = 0.299 * bg.rgb[0] + 0.587 * bg.rgb[1] + 0.114 * bg.rgb[2];
    let left = 0;
    let right = 0;
    let middle = 0;
    let edgeInk = 0;
    const margin = Math.max(2, Math.round(h * 0.15));
    for (let y = 0; y < h; y++)
      for (let x = 0; x < W; x++) {
        if (Math.abs(grey[y * W + x]! - bgGrey) < 70) continue;
        // Glyphs sit in the middle of the bar; branches or edges run into its top.
        if (y < margin) edgeInk++;
        if (x < W * 0.3) left++;
        else if (x >= W * 0.7) right++;
        else middle++;
      }
    const area = W * h;
    // Glyphs: a little ink at both ends, not a photo running through the band.
    if (
      left > area * 0.003 &&
      right > area * 0.003 &&
      left + right + middle < area * 0.25 &&
      edgeInk < area * 0.002
    ) {
      return {
        height: h,
        colour: bg.rgb,
        glyphsLeft: round3(left / area),
        glyphsRight: round3(right / area),
      };
    }
  }
  return undefined;
}

function round3(v: number): number {
  return Math.round(v * 1000) / 1000;
}
