/**
 * Generated screen fixtures: a phone screenshot canvas (status bar with
 * glyph-like marks, app header, solid margins, photo inside) and a photo
 * of a screen (perspective-warped picture with moiré inside a dark bezel).
 */
import sharp from 'sharp';
import type { RasterImage } from '../model.js';
import { clampByte, gaussian, naturalImage, prng } from '../manipulation/test-fixtures.js';

type Rgb = [number, number, number];

function canvas(width: number, height: number, colour: Rgb): RasterImage {
  const data = new Uint8Array(width * height * 3);
  for (let i = 0; i < width * height; i++) data.set(colour, i * 3);
  return { width, height, channels: 3, data };
}

function fillRect(img: RasterImage, x: number, y: number, w: number, h: number, colour: Rgb): void {
  for (let yy = y; yy < y + h; yy++)
    for (let xx = x; xx < x + w; xx++) img.data.set(colour, (yy * img.width + xx) * 3);
}

function drawImage(dst: RasterImage, src: RasterImage, x0: number, y0: number): void {
  for (let y = 0; y < src.height; y++)
    dst.data.set(
      src.data.subarray(y * src.width * 3, (y + 1) * src.width * 3),
      ((y0 + y) * dst.width + x0) * 3,
    );
}

/**
 * A light-theme phone screenshot of `width`×`height` (default 1170×2532, an
 * iPhone 13 screen; the layout scales with the width); returns the canvas
 * and where the photo sits.
 */
export function phoneScreenshot(
  seed = 1,
  width = 1170,
  height = 2532,
): { image: RasterImage; photo: { x: number; y: number; w: number; h: number } } {
  const k = width / 1170; // the layout is drawn for 1170 px wide and scaled
  const z = (v: number): number => Math.round(v * k);
  const ink: Rgb = [20, 20, 24];
  const img = canvas(width, height, [242, 242, 247]);
  const rect = (x: number, y: number, w: number, h: number, colour: Rgb): void =>
    fillRect(img, z(x), z(y), Math.max(1, z(w)), Math.max(1, z(h)), colour);
  rect(0, 0, 1170, 120, [250, 250, 250]); // status bar
  // Time at the left: four blocky digits and a colon.
  for (const [i, x] of [90, 130, 185, 225].entries()) {
    rect(x, 42, 28, 6, ink);
    rect(x, 42, 6, 40, ink);
    rect(x + 22, 42, 6, 40, ink);
    rect(x, 76, 28, 6, ink);
    if (i % 2 === 0) rect(x, 59, 28, 5, ink);
  }
  rect(168, 52, 6, 6, ink);
  rect(168, 68, 6, 6, ink);
  // Signal bars and a battery at the right.
  for (let b = 0; b < 4; b++) rect(860 + b * 16, 78 - b * 9, 10, 8 + b * 9, ink);
  rect(960, 48, 80, 34, ink);
  rect(964, 52, 72, 26, [250, 250, 250]);
  rect(968, 56, 50, 18, ink);
  rect(1042, 58, 6, 14, ink);
  // App header with a title, then the photo inside solid margins, then a navigation bar.
  rect(0, 120, 1170, 150, [255, 255, 255]);
  for (let c = 0; c < 9; c++) rect(60 + c * 42, 170, 30, 50, ink);
  const photo = { x: z(40), y: z(600), w: z(1090), h: z(820) };
  drawImage(
    img,
    doubled(naturalImage(photo.w >> 1, photo.h >> 1, seed, 2), photo.w, photo.h),
    photo.x,
    photo.y,
  );
  fillRect(img, 0, height - z(160), width, z(160), [250, 250, 250]);
  for (const x of [250, 560, 870]) rect(x, height / k - 110, 50, 50, [90, 90, 90]);
  return { image: img, photo };
}

/** Upscales by pixel doubling to `w`×`h` (cheaper than generating a large photo). */
function doubled(src: RasterImage, w: number, h: number): RasterImage {
  const data = new Uint8Array(w * h * 3);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      const from =
        (Math.min(src.height - 1, y >> 1) * src.width + Math.min(src.width - 1, x >> 1)) * 3;
      data[(y * w + x) * 3] = src.data[from]!;
      data[(y * w + x) * 3 + 1] = src.data[from + 1]!;
      data[(y * w + x) * 3 + 2] = src.data[from + 2]!;
    }
  return { width: w, height: h, channels: 3, data };
}

