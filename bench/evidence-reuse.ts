/**
 * Reuse-index benchmark: build time, memory per entry and query latency of
 * the multi-index-hashing PDQ index at PDQ's usual match radius, against a
 * brute-force linear scan over a packed Uint32Array measured in the same run.
 *
 * The data is clustered like real evidence: families of near-duplicates
 * (re-uploads, crops, recompressions: a few to ~24 bits apart) and popular
 * "scenes" (many buyers photographing the same product: 20–60 bits from a
 * shared prototype), plus singletons. Half the queries are near-duplicates
 * of stored items, half are novel. Every query is a single hash, which the
 * index expands to its eight rotated and mirrored variants.
 *
 *   npx tsx bench/evidence-reuse.ts
 *     REUSE_BENCH_SIZES=1000000,10000000   index sizes, in entries
 *     REUSE_BENCH_QUERIES=1000             timed queries per size
 *     REUSE_BENCH_RADIUS=31                match radius in bits
 *     REUSE_BENCH_BRUTE_QUERIES=20         queries for the brute-force baseline
 *     REUSE_BENCH_BRUTE_MAX=2000000        above this size the baseline is extrapolated from the last measured scan rate
 */
import { performance } from 'node:perf_hooks';
import v8 from 'node:v8';
import vm from 'node:vm';
import { pdqDihedralFromHash, popcount32 } from '../src/evidence/hashing/index.js';
import { MihReuseIndex } from '../src/evidence/reuse/index.js';
import { runAsScript } from './support/cleanup.js';
import {
  isMainModule,
  ms,
  positiveIntegerFromEnv,
  printFigure,
  printHeader,
} from './support/report.js';
import { summarize } from './support/stats.js';

export interface ReuseBenchOptions {
  readonly sizes: readonly number[];
  readonly queries: number;
  readonly radius: number;
  readonly bruteQueries: number;
  readonly bruteMax: number;
}

export function reuseBenchOptionsFromEnv(): ReuseBenchOptions {
  const raw = process.env.REUSE_BENCH_SIZES ?? '1000000,10000000';
  const sizes = raw.split(',').map((s) => {
    if (!/^\d+$/.test(s.trim()) || Number(s) < 1)
      throw new Error(`REUSE_BENCH_SIZES must list whole numbers, got ${raw}`);
    return Number(s);
  });
  return {
    sizes,
    queries: positiveIntegerFromEnv('REUSE_BENCH_QUERIES', 1000),
    radius: positiveIntegerFromEnv('REUSE_BENCH_RADIUS', 31),
    bruteQueries: positiveIntegerFromEnv('REUSE_BENCH_BRUTE_QUERIES', 20),
    bruteMax: positiveIntegerFromEnv('REUSE_BENCH_BRUTE_MAX', 2_000_000),
  };
}

/** A seeded generator (mulberry32) so every run indexes the same data. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function randomHash(random: () => number): Uint8Array {
  const hash = new Uint8Array(32);
  for (let i = 0; i < 32; i++) hash[i] = Math.floor(random() * 256);
  return hash;
}

function flipped(hash: Uint8Array, bits: number, random: () => number): Uint8Array {
  const out = Uint8Array.from(hash);
  for (let i = 0; i < bits; i++) {
    const k = Math.floor(random() * 256);
    out[k >> 3]! ^= 1 << (k & 7);
  }
  return out;
}

/** Yields `count` clustered hashes; the same seed gives the same sequence. */
function* clusteredHashes(count: number, seed: number): Generator<Uint8Array> {
  const random = seeded(seed);
  const scenes = Array.from({ length: 5000 }, () => randomHash(random));
  let produced = 0;
  while (produced < count) {
    const roll = random();
    // 30%: a popular scene; otherwise a fresh original with 0–7 re-uploads.
    const base =
      roll < 0.3
        ? flipped(
            scenes[Math.floor(random() * scenes.length)]!,
            20 + Math.floor(random() * 40),
            random,
          )
        : randomHash(random);
    const family = 1 + Math.floor(random() * random() * 8);
    for (let m = 0; m < family && produced < count; m++, produced++)
      yield m === 0 ? base : flipped(base, Math.floor(random() * 25), random);
  }
}

function memoryNow(gc: () => void): number {
  gc();
  gc();
  const usage = process.memoryUsage();
  return usage.heapUsed + usage.arrayBuffers;
}

/** Best distance from a stored hash (words at `base`) to any of the query variants, scanning everything. */
function bruteForce(packed: Uint32Array, variants: Uint32Array[], radius: number): number {
  let found = 0;
  const count = packed.length / 8;
  for (let e = 0, b = 0; e < count; e++, b += 8) {
    const w0 = packed[b]!,
      w1 = packed[b + 1]!,
      w2 = packed[b + 2]!,
      w3 = packed[b + 3]!;
    const w4 = packed[b + 4]!,
      w5 = packed[b + 5]!,
      w6 = packed[b + 6]!,
      w7 = packed[b + 7]!;
    for (const q of variants) {
      const d =
        popcount32(w0 ^ q[0]!) +
        popcount32(w1 ^ q[1]!) +
        popcount32(w2 ^ q[2]!) +
        popcount32(w3 ^ q[3]!) +
        popcount32(w4 ^ q[4]!) +
        popcount32(w5 ^ q[5]!) +
        popcount32(w6 ^ q[6]!) +
        popcount32(w7 ^ q[7]!);
      if (d <= radius) {
        found++;
        break;
      }
    }
  }
  return found;
}

