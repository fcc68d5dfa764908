/**
 * Metadata that disagrees with the file it sits in. Kept weak on purpose:
 * fraudsters copy EXIF from real photos, and genuine photos are resized
 * and re-encoded by apps that keep the camera's tags.
 */
import type { RasterImage, Signal } from '../model.js';
import type { MetadataBundle } from './model.js';
import { STRENGTH, provenanceSignal } from './signal-kit.js';

/** Camera EXIF whose recorded image size is not the file's, and camera EXIF inside a PNG. */
export function consistencySignals(bundle: MetadataBundle, claimPixels?: RasterImage): Signal[] {
  const f = bundle.exif?.fields;
  if (!f?.make && !f?.model) return [];
  const camera = [f.make, f.model].filter(Boolean).join(' ');
  const signals: Signal[] = [];
  const actual = claimPixels
    ? { width: claimPixels.width, height: claimPixels.height }
    : bundle.image;
  const w = f.pixelXDimension;
  const h = f.pixelYDimension;
  if (actual && actual.width > 0 && actual.height > 0 && w && h) {
    // EXIF may record the stored or the displayed size: accept either order.
    const matches = (a: number, b: number): boolean =>
      Math.abs(a - actual.width) <= 1 && Math.abs(b - actual.height) <= 1;
    if (!matches(w, h) && !matches(h, w)) {
      const sameShape =
        Math.abs(Math.log(w / h / (actual.width / actual.height))) < 0.02 ||
        Math.abs(Math.log(h / w / (actual.width / actual.height))) < 0.02;
      signals.push(
        provenanceSignal(
          'exif_size_mismatch',
          sameShape ? STRENGTH.faint : STRENGTH.weakMedium,
          `EXIF 记录的图像尺寸 ${w}×${h}（${camera}）与文件实际尺寸 ${actual.width}×${actual.height} 不符：照片在拍摄后被${sameShape ? '缩放' : '裁剪或改动'}，但保留了相机元数据。`,
          `EXIF records ${w}×${h} (${camera}) but the file is ${actual.width}×${actual.height}: the photo was ${sameShape ? 'resized' : 'cropped or altered'} after capture and kept the camera metadata.`,
          { exifSize: [w, h], actualSize: [actual.width, actual.height], camera, sameShape },
        ),
      );
    }
  }
  if (bundle.format === 'png') {
    signals.push(
      provenanceSignal(
        'camera_exif_in_png',
        STRENGTH.weak,
        `PNG 文件带有相机 EXIF（${camera}）；手机相机不直接输出 PNG，说明照片经过转换或编辑。`,
        `A PNG file carries camera EXIF (${camera}); phone cameras do not write PNG, so the photo was converted or edited.`,
        { camera },
      ),
    );
  }
  return signals;
}
