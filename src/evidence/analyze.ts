import { collectRegions, fuseSignals } from './fusion/fuse.js';
import { openImage, type OpenedImage } from './guard/index.js';
import { pdqDihedral } from './hashing/index.js';
import { manipulationSignals } from './manipulation/index.js';
import {
  DEFAULT_THRESHOLDS,
  type EvidenceReport,
  type ImageLimits,
  type RasterImage,
  type ReferenceInput,
  type Signal,
  type VerdictThresholds,
} from './model.js';
import { analyzeProvenance } from './provenance/index.js';
import { compareWithReferences } from './reference/index.js';
import { PDQ_MATCH_DISTANCE, reuseSignal, type ReuseIndex } from './reuse/index.js';
import { screenSignals } from './screen/index.js';
import { ENGINE_VERSION } from './version.js';

/** What one analysis needs besides the claim's bytes. */
export interface AnalysisOptions {
  references?: readonly ReferenceInput[];
  /** When the parcel was delivered: a damage photo taken earlier is suspect. */
  deliveredAt?: Date;
  /** Earlier evidence of every merchant; the claim's hash is looked up, never added here. */
  reuseIndex?: ReuseIndex;
  /** Ids in the reuse index that belong to this same claim and must not count as reuse. */
  reuseExclude?: readonly string[];
  thresholds?: VerdictThresholds;
  limits?: Partial<ImageLimits>;
  /** Long side of the pixels the analyses work on. */
  analysisMaxSide?: number;
  /** "Now", for capture times in the future; passed in so results are reproducible. */
  now?: Date;
}

/** Extra outputs for overlays and reviewers, kept out of the JSON report. */
export interface AnalysisArtifacts {
  claim: OpenedImage;
  claimAnalysis: RasterImage;
  /** The reference the claim best matches, warped into the claim's frame (analysis size), when any. */
  alignedReference?: RasterImage;
  changeMap?: RasterImage;
  errorLevelMap?: RasterImage;
}

const DEFAULT_ANALYSIS_SIDE = 1024;

async function timed<T>(
  timings: Record<string, number>,
  key: string,
  run: () => Promise<T> | T,
): Promise<T> {
  const started = performance.now();
  try {
    return await run();
  } finally {
    timings[key] = Math.round((performance.now() - started) * 10) / 10;
  }
}

/**
 * Analyses one claim photo against the merchant's references, earlier
 * evidence and its own metadata and pixels, and fuses the findings into one
 * explained report. Throws EvidenceError for input that is not an acceptable
 * image; a reference that cannot be read is reported, not fatal.
 */
export async function analyzeEvidence(
  claimBytes: Uint8Array,
  options: AnalysisOptions = {},
): Promise<{ report: EvidenceReport; artifacts: AnalysisArtifacts }> {
  const timings: Record<string, number> = {};
  const started = performance.now();
  const side = options.analysisMaxSide ?? DEFAULT_ANALYSIS_SIDE;

  const claim = await timed(timings, 'open', () => openImage(claimBytes, options.limits));
  const claimAnalysis = await timed(timings, 'decode', () => claim.analysisPixels(side));
  const originalSize = { width: claim.width, height: claim.height };

  const referenceInputs = options.references ?? [];
  const openedReferences = await timed(timings, 'references', () =>
    Promise.all(
      referenceInputs.map(async (ref) => {
        try {
          const opened = await openImage(ref.bytes, options.limits);
          return { ref, pixels: await opened.analysisPixels(side), error: undefined };
        } catch (error) {
          return { ref, pixels: undefined, error };
        }
      }),
    ),
  );
  const usable = openedReferences.filter(
    (r): r is typeof r & { pixels: RasterImage } => r.pixels !== undefined,
  );

  const signals: Signal[] = [];
  const provenance = await timed(timings, 'provenance', () =>
    analyzeProvenance(claim.bytes, claim.format, {
      ...(options.deliveredAt ? { deliveredAt: options.deliveredAt } : {}),
      claimPixels: claimAnalysis,
      ...(options.now ? { now: options.now } : {}),
    }),
  );
  signals.push(...provenance.signals);

  const reference = await timed(timings, 'reference', () =>
    compareWithReferences(
      claimAnalysis,
      usable.map((r) => r.pixels),
      {
        claimOriginalSize: originalSize,
        referenceLabels: usable.map((r, i) => r.ref.label ?? `#${i + 1}`),
      },
    ),
  );
  signals.push(...reference.signals);
  const unreadable = openedReferences.filter((r) => r.error !== undefined).length;
  if (unreadable > 0) {
    signals.push({
      id: 'reference.unreadable',
      family: 'reference',
      strength: 0,
      reason: {
        zh: `有 ${unreadable} 张参考图无法读取，未参与比对。`,
        en: `${unreadable} reference image(s) could not be read and were not compared.`,
      },
    });
  }

  if (options.reuseIndex) {
    const index = options.reuseIndex;
    await timed(timings, 'reuse', () => {
      const hashes = pdqDihedral(claimAnalysis);
      const exclude = new Set(options.reuseExclude ?? []);
      const matches = index
        .query(hashes.hashes, PDQ_MATCH_DISTANCE, 25)
        .filter((m) => !exclude.has(m.id));
      signals.push(reuseSignal(matches, { quality: hashes.quality }));
    });
  }

  const manipulation = await timed(timings, 'manipulation', () =>
    manipulationSignals({
      bytes: claim.bytes,
      format: claim.format,
      pixels: claimAnalysis,
      originalSize,
    }),
  );
  signals.push(...manipulation.signals);

  await timed(timings, 'screen', () => {
    signals.push(
      ...screenSignals({
        pixels: claimAnalysis,
        originalSize,
        metadataHints: { hasCameraExif: provenance.bundle.exif?.fields.make !== undefined },
      }),
    );
  });

  const fusion = fuseSignals(signals, options.thresholds ?? DEFAULT_THRESHOLDS);
  const regions = fusion.score > 0 ? collectRegions(signals) : [];
  timings['total'] = Math.round((performance.now() - started) * 10) / 10;

  const report: EvidenceReport = {
    engineVersion: ENGINE_VERSION,
    score: fusion.score,
    verdict: fusion.verdict,
    regions,
    signals: [...signals].sort((a, b) => b.strength - a.strength),
    claim: { sha256: claim.sha256, format: claim.format, width: claim.width, height: claim.height },
    timings_ms: timings,
  };
  return {
    report,
    artifacts: {
      claim,
      claimAnalysis,
      ...(reference.alignedReference ? { alignedReference: reference.alignedReference } : {}),
      ...(reference.changeMap ? { changeMap: reference.changeMap } : {}),
      ...(manipulation.elaMap ? { errorLevelMap: manipulation.elaMap } : {}),
    },
  };
}