function words(hash: Uint8Array): Uint32Array {
  return new Uint32Array(hash.buffer.slice(hash.byteOffset, hash.byteOffset + 32));
}

export async function benchReuse(
  options: ReuseBenchOptions = reuseBenchOptionsFromEnv(),
): Promise<void> {
  // `npx tsx` cannot pass --expose-gc, and memory per entry needs a settled heap.
  v8.setFlagsFromString('--expose-gc');
  const gc = vm.runInNewContext('gc') as () => void;
  printHeader('evidence-reuse', {
    sizes: options.sizes.join(','),
    queries: options.queries,
    radius: options.radius,
  });
  let scanNsPerEntry: number | undefined;

  for (const n of options.sizes) {
    const random = seeded(n);
    // Which stored items the near-duplicate queries copy, picked up front so the data needs no second copy.
    const targets = new Set<number>();
    while (targets.size < Math.min(n, Math.ceil(options.queries / 2)))
      targets.add(Math.floor(random() * n));
    const kept: Uint8Array[] = [];

    const before = memoryNow(gc);
    const started = performance.now();
    let index: MihReuseIndex | undefined = new MihReuseIndex();
    let i = 0;
    for (const hash of clusteredHashes(n, 7)) {
      index.add(`ev-${i}`, hash);
      if (targets.has(i)) kept.push(hash);
      i++;
    }
    index.compact();
    const buildSeconds = (performance.now() - started) / 1000;
    const keptBytes = kept.length * 100;
    const after = memoryNow(gc);
    const footprint = index.footprint();
    const typed = footprint.hashBytes + footprint.postingBytes + footprint.deltaBytes;
    const total = after - before - keptBytes;
    printFigure('reuse.build', {
      n,
      time: `${buildSeconds.toFixed(1)}s`,
      per_entry: `${((buildSeconds * 1e9) / n).toFixed(0)}ns`,
    });
    printFigure('reuse.memory', {
      n,
      hashes: `${(footprint.hashBytes / n).toFixed(1)}B/entry`,
      postings: `${(footprint.postingBytes / n).toFixed(1)}B/entry`,
      index: `${(typed / n).toFixed(1)}B/entry`,
      ids: `${((total - typed) / n).toFixed(1)}B/entry`,
      total: `${(total / n).toFixed(1)}B/entry`,
      rss: `${(process.memoryUsage().rss / 2 ** 30).toFixed(2)}GiB`,
    });

    // Half near-duplicates of stored items (0–24 bits off), half novel hashes.
    const queries: Uint8Array[] = [];
    for (let q = 0; q < options.queries; q++) {
      const near = kept[q >> 1];
      queries.push(
        q % 2 === 0 && near ? flipped(near, Math.floor(random() * 25), random) : randomHash(random),
      );
    }
    for (const query of queries.slice(0, 20)) index.query(query, options.radius, 10); // warm-up
    const latencies: number[] = [];
    let hits = 0;
    for (const query of queries) {
      const t0 = performance.now();
      const matches = index.query(query, options.radius, 10);
      latencies.push(performance.now() - t0);
      if (matches.length > 0) hits++;
    }
    const timing = summarize(latencies);

    let brute: string;
    let bruteMedian: number;
    if (n <= options.bruteMax) {
      // The baseline scans a packed copy built after the index was measured, answering the same 8-variant query.
      index = undefined;
      gc();
      const packed = new Uint32Array(n * 8);
      let e = 0;
      for (const hash of clusteredHashes(n, 7)) packed.set(words(hash), 8 * e++);
      const bruteTimes: number[] = [];
      for (const query of queries.slice(0, options.bruteQueries)) {
        const variants = pdqDihedralFromHash(query).map(words);
        const t0 = performance.now();
        bruteForce(packed, variants, options.radius);
        bruteTimes.push(performance.now() - t0);
      }
      bruteMedian = summarize(bruteTimes).median;
      scanNsPerEntry = (bruteMedian * 1e6) / n;
      brute = ms(bruteMedian);
    } else if (scanNsPerEntry !== undefined) {
      bruteMedian = (scanNsPerEntry * n) / 1e6;
      brute = `${ms(bruteMedian)}(est)`;
    } else {
      bruteMedian = Number.NaN;
      brute = 'unmeasured';
    }
    printFigure('reuse.query', {
      n,
      median: ms(timing.median),
      p99: ms(timing.p99),
      brute_median: brute,
      ratio: Number.isNaN(bruteMedian) ? '-' : `${(bruteMedian / timing.median).toFixed(0)}x`,
      mem: `${(total / n).toFixed(0)}B/entry`,
      hits: `${hits}/${queries.length}`,
    });
    index = undefined;
    kept.length = 0;
    gc();
  }
}

if (isMainModule(import.meta.url)) runAsScript(() => benchReuse());
