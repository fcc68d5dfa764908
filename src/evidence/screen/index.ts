/**
 * Screenshot and screen re-capture cues, reported as signals of the
 * `screen` family (weighted low to medium by fusion): a claim photo that is
 * really a screenshot of a listing, or a photo of a screen showing one.
 */
import type { RasterImage, Signal } from '../model.js';
import { analyseRecapture, recaptureStrength, type RecaptureFinding } from './recapture.js';
import { analyseScreenshot, screenshotStrength, type ScreenshotFinding } from './screenshot.js';

export type { RecaptureFinding } from './recapture.js';
export type { ScreenshotFinding } from './screenshot.js';

/** What the screen checks read. */
export interface ScreenInput {
  /** Analysis-size RGB pixels, EXIF orientation applied. */
  pixels: RasterImage;
  /** Decoded size of the original, after orientation. */
  originalSize: { width: number; height: number };
  /** What the metadata says, when the caller has read it. */
  metadataHints?: { hasCameraExif: boolean; software?: string };
}

/** Runs the screenshot and re-capture checks; always returns both signals (strength 0 = looked, found nothing). */
export function screenSignals(input: ScreenInput): Signal[] {
  const shot = analyseScreenshot(input.pixels, input.originalSize);
  const recapture = analyseRecapture(input.pixels);
  return [screenshotSignal(shot, input), recaptureSignal(recapture, input)];
}

function screenshotSignal(f: ScreenshotFinding, input: ScreenInput): Signal {
  const strength = screenshotStrength(f, input.metadataHints);
  const sx = input.originalSize.width / input.pixels.width;
  const sy = input.originalSize.height / input.pixels.height;
  const scale = (b: { x: number; y: number; w: number; h: number }): Record<string, number> => ({
    x: Math.round(b.x * sx),
    y: Math.round(b.y * sy),
    w: Math.round(b.w * sx),
    h: Math.round(b.h * sy),
  });
  const details: Record<string, unknown> = {
    dimensions: f.dimensions,
    sharpEdges: f.sharpEdges,
    outsideShare: f.outsideShare,
    flatOutside: f.flatOutside,
    ...(f.content ? { photoRectangle: scale(f.content) } : {}),
    ...(f.statusBar
      ? {
          statusBar: {
            ...scale({ x: 0, y: 0, w: input.pixels.width, h: f.statusBar.height }),
            colour: f.statusBar.colour,
          },
        }
      : {}),
  };
  if (strength === 0) {
    return {
      id: 'screen.screenshot',
      family: 'screen',
      strength,
      reason: {
        en: 'No sign of a screenshot (no flat UI frame or status bar around the picture).',
        zh: '未发现截屏迹象（图片周围没有纯色界面边框或状态栏）。',
      },
      details,
    };
  }
  const cues: Array<[string, string]> = [];
  if (f.statusBar) cues.push(['a phone status bar', '手机状态栏']);
  if (f.content && f.sharpEdges >= 2)
    cues.push(['a photo framed by flat app interface', '图片被纯色应用界面包围']);
  if (f.dimensions.match === 'exact')
    cues.push([
      `a screen-sized canvas (${f.dimensions.screen ?? 'screen'})`,
      '画布尺寸与屏幕分辨率一致',
    ]);
  else if (f.dimensions.match === 'aspect')
    cues.push(['a screen-shaped canvas', '画布宽高比与屏幕一致']);
  return {
    id: 'screen.screenshot',
    family: 'screen',
    strength,
    reason: {
      en: `The image looks like a screenshot: ${cues.map((c) => c[0]).join(', ')}.`,
      zh: `该图像看起来是截屏：${cues.map((c) => c[1]).join('，')}。`,
    },
    details,
  };
}

function recaptureSignal(f: RecaptureFinding, input: ScreenInput): Signal {
  const strength = recaptureStrength(f);
  const details: Record<string, unknown> = {
    bezel: f.bezel,
    ...(f.moire ? { moire: f.moire } : {}),
    vignetting: f.vignetting,
    colourCast: f.colourCast,
    analysisSize: { width: input.pixels.width, height: input.pixels.height },
  };
  if (strength === 0) {
    return {
      id: 'screen.recapture',
      family: 'screen',
      strength,
      reason: {
        en: 'No sign of a photographed screen (no bezel, no moiré).',
        zh: '未发现翻拍屏幕的迹象（无屏幕边框，无摩尔纹）。',
      },
      details,
    };
  }
  const cues: Array<[string, string]> = [];
  if (f.bezel.length > 0)
    cues.push([
      `straight dark borders on ${f.bezel.length} side(s), like a screen's bezel`,
      `${f.bezel.length}条边有笔直的暗色边框，类似屏幕边框`,
    ]);
  if (f.moire)
    cues.push([
      `moiré (a fine periodic pattern, period about ${f.moire.period} px) across the picture`,
      `整幅画面有摩尔纹（周期约${f.moire.period}像素的细密条纹）`,
    ]);
  return {
    id: 'screen.recapture',
    family: 'screen',
    strength,
    reason: {
      en: `The image may be a photo of a screen: ${cues.map((c) => c[0]).join('; ')}.`,
      zh: `该图像可能是翻拍屏幕所得：${cues.map((c) => c[1]).join('；')}。`,
    },
    details,
  };
}
