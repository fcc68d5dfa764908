/**
 * Development command for the reference check alone, in the evidence-dev
 * scorer's contract: `reference-dev CLAIM --reference REF [...]` prints
 * {"score", "regions"} where score is the derived-from-reference evidence.
 *
 *   python3 ../shared/evidence-dev/score.py ../shared/evidence-dev/manifest.json \
 *     --cmd 'npx tsx tools/evidence/reference-dev.ts {claim} --reference {ref}' --jobs 2
 */
import sharp from 'sharp';
import type { RasterImage } from '../../src/evidence/model.js';
import { compareWithReferences } from '../../src/evidence/reference/index.js';

/** Analysis copies are at most this long, as the analyzer passes them. */
const ANALYSIS_SIDE = 1024;

async function decode(
  file: string,
): Promise<{ pixels: RasterImage; width: number; height: number }> {
  const image = sharp(file).rotate().removeAlpha();
  const meta = await sharp(file).rotate().metadata();
  const { data, info } = await image
    .resize({
      width: ANALYSIS_SIDE,
      height: ANALYSIS_SIDE,
      fit: 'inside',
      withoutEnlargement: true,
    })
    .raw()
    .toBuffer({ resolveWithObject: true });
  const swap = (meta.orientation ?? 1) >= 5;
  return {
    pixels: { width: info.width, height: info.height, channels: 3, data: new Uint8Array(data) },
    width: swap ? meta.height : meta.width,
    height: swap ? meta.width : meta.height,
  };
}

const args = process.argv.slice(2);
const claimPath = args.find(
  (a, i) => !a.startsWith('-') && (i === 0 || !args[i - 1]!.startsWith('--')),
);
const refs = args.flatMap((a, i) => (a === '--reference' && args[i + 1] ? [args[i + 1]!] : []));
if (!claimPath) {
  console.error('usage: reference-dev CLAIM --reference REF [--reference REF ...]');
  process.exit(2);
}
const claim = await decode(claimPath);
const references = await Promise.all(refs.map(async (r) => (await decode(r)).pixels));
const started = performance.now();
const result = await compareWithReferences(claim.pixels, references, {
  claimOriginalSize: { width: claim.width, height: claim.height },
  artifacts: false,
});
const derived = result.signals.find((s) => s.id === 'reference.derived')?.strength ?? 0;
console.log(
  JSON.stringify({
    score: derived,
    regions: result.regions,
    ms: Math.round(performance.now() - started),
    best: result.best,
    signals: result.signals.map((s) => ({ id: s.id, strength: s.strength, en: s.reason.en })),
  }),
);