function solve(a: number[][], b: number[]): number[] {
  const n = b.length;
  const m = a.map((row, i) => [...row, b[i]!]);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(m[r]![c]!) > Math.abs(m[p]![c]!)) p = r;
    [m[c], m[p]] = [m[p]!, m[c]!];
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = m[r]![c]! / m[c]![c]!;
      for (let k = c; k <= n; k++) m[r]![k] = m[r]![k]! - f * m[c]![k]!;
    }
  }
  return m.map((row, i) => row[n]! / row[i]!);
}

/** The homography taking each `from` corner to the matching `to` corner. */
function homography(from: Array<[number, number]>, to: Array<[number, number]>): number[] {
  const a: number[][] = [];
  const b: number[] = [];
  for (let i = 0; i < 4; i++) {
    const [x, y] = from[i]!;
    const [u, v] = to[i]!;
    a.push([x, y, 1, 0, 0, 0, -u * x, -u * y]);
    b.push(u);
    a.push([0, 0, 0, x, y, 1, -v * x, -v * y]);
    b.push(v);
  }
  return [...solve(a, b), 1];
}

/**
 * A photo of a screen: a picture overlaid with fine moiré stripes, warped
 * into a tilted quadrilateral inside a dark bezel that reaches the frame,
 * with vignetting and sensor noise.
 */
export function screenPhoto(seed = 2, withMoire = true): RasterImage {
  const W = 720;
  const H = 480;
  const sw = 600;
  const sh = 375;
  const screen = naturalImage(sw, sh, seed, 1);
  if (withMoire) {
    const theta = 0.35;
    for (let y = 0; y < sh; y++)
      for (let x = 0; x < sw; x++) {
        const m =
          1 + 0.14 * Math.sin((2 * Math.PI * (x * Math.cos(theta) + y * Math.sin(theta))) / 3.6);
        for (let c = 0; c < 3; c++)
          screen.data[(y * sw + x) * 3 + c] = clampByte(screen.data[(y * sw + x) * 3 + c]! * m);
      }
  }
  const corners: Array<[number, number]> = [
    [46, 36],
    [679, 60],
    [667, 448],
    [56, 431],
  ];
  const toScreen = homography(corners, [
    [0, 0],
    [sw - 1, 0],
    [sw - 1, sh - 1],
    [0, sh - 1],
  ]);
  const rand = prng(seed + 100);
  const out = new Uint8Array(W * H * 3);
  const [h0, h1, h2, h3, h4, h5, h6, h7] = toScreen as [
    number,
    number,
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  for (let y = 0; y < H; y++)
    for (let x = 0; x < W; x++) {
      const d = h6 * x + h7 * y + 1;
      const u = (h0 * x + h1 * y + h2) / d;
      const v = (h3 * x + h4 * y + h5) / d;
      const vignette = 1 - 0.35 * (((x - W / 2) / W) ** 2 + ((y - H / 2) / H) ** 2) * 2;
      const noise = 2 * gaussian(rand);
      for (let c = 0; c < 3; c++) {
        let value = 16 + c * 2; // the bezel
        if (u >= 0 && v >= 0 && u < sw - 1 && v < sh - 1) {
          const x0 = Math.floor(u);
          const y0 = Math.floor(v);
          const fx = u - x0;
          const fy = v - y0;
          const at = (xx: number, yy: number): number => screen.data[(yy * sw + xx) * 3 + c]!;
          value =
            (at(x0, y0) * (1 - fx) + at(x0 + 1, y0) * fx) * (1 - fy) +
            (at(x0, y0 + 1) * (1 - fx) + at(x0 + 1, y0 + 1) * fx) * fy;
          value = value * (c === 2 ? 1.06 : 0.97) * vignette; // a bluish cast
        }
        out[(y * W + x) * 3 + c] = clampByte(value + noise);
      }
    }
  return { width: W, height: H, channels: 3, data: out };
}

/** Encodes as JPEG and decodes at most `maxSide` pixels on the long side, like the analysis pipeline. */
export async function asAnalysed(
  image: RasterImage,
  quality: number,
  maxSide = 1024,
): Promise<RasterImage> {
  const jpeg = await sharp(image.data, {
    raw: { width: image.width, height: image.height, channels: 3 },
  })
    .jpeg({ quality })
    .toBuffer();
  const { data, info } = await sharp(jpeg)
    .resize(maxSide, maxSide, { fit: 'inside', withoutEnlargement: true })
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { width: info.width, height: info.height, channels: 3, data: new Uint8Array(data) };
}
