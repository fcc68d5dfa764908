/**
 * All provenance findings for one image. Absence of metadata is neutral:
 * when nothing fires, one zero-strength signal records that we looked.
 */
import type { ImageFormat, RasterImage, Signal } from '../model.js';
import { aigcLabelSignal } from './aigc-label.js';
import { c2paSignals } from './c2pa-signals.js';
import { captureTimeSignals } from './capture-time.js';
import { consistencySignals } from './consistency.js';
import { editingSoftwareSignal } from './editing-software.js';
import { generatorTraceSignal } from './generator-traces.js';
import type { MetadataBundle } from './model.js';
import { readMetadata, type ReadMetadataOptions } from './read-metadata.js';
import { STRENGTH, provenanceSignal } from './signal-kit.js';
import { thumbnailSignal } from './thumbnail.js';

/** What the caller knows about the claim besides its bytes. */
export interface ProvenanceContext {
  /** When the order was delivered; a photo taken before it cannot show delivery damage. */
  deliveredAt?: Date;
  /** The claim's decoded pixels after EXIF orientation, for the thumbnail comparison and size checks. */
  claimPixels?: RasterImage;
  /** The current time, for "capture time in the future"; passed in so the rules stay pure. */
  now?: Date;
}

/** Turns a metadata bundle into provenance signals (family `provenance`). */
export async function provenanceSignals(
  bundle: MetadataBundle,
  context: ProvenanceContext = {},
): Promise<Signal[]> {
  const signals: Signal[] = [];
  const push = (s: Signal | undefined): void => {
    if (s) signals.push(s);
  };
  push(aigcLabelSignal(bundle));
  signals.push(...c2paSignals(bundle));
  push(generatorTraceSignal(bundle));
  push(editingSoftwareSignal(bundle));
  signals.push(...captureTimeSignals(bundle, context));
  push(await thumbnailSignal(bundle, context.claimPixels));
  signals.push(...consistencySignals(bundle, context.claimPixels));
  if (signals.length === 0) signals.push(nothingFound(bundle));
  return signals;
}

/** Reads the metadata of `bytes` and returns its provenance signals in one call. */
export async function analyzeProvenance(
  bytes: Uint8Array,
  format: ImageFormat,
  context: ProvenanceContext = {},
  options: ReadMetadataOptions = {},
): Promise<{ bundle: MetadataBundle; signals: Signal[] }> {
  const bundle = await readMetadata(bytes, format, options);
  return { bundle, signals: await provenanceSignals(bundle, context) };
}

function nothingFound(bundle: MetadataBundle): Signal {
  const containers = [
    bundle.exif && 'EXIF',
    bundle.xmp && 'XMP',
    bundle.iptc && 'IPTC',
    bundle.pngText.length > 0 && 'PNG text',
    bundle.c2pa && 'C2PA',
  ].filter((c): c is string => typeof c === 'string');
  const read = containers.length > 0 ? containers.join(', ') : 'none';
  const zh =
    containers.length > 0
      ? `已检查元数据（${read}）：没有 AI 标识、生成痕迹、修图软件或时间问题。`
      : '文件没有元数据（常见于经聊天软件转发的照片）；缺少元数据本身不说明问题。';
  const en =
    containers.length > 0
      ? `Metadata checked (${read}): no AI label, generator trace, editing software or timing problem.`
      : 'The file has no metadata (common after messaging apps); missing metadata proves nothing by itself.';
  return provenanceSignal('metadata_checked', STRENGTH.none, zh, en, {
    containers,
    warnings: bundle.warnings.length,
  });
}
