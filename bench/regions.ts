/**
 * Speed of the regions resolver, against a plain Map lookup of exact names
 * measured in the same run:
 *   - throughput over the dev set's inputs (repeated to at least 1 s a round)
 *     and over a generated mix of realistic forms, median of 5 rounds;
 *   - per-name p99 latency;
 *   - start-up (module load + index build) in fresh processes, median, under
 *     tsx and, when dist/ is built, compiled; and the one-off cost of the
 *     national town index, built on the first town named without its county.
 *
 *   npx tsx bench/regions.ts          BENCH_RUNS=7 fresh processes for start-up
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { bundledData, createResolver, RENAMES, type Resolver } from '../src/regions/index.js';
import { runAsScript } from './support/cleanup.js';
import { positiveIntegerFromEnv, printFigure, printHeader, repoRoot } from './support/report.js';
import { median, percentile } from './support/stats.js';

const DEV_SET = '/work/shared/regions-dev/dev.jsonl';
const ROUNDS = 5;
const ROUND_MS = 1000;

/** A small seeded generator, so every run benches the same mix. */
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

/**
 * Names written the way service-area lists write them, drawn from the whole
 * table: full paths, prefecture + county with and without 市, county alone,
 * towns after their county, spaces, notes, trailing phrases, stale names and
 * non-places.
 */
function generatedMix(count: number): string[] {
  const random = seeded(20231);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const units = bundledData().units.filter((u) => !(u.code.length >= 6 && u.code[4] === '7'));
  const names = new Map(units.map((u) => [u.code, u.name]));
  const counties = units.filter((u) => u.code.length === 6);
  const towns = units.filter((u) => u.code.length === 9);
  const prefectureOf = (code: string): string => {
    const name = names.get(code.slice(0, 4)) ?? '';
    return /市辖区|^县$|直辖/.test(name) ? '' : name;
  };
  const nonPlaces = ['全国联保', '客服热线', '华东地区', '附近网点', '上门安装', '售后服务中心'];
  const out: string[] = [];
  while (out.length < count) {
    const county = pick(counties);
    const province = names.get(county.code.slice(0, 2))!;
    const prefecture = prefectureOf(county.code);
    const roll = random();
    if (roll < 0.2) out.push(province + prefecture + county.name);
    else if (roll < 0.4) out.push(prefecture + county.name);
    else if (roll < 0.5) out.push(prefecture.replace(/市$/, '') + county.name);
    else if (roll < 0.6) out.push(county.name);
    else if (roll < 0.75) {
      const town = pick(towns);
      out.push(names.get(town.code.slice(0, 6))! + town.name);
    } else if (roll < 0.8) out.push(` ${prefecture}  ${county.name.split('').join(' ')} `);
    else if (roll < 0.85) out.push(`${prefecture}${county.name}（偏远乡镇除外）`);
    else if (roll < 0.9) out.push(`${prefecture}${county.name}及周边地区`);
    else if (roll < 0.95) out.push(pick(RENAMES).old);
    else out.push(pick(nonPlaces));
  }
  return out;
}

function devInputs(): string[] {
  if (!fs.existsSync(DEV_SET)) return [];
  return fs
    .readFileSync(DEV_SET, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => (JSON.parse(line) as { input: string }).input);
}

/**
 * Names per second over rounds of at least ROUND_MS each, median of the
 * rounds: by the wall clock, and by the process's CPU time, which a loaded
 * machine disturbs less.
 */
function throughput(
  inputs: readonly string[],
  resolveOne: (name: string) => unknown,
): { wall: number; cpu: number } {
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    let done = 0;
    const cpuStart = process.cpuUsage().user;
    const start = performance.now();
    let elapsed = 0;
    do {
      for (const name of inputs) resolveOne(name);
      done += inputs.length;
      elapsed = performance.now() - start;
    } while (elapsed < ROUND_MS);
    wall.push((done / elapsed) * 1000);
    cpu.push((done / (process.cpuUsage().user - cpuStart)) * 1e6);
  }
  return { wall: median(wall), cpu: median(cpu) };
}

/** Per-name latency in microseconds, each call timed on its own. */
function p99Micros(inputs: readonly string[], resolveOne: (name: string) => unknown): number {
  const samples: number[] = [];
  for (let pass = 0; samples.length < 20_000; pass++)
    for (const name of inputs) {
      const start = process.hrtime.bigint();
      resolveOne(name);
      samples.push(Number(process.hrtime.bigint() - start) / 1000);
    }
  return percentile(samples, 99);
}

/** The baseline: exact names in a Map, what a lookup without any understanding costs. */
function exactMap(inputs: readonly string[]): (name: string) => unknown {
  const map = new Map<string, string>();
  for (const unit of bundledData().units) map.set(unit.name, unit.code);
  for (const name of inputs) if (!map.has(name.trim())) map.set(name.trim(), '');
  return (name) => map.get(name.trim());
}

