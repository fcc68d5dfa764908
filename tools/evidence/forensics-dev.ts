/**
 * Dev-set probe for the no-reference forensics alone (manipulation + screen
 * signals): prints {"score", "regions", "signals"} for one claim image, the
 * shape evidence-dev/score.py expects. Not the product's fusion: the score
 * here is a plain noisy-or of these signals, to measure them in isolation.
 *
 *   npx tsx tools/evidence/forensics-dev.ts CLAIM [--reference REF ...] [--delivered-at ISO]
 */
import { readFile } from 'node:fs/promises';
import exifr from 'exifr';
import sharp from 'sharp';
import { manipulationSignals } from '../../src/evidence/manipulation/index.js';
import type { ImageFormat, Region, Signal } from '../../src/evidence/model.js';
import { screenSignals } from '../../src/evidence/screen/index.js';

const ANALYSIS_SIDE = 1024;

/** Decodes a claim like the pipeline does and runs both families; returns the probe's JSON. */
export async function probe(path: string): Promise<{
  score: number;
  regions: Region[];
  signals: Array<Pick<Signal, 'id' | 'strength' | 'details'>>;
  timings_ms: Record<string, number>;
}> {
  const bytes = new Uint8Array(await readFile(path));
  const meta = await sharp(bytes).metadata();
  const format = (meta.format === 'jpeg' ? 'jpeg' : (meta.format ?? 'png')) as ImageFormat;
  const swapped = (meta.orientation ?? 1) >= 5;
  const originalSize = {
    width: swapped ? (meta.height ?? 0) : (meta.width ?? 0),
    height: swapped ? (meta.width ?? 0) : (meta.height ?? 0),
  };
  const { data, info } = await sharp(bytes)
    .rotate()
    .removeAlpha()
    .toColourspace('srgb')
    .resize(ANALYSIS_SIDE, ANALYSIS_SIDE, { fit: 'inside', withoutEnlargement: true })
    .raw()
    .toBuffer({ resolveWithObject: true });
  const pixels = {
    width: info.width,
    height: info.height,
    channels: 3 as const,
    data: new Uint8Array(data),
  };
  const tags = (await exifr
    .parse(bytes, { pick: ['Make', 'Model', 'Software'] })
    .catch(() => undefined)) as { Make?: string; Model?: string; Software?: string } | undefined;
  const metadataHints = {
    hasCameraExif: Boolean(tags?.Make ?? tags?.Model),
    ...(tags?.Software ? { software: tags.Software } : {}),
  };
  const t0 = performance.now();
  const manipulation = await manipulationSignals({
    bytes,
    format,
    pixels,
    originalSize,
    errorLevel: true,
  });
  const t1 = performance.now();
  const screen = screenSignals({ pixels, originalSize, metadataHints });
  const t2 = performance.now();
  const signals = [...manipulation.signals, ...screen];
  const score = 1 - signals.reduce((p, s) => p * (1 - s.strength), 1);
  return {
    score: Math.round(score * 1000) / 1000,
    regions: manipulation.regions,
    signals: signals.map((s) => ({ id: s.id, strength: s.strength, details: s.details })),
    timings_ms: { manipulation: Math.round(t1 - t0), screen: Math.round(t2 - t1) },
  };
}

const claim = process.argv[2];
if (claim && import.meta.url === `file://${process.argv[1]}`) {
  probe(claim)
    .then((out) => console.log(JSON.stringify(out)))
    .catch((error: unknown) => {
      console.log(JSON.stringify({ score: 0.5, regions: [], error: String(error) }));
      process.exitCode = 1;
    });
}
