/**
 * Local manipulation without a reference: compression history, noise
 * consistency, error level and copy-move, each reported as a signal of the
 * `manipulation` family. These are hints (fusion weighs them low): a genuine
 * phone photo, re-encoded by a messaging app, must come out near zero.
 */
import sharp from 'sharp';
import type { ImageFormat, RasterImage, Region, Signal } from '../model.js';
import { detectCopyMove } from './copy-move.js';
import { errorLevelMap } from './error-level.js';
import { analyseJpegGrid, type GridFinding } from './jpeg-grid.js';
import { readJpegQuantInfo, type JpegQuantInfo } from './jpeg-tables.js';
import { analyseNoise } from './noise-residual.js';
import { toGrey, type GreyImage } from './raster-ops.js';
import { copyMoveSignal, errorLevelSignal, noiseSignal, recompressionSignal } from './signals.js';

export { errorLevelMap, type ErrorLevelOptions } from './error-level.js';
export { readJpegQuantInfo, estimateQuality, type JpegQuantInfo } from './jpeg-tables.js';

/** What the manipulation checks read: the file, its analysis-size pixels and its size. */
export interface ManipulationInput {
  bytes: Uint8Array;
  format: ImageFormat;
  /** Analysis-size RGB pixels, EXIF orientation applied. */
  pixels: RasterImage;
  /** Size of the decoded original, after orientation; regions are reported at this size. */
  originalSize: { width: number; height: number };
  /**
   * Full-resolution pixels when the caller already has them; lets the JPEG
   * grid be read on large files without a second decode. Without them the
   * grid is read only when the analysis pixels are the original size.
   */
  fullResolution?: RasterImage;
  /**
   * Also make the error-level map and its weak hint (default false: the JPEG
   * resave costs about as much as the other checks together). The map can
   * also be made later, when a reviewer opens the case, with `errorLevelMap`.
   */
  errorLevel?: boolean;
}

/** The manipulation signals, the regions they point at (original pixels) and the error-level map. */
export interface ManipulationResult {
  signals: Signal[];
  regions: Region[];
  /** Error-level map (analysis size, at most 800 px long), for the reviewer's eyes, when asked for. */
  elaMap?: RasterImage;
}

// The grid is read on at most this many pixels of a full-resolution image (a central window).
const GRID_WINDOW = 2048;
// Longest side of the error-level map.
const ELA_SIDE = 800;

/** Runs the no-reference manipulation checks on one claim image. */
export async function manipulationSignals(input: ManipulationInput): Promise<ManipulationResult> {
  const { pixels, originalSize } = input;
  const grey = toGrey(pixels);
  const toOriginal = {
    x: originalSize.width / pixels.width,
    y: originalSize.height / pixels.height,
  };
  const info = input.format === 'jpeg' ? readJpegQuantInfo(input.bytes) : undefined;
  const signals: Signal[] = [
    recompressionSignal(info, info ? readGrid(input, grey, info) : undefined),
    noiseSignal(analyseNoise(grey), toOriginal, originalSize),
    copyMoveSignal(detectCopyMove(grey), toOriginal, originalSize),
  ];
  let elaMap: RasterImage | undefined;
  if (input.errorLevel === true) {
    const ela = await elaOf(pixels);
    elaMap = ela.map;
    signals.push(
      errorLevelSignal(
        ela.map,
        ela.grey,
        { x: originalSize.width / ela.map.width, y: originalSize.height / ela.map.height },
        originalSize,
      ),
    );
  }
  const regions = signals.filter((s) => s.strength > 0).flatMap((s) => s.regions ?? []);
  return { signals, regions, ...(elaMap ? { elaMap } : {}) };
}

/**
 * The error-level map of the analysis pixels. Large analysis images are
 * first halved: the map is for a reviewer's eyes, and the resave is the
 * costliest step here.
 */
async function elaOf(pixels: RasterImage): Promise<{ map: RasterImage; grey: GreyImage }> {
  const source =
    Math.max(pixels.width, pixels.height) > ELA_SIDE ? await shrink(pixels, ELA_SIDE) : pixels;
  return { map: await errorLevelMap(source, { maxSide: ELA_SIDE }), grey: toGrey(source) };
}

async function shrink(pixels: RasterImage, side: number): Promise<RasterImage> {
  const { data, info } = await sharp(pixels.data, {
    raw: { width: pixels.width, height: pixels.height, channels: pixels.channels },
  })
    .resize(side, side, { fit: 'inside' })
    .raw()
    .toBuffer({ resolveWithObject: true });
  return {
    width: info.width,
    height: info.height,
    channels: pixels.channels,
    data: new Uint8Array(data),
  };
}

/**
 * The 8×8 grid analysis, on luminance at the file's own resolution: the
 * analysis pixels when they are the original, else a central window of the
 * full-resolution pixels when the caller passed them; undefined otherwise
 * (resampled pixels have no grid left to read).
 */
function readGrid(
  input: ManipulationInput,
  grey: GreyImage,
  info: JpegQuantInfo,
): { grid: GridFinding; x: number; y: number; width: number; height: number } | undefined {
  const source = gridSource(input, grey);
  if (!source) return undefined;
  const { image, x, y } = source;
  return {
    grid: analyseJpegGrid(image, info.luma.values),
    x,
    y,
    width: image.width,
    height: image.height,
  };
}

function gridSource(
  input: ManipulationInput,
  grey: GreyImage,
): { image: GreyImage; x: number; y: number } | undefined {
  const { pixels, originalSize, fullResolution } = input;
  if (pixels.width === originalSize.width && pixels.height === originalSize.height)
    return { image: grey, x: 0, y: 0 };
  if (!fullResolution) return undefined;
  const { width, height } = fullResolution;
  // A window starting on a multiple of 8 keeps the grid phase of the file.
  const w = Math.min(width, GRID_WINDOW);
  const h = Math.min(height, GRID_WINDOW);
  const x0 = Math.floor((width - w) / 16) * 8;
  const y0 = Math.floor((height - h) / 16) * 8;
  const data = new Float32Array(w * h);
  const c = fullResolution.channels;
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      const j = ((y0 + y) * width + x0 + x) * c;
      const d = fullResolution.data;
      data[y * w + x] = c === 1 ? d[j]! : 0.299 * d[j]! + 0.587 * d[j + 1]! + 0.114 * d[j + 2]!;
    }
  return { image: { width: w, height: h, data }, x: x0, y: y0 };
}
