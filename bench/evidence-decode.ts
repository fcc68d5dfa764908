/**
 * Decoding cost of the evidence guard on a 12-megapixel phone-style JPEG
 * (4000×3000, quality 90) against the floor: sharp merely decoding it to raw
 * pixels. Kinds are interleaved run by run so machine noise lands on all alike.
 *
 *   node --expose-gc --import tsx bench/evidence-decode.ts     BENCH_RUNS=9 (gc optional)
 */
import { performance } from 'node:perf_hooks';
import sharp from 'sharp';
import { decodeForAnalysis, decodeImage, openImage } from '../src/evidence/guard/index.js';
import type { DecodedImage } from '../src/evidence/model.js';
import { runAsScript } from './support/cleanup.js';
import {
  isMainModule,
  ms,
  positiveIntegerFromEnv,
  printFigure,
  printHeader,
  ratio,
} from './support/report.js';
import { median } from './support/stats.js';

const WIDTH = 4000;
const HEIGHT = 3000;
const ANALYSIS_SIDE = 1024;

/** A photo-like frame: smooth lighting, mid-frequency texture and sensor noise, so it compresses like a photo. */
async function phoneStyleJpeg(): Promise<Buffer> {
  const raw = Buffer.alloc(WIDTH * HEIGHT * 3);
  let seed = 20260101;
  const noise = () => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return (seed >>> 24) / 16 - 8;
  };
  for (let y = 0; y < HEIGHT; y++) {
    for (let x = 0; x < WIDTH; x++) {
      const light = 90 + 80 * Math.sin((x + y) / 900);
      const texture = 25 * Math.sin(x / 23) * Math.cos(y / 31);
      const i = (y * WIDTH + x) * 3;
      raw[i] = clamp(light + texture + noise() + 20);
      raw[i + 1] = clamp(light - texture + noise());
      raw[i + 2] = clamp(light * 0.8 + noise());
    }
  }
  return sharp(raw, { raw: { width: WIDTH, height: HEIGHT, channels: 3 } })
    .jpeg({ quality: 90 })
    .withMetadata({ orientation: 1 })
    .toBuffer();
}

function clamp(value: number): number {
  return Math.max(0, Math.min(255, Math.round(value)));
}

/** Runs the decode kinds, interleaved, and prints each median with its ratio to sharp's bare decode. */
export async function benchEvidenceDecode(
  runs = positiveIntegerFromEnv('BENCH_RUNS', 9),
): Promise<void> {
  // Real traffic decodes each upload once: libvips's operation cache would flatter repeated decodes.
  sharp.cache(false);
  const jpeg = await phoneStyleJpeg();
  printHeader('evidence-decode', { runs, image: `${WIDTH}x${HEIGHT}-q90`, bytes: jpeg.length });
  const decoded: DecodedImage = await decodeImage(jpeg);
  const kinds: Record<string, () => Promise<unknown>> = {
    // sharp's defaults convert the embedded ICC profile (withMetadata adds sRGB) to sRGB.
    'decode.sharp-raw': () => sharp(jpeg).raw().toBuffer(),
    // The bare decode: no colour management, as the guard decodes.
    'decode.sharp-raw-ignore-icc': () => sharp(jpeg, { ignoreIcc: true }).raw().toBuffer(),
    'decode.guard-open': () => openImage(jpeg),
    'decode.guard-full': () => decodeImage(jpeg),
    'decode.guard-analysis-only': async () => decodeForAnalysis(decoded, ANALYSIS_SIDE),
    'decode.guard-full+analysis': async () =>
      decodeForAnalysis(await decodeImage(jpeg), ANALYSIS_SIDE),
    'decode.guard-reduced': async () => (await openImage(jpeg)).analysisPixels(ANALYSIS_SIDE),
  };
  const samples = new Map<string, number[]>(Object.keys(kinds).map((name) => [name, []]));
  for (const run of Object.values(kinds)) await run(); // warm-up: libvips caches, JIT
  // Alternate the order run by run and collect garbage before each sample: every kind
  // allocates a 36 MB buffer, and whichever kind triggers a collection would pay for all.
  const gc = (globalThis as { gc?: () => void }).gc;
  for (let i = 0; i < runs; i++) {
    const order = Object.entries(kinds);
    if (i % 2 === 1) order.reverse();
    for (const [name, run] of order) {
      gc?.();
      const start = performance.now();
      await run();
      samples.get(name)!.push(performance.now() - start);
    }
  }
  const floor = median(samples.get('decode.sharp-raw')!);
  const bareFloor = median(samples.get('decode.sharp-raw-ignore-icc')!);
  for (const [name, values] of samples) {
    printFigure(name, {
      median: ms(median(values)),
      'vs-sharp-default': ratio(median(values), floor),
      'vs-bare-decode': ratio(median(values), bareFloor),
      n: values.length,
    });
  }
}

if (isMainModule(import.meta.url)) runAsScript(() => benchEvidenceDecode());
