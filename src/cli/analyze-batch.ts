import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { AppError } from '../kernel/index.js';
import type { BatchCase, BatchResult } from './analyze-worker.js';

const IMAGE_EXTENSIONS = /\.(jpe?g|png|webp|avif|heic|heif|gif)$/i;

/** Reads the cases of a batch: a JSON list (paths relative to it) or every image in a directory. */
export function loadCases(source: string): BatchCase[] {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(source);
  } catch {
    throw new AppError('CLI_FILE_UNREADABLE', 'invalid', `Cannot read ${source}`);
  }
  if (stat.isDirectory()) {
    return fs
      .readdirSync(source)
      .filter((f) => IMAGE_EXTENSIONS.test(f))
      .sort()
      .map((f) => ({ id: f, claim: path.join(source, f), references: [] }));
  }
  let list: unknown;
  try {
    list = JSON.parse(fs.readFileSync(source, 'utf8'));
  } catch {
    throw new AppError('CLI_BATCH_INVALID', 'invalid', `${source} is not a JSON list of cases`);
  }
  if (!Array.isArray(list))
    throw new AppError('CLI_BATCH_INVALID', 'invalid', `${source} is not a JSON list of cases`);
  const base = path.dirname(source);
  return list.map((raw: unknown, i) => {
    const entry = raw as {
      id?: unknown;
      claim?: unknown;
      references?: unknown;
      delivered_at?: unknown;
    };
    if (typeof entry.claim !== 'string')
      throw new AppError('CLI_BATCH_INVALID', 'invalid', `case ${i} has no claim path`);
    const references = Array.isArray(entry.references)
      ? entry.references.filter((r): r is string => typeof r === 'string')
      : [];
    return {
      id: typeof entry.id === 'string' ? entry.id : String(i),
      claim: path.resolve(base, entry.claim),
      references: references.map((r) => path.resolve(base, r)),
      ...(typeof entry.delivered_at === 'string' ? { deliveredAt: entry.delivered_at } : {}),
    };
  });
}

function progress(done: number, total: number, startedAt: number): string {
  const width = 30;
  const filled = Math.round((done / Math.max(1, total)) * width);
  const rate = done / Math.max(0.001, (performance.now() - startedAt) / 1000);
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total} ${rate.toFixed(1)}/s`;
}

/** Analyses every case on a pool of worker threads and writes one JSON line per case, in input order. */
export async function runBatch(options: {
  source: string;
  out?: string | undefined;
  jobs?: string | undefined;
}): Promise<void> {
  const cases = loadCases(options.source);
  const jobs = options.jobs === undefined ? os.availableParallelism() : Number(options.jobs);
  if (!Number.isInteger(jobs) || jobs < 1)
    throw new AppError('CLI_OPTION_INVALID', 'invalid', '--jobs must be a positive whole number');
  const out = options.out ? fs.createWriteStream(options.out) : process.stdout;
  const results: (BatchResult | undefined)[] = new Array<BatchResult | undefined>(cases.length);
  let next = 0;
  let written = 0;
  let done = 0;
  const startedAt = performance.now();
  const isTty = process.stderr.isTTY;

  const flush = () => {
    while (written < cases.length && results[written]) {
      out.write(`${JSON.stringify(results[written])}\n`);
      results[written] = undefined;
      written += 1;
    }
  };

  // From sources (tsx) the worker is TypeScript and needs tsx's loader; from dist/ it is plain JS.
  const fromSources = import.meta.url.endsWith('.ts');
  const workerUrl = new URL(
    fromSources ? './analyze-worker.ts' : './analyze-worker.js',
    import.meta.url,
  );
  const workers = Array.from({ length: Math.min(jobs, Math.max(1, cases.length)) }, () =>
    fromSources
      ? new Worker(
          `import('tsx/esm/api').then((api) => { api.register(); return import(${JSON.stringify(workerUrl.href)}); })`,
          { eval: true },
        )
      : new Worker(workerUrl),
  );
  await Promise.all(
    workers.map(
      (worker) =>
        new Promise<void>((resolve, reject) => {
          const feed = () => {
            if (next >= cases.length) {
              void worker.terminate().then(() => resolve());
              return;
            }
            const index = next;
            next += 1;
            worker.once('message', (result: BatchResult) => {
              results[index] = result;
              done += 1;
              flush();
              if (isTty) process.stderr.write(`\r${progress(done, cases.length, startedAt)}`);
              else if (
                done % Math.max(1, Math.floor(cases.length / 10)) === 0 ||
                done === cases.length
              ) {
                process.stderr.write(`${progress(done, cases.length, startedAt)}\n`);
              }
              feed();
            });
            worker.postMessage(cases[index]);
          };
          worker.once('error', reject);
          feed();
        }),
    ),
  );
  if (isTty) process.stderr.write('\n');
  if (out !== process.stdout)
    await new Promise<void>((resolve) => (out as fs.WriteStream).end(resolve));
}
