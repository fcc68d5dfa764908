/**
 * Reviewer-facing sentences (zh-CN and en) for what the comparison found:
 * which reference, how it was transformed, and where and what changed.
 */
import type { LocalizedText } from '../model.js';
import type { GeometryEvidence } from './candidate.js';
import {
  type Homography,
  perspectiveDistortion,
  polygonArea,
  projectCorners,
} from './homography.js';

/** The global transform from reference to claim, in reviewer terms. */
export interface TransformSummary {
  /** Claim pixels per reference pixel (analysis copies), linear. */
  scale: number;
  /** Rotation in degrees, counter-clockwise positive. */
  rotationDeg: number;
  /** Share of the reference's area that falls outside the claim (cropped away). */
  croppedShare: number;
  /** Share of the claim not covered by the reference (margins, bars, canvas). */
  marginShare: number;
  perspective: number;
  mirrored: boolean;
}

/** Reads scale, rotation, crop, margins and perspective off a homography. */
export function summariseTransform(
  h: Homography,
  refWidth: number,
  refHeight: number,
  claimWidth: number,
  claimHeight: number,
  geometry: GeometryEvidence,
  clippedFootprint: number,
): TransformSummary {
  const corners = projectCorners(h, refWidth, refHeight);
  const area = polygonArea(corners);
  // The reference's top edge; when mirrored it runs right to left in the claim.
  const [p0, p1] = geometry.mirrored ? [corners[1]!, corners[0]!] : [corners[0]!, corners[1]!];
  const angle = (Math.atan2(p1[1] - p0[1], p1[0] - p0[0]) * 180) / Math.PI;
  return {
    scale: Math.sqrt(area / (refWidth * refHeight)),
    rotationDeg: -angle,
    croppedShare: area > 0 ? Math.max(0, 1 - clippedFootprint / area) : 0,
    marginShare: Math.max(0, 1 - clippedFootprint / (claimWidth * claimHeight)),
    perspective: perspectiveDistortion(h, refWidth, refHeight),
    mirrored: geometry.mirrored,
  };
}

/** Lists the transform steps worth mentioning, in both languages. */
export function describeTransform(t: TransformSummary): LocalizedText {
  const zh: string[] = [];
  const en: string[] = [];
  if (Math.abs(t.scale - 1) > 0.03) {
    zh.push(`缩放至约${Math.round(t.scale * 100)}%`);
    en.push(`scaled to about ${Math.round(t.scale * 100)}%`);
  }
  if (Math.abs(t.rotationDeg) > 0.5) {
    zh.push(`旋转约${Math.abs(t.rotationDeg).toFixed(1)}°`);
    en.push(`rotated by about ${Math.abs(t.rotationDeg).toFixed(1)}°`);
  }
  if (t.croppedShare > 0.02) {
    zh.push(`裁剪掉约${Math.round(t.croppedShare * 100)}%`);
    en.push(`about ${Math.round(t.croppedShare * 100)}% cropped away`);
  }
  if (t.marginShare > 0.05) {
    zh.push('嵌入更大的画面（截图界面或边框）');
    en.push('placed inside a larger canvas (a screenshot or border)');
  }
  if (t.perspective > 0.008) {
    zh.push('带有透视变形（如翻拍屏幕）');
    en.push('with a perspective warp (as when a screen is photographed)');
  }
  if (t.mirrored) {
    zh.push('左右镜像');
    en.push('mirrored');
  }
  if (zh.length === 0) return { zh: '几乎未做几何改动', en: 'with almost no geometric change' };
  return { zh: zh.join('、'), en: en.join(', ') };
}

/** Names the part of the picture a box lies in (3×3 grid). */
export function describeLocation(
  x: number,
  y: number,
  w: number,
  h: number,
  width: number,
  height: number,
): LocalizedText {
  const cx = (x + w / 2) / width;
  const cy = (y + h / 2) / height;
  const col = cx < 1 / 3 ? 0 : cx < 2 / 3 ? 1 : 2;
  const row = cy < 1 / 3 ? 0 : cy < 2 / 3 ? 1 : 2;
  const zh = [
    ['左上角', '上方', '右上角'],
    ['左侧', '中央', '右侧'],
    ['左下角', '下方', '右下角'],
  ][row]![col]!;
  const en = [
    ['top left', 'top', 'top right'],
    ['left', 'centre', 'right'],
    ['bottom left', 'bottom', 'bottom right'],
  ][row]![col]!;
  return { zh, en };
}

/** What a change looks like: a thin dark line, a darkened patch, or replaced content. */
export function describeChangeKind(
  fill: number,
  meanSigned: number,
  meanAbs: number,
): LocalizedText {
  const darker = meanSigned < -0.5 * meanAbs;
  if (darker && fill < 0.3)
    return {
      zh: '新增的暗色细线（疑似裂纹或划痕）',
      en: 'a new thin dark line (a crack or scratch)',
    };
  if (darker) return { zh: '新增的变暗区域（疑似污渍）', en: 'a new darkened area (a stain)' };
  return {
    zh: '内容被替换或复制的区域（疑似拼接或复制粘贴）',
    en: 'an area whose content was replaced or copied (a splice or copy-move)',
  };
}