function benchThroughput(label: string, inputs: readonly string[], resolver: Resolver): void {
  const resolveOne = (name: string): unknown => resolver.resolve(name);
  const baselineOne = exactMap(inputs);
  throughput(inputs, resolveOne); // warm-up
  const rate = throughput(inputs, resolveOne);
  const baseline = throughput(inputs, baselineOne);
  printFigure(label, {
    median: `${rate.wall.toFixed(0)}names/s`,
    p99: `${p99Micros(inputs, resolveOne).toFixed(1)}us`,
    cpu: `${rate.cpu.toFixed(0)}names/cpu-s`,
    ratio: `${(rate.wall / baseline.wall).toFixed(4)}x`,
    baseline: `${baseline.wall.toFixed(0)}names/s`,
    inputs: inputs.length,
  });
}

/**
 * What a fresh process runs, as module source for `node -e`: the timer
 * starts before the library is imported, so module load (and, under tsx,
 * the transform) is counted along with the index build.
 */
function childSource(kind: 'tsx' | 'dist' | 'baseline' | 'towns'): string {
  const library = pathToFileURL(
    kind === 'dist'
      ? path.join(repoRoot, 'dist', 'regions', 'index.js')
      : path.join(repoRoot, 'src', 'regions', 'index.ts'),
  ).href;
  const data = pathToFileURL(path.join(repoRoot, 'src', 'regions', 'data', 'divisions.ts')).href;
  switch (kind) {
    case 'baseline':
      // Load the same data and key a Map by exact name: the least any resolver must do.
      return `const c0 = process.cpuUsage().user; const t0 = performance.now();
        const { DIVISIONS_TEXT } = await import(${JSON.stringify(data)});
        const map = new Map();
        for (const line of DIVISIONS_TEXT.split('\\n')) map.set(line.replace(/^\\d+/, ''), line);
        process.stdout.write(JSON.stringify([performance.now() - t0, (process.cpuUsage().user - c0) / 1000]));`;
    case 'towns':
      // The national town index is built on the first town named without its county.
      return `const { createResolver } = await import(${JSON.stringify(library)});
        const resolver = createResolver();
        resolver.resolve('成都市武侯区');
        const c0 = process.cpuUsage().user; const t0 = performance.now();
        resolver.resolve('黄江镇');
        process.stdout.write(JSON.stringify([performance.now() - t0, (process.cpuUsage().user - c0) / 1000]));`;
    case 'tsx':
    case 'dist':
      return `const c0 = process.cpuUsage().user; const t0 = performance.now();
        const { createResolver } = await import(${JSON.stringify(library)});
        createResolver().resolve('成都市武侯区');
        process.stdout.write(JSON.stringify([performance.now() - t0, (process.cpuUsage().user - c0) / 1000]));`;
  }
}

/** One fresh process: [wall ms, CPU ms] of the timed part. */
function startupOnce(kind: 'tsx' | 'dist' | 'baseline' | 'towns'): [number, number] {
  const loader = kind === 'dist' ? [] : ['--import', 'tsx'];
  const output = execFileSync(
    process.execPath,
    [...loader, '--input-type=module', '-e', childSource(kind)],
    { cwd: repoRoot, encoding: 'utf8' },
  );
  return JSON.parse(output) as [number, number];
}

function benchStartup(runs: number): void {
  const kinds: ('tsx' | 'dist' | 'baseline' | 'towns')[] = ['tsx', 'baseline', 'towns'];
  if (fs.existsSync(path.join(repoRoot, 'dist', 'regions', 'index.js'))) kinds.push('dist');
  const results = new Map<string, [number, number][]>(kinds.map((kind) => [kind, []]));
  // Interleaved, so the machine's noise lands on every kind alike.
  for (let run = 0; run < runs; run++)
    for (const kind of kinds) results.get(kind)!.push(startupOnce(kind));
  const wall = (kind: string): number[] => results.get(kind)!.map(([ms]) => ms);
  const cpu = (kind: string): number[] => results.get(kind)!.map(([, ms]) => ms);
  const baseline = median(wall('baseline'));
  for (const kind of kinds.filter((k) => k !== 'baseline')) {
    const times = wall(kind);
    printFigure(
      kind === 'towns' ? 'regions.first-town-without-county' : `regions.startup.${kind}`,
      {
        median: `${median(times).toFixed(1)}ms`,
        max: `${Math.max(...times).toFixed(1)}ms`,
        // Wall time tracks the machine's load; the process's CPU time shows the work itself.
        cpu: `${median(cpu(kind)).toFixed(1)}ms`,
        ratio: `${(median(times) / baseline).toFixed(2)}x`,
        baseline: `${baseline.toFixed(1)}ms`,
        'baseline-cpu': `${median(cpu('baseline')).toFixed(1)}ms`,
        runs,
      },
    );
  }
}

async function main(): Promise<void> {
  const runs = positiveIntegerFromEnv('BENCH_RUNS', 7);
  printHeader('regions', { runs, rounds: ROUNDS, 'round-ms': ROUND_MS });
  const resolver = createResolver();
  const dev = devInputs();
  if (dev.length > 0) benchThroughput('regions.resolve.dev', dev, resolver);
  else process.stdout.write(`# ${DEV_SET} not found: dev-set figures skipped\n`);
  benchThroughput('regions.resolve.mix', generatedMix(20_000), resolver);
  benchStartup(runs);
}

runAsScript(main);
