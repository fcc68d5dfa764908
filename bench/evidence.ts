/**
 * The evidence check's speed bar (`npm run bench:evidence`), from one run:
 *  - median time to fully analyse a 12-MP phone-style JPEG against three
 *    references, against the floor of sharp merely decoding that JPEG, and
 *    their ratio (goal ≤ 3);
 *  - throughput in images per second with one worker per core;
 *  - reuse-index query time at 1 M and 10 M entries (bench/evidence-reuse.ts).
 *
 *   npx tsx bench/evidence.ts          BENCH_RUNS=9  BENCH_THROUGHPUT_IMAGES=16  BENCH_REUSE=0 to skip the index
 */
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import sharp from 'sharp';
import { analyzeEvidence } from '../src/evidence/index.js';
import { runAsScript } from './support/cleanup.js';
import {
  isMainModule,
  ms,
  positiveIntegerFromEnv,
  printFigure,
  printHeader,
  ratio,
} from './support/report.js';
import { median, percentile } from './support/stats.js';
import { benchReuse, reuseBenchOptionsFromEnv } from './evidence-reuse.js';
import { evidenceFixtures } from './support/evidence-fixtures.js';

export async function benchEvidence(): Promise<void> {
  sharp.cache(false);
  const runs = positiveIntegerFromEnv('BENCH_RUNS', 9);
  const images = positiveIntegerFromEnv('BENCH_THROUGHPUT_IMAGES', 16);
  const { claim, references } = await evidenceFixtures();
  printHeader('evidence', {
    runs,
    claim: '4000x3000-q90',
    claimBytes: claim.length,
    references: references.length,
    cores: os.availableParallelism(),
  });

  const analyse = () =>
    analyzeEvidence(claim, {
      references: references.map((bytes, i) => ({ bytes, label: `ref${i + 1}` })),
    });
  const decode = () => sharp(claim).raw().toBuffer();
  const warm = await analyse();
  await decode();
  const analysisTimes: number[] = [];
  const decodeTimes: number[] = [];
  for (let i = 0; i < runs; i += 1) {
    // Interleaved so machine noise lands on both alike.
    let start = performance.now();
    await decode();
    decodeTimes.push(performance.now() - start);
    start = performance.now();
    await analyse();
    analysisTimes.push(performance.now() - start);
  }
  const floor = median(decodeTimes);
  printFigure('evidence.decode.sharp', {
    median: ms(floor),
    p99: ms(percentile(decodeTimes, 99)),
    n: runs,
  });
  printFigure('evidence.analyze.12mp-3refs', {
    median: ms(median(analysisTimes)),
    p99: ms(percentile(analysisTimes, 99)),
    ratio: ratio(median(analysisTimes), floor),
    goal: '<=3.00x',
    score: warm.report.score,
    n: runs,
  });
  const stages = Object.entries(warm.report.timings_ms)
    .map(([k, v]) => `${k}=${v}`)
    .join(' ');
  process.stdout.write(`# stages of the warm-up run (ms): ${stages}\n`);

  const cores = os.availableParallelism();
  const started = performance.now();
  await Promise.all(
    Array.from({ length: cores }, (_, w) => {
      const share = Math.ceil(images / cores);
      return new Promise<void>((resolve, reject) => {
        // The worker is TypeScript: register tsx's loader inside it before importing it.
        const url = new URL('./support/evidence-worker.ts', import.meta.url).href;
        const worker = new Worker(
          `import('tsx/esm/api').then((api) => { api.register(); return import(${JSON.stringify(url)}); })`,
          {
            eval: true,
            workerData: { claim, references, count: Math.min(share, images - w * share) },
          },
        );
        worker.once('message', () => void worker.terminate().then(() => resolve()));
        worker.once('error', reject);
      });
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  printFigure('evidence.throughput', {
    images,
    workers: cores,
    'images/s': (images / seconds).toFixed(2),
    'serial-images/s': (1000 / median(analysisTimes)).toFixed(2),
  });

  if (process.env['BENCH_REUSE'] !== '0') await benchReuse(reuseBenchOptionsFromEnv());
}

if (isMainModule(import.meta.url)) runAsScript(() => benchEvidence());
