/**
 * Start-up time of `node bin/anxin.js serve`, from spawn() to the
 * "listening on" line, against a bare Node HTTP server spawned the same way
 * in the same run. Kinds are interleaved run by run so that the machine's
 * noise lands on all of them alike.
 *
 *   npx tsx bench/startup.ts          BENCH_RUNS=15, ANXIN_BENCH_PG_URL=postgres://… optional
 */
import { makeTempDir, removeTempDir, runAsScript } from './support/cleanup.js';
import {
  createScratchDatabase,
  postgresUrlFromEnv,
  type ScratchDatabase,
} from './support/postgres.js';
import {
  ensureBuilt,
  isMainModule,
  ms,
  positiveIntegerFromEnv,
  printFigure,
  printHeader,
  ratio,
} from './support/report.js';
import {
  startAnxin,
  startBareNodeServer,
  stopChild,
  type AnxinDatabase,
} from './support/server.js';
import { median, summarize } from './support/stats.js';

export interface StartupOptions {
  readonly runs: number;
  readonly warmupRuns: number;
  readonly postgresUrl: string | undefined;
}

export function startupOptionsFromEnv(): StartupOptions {
  return {
    runs: positiveIntegerFromEnv('BENCH_RUNS', 15),
    warmupRuns: positiveIntegerFromEnv('BENCH_STARTUP_WARMUP', 1),
    postgresUrl: postgresUrlFromEnv(),
  };
}

interface Kind {
  readonly name: string;
  /** One timed start; returns [spawn-to-listening ms, server-reported ms]. */
  readonly once: () => Promise<[number, number | undefined]>;
  readonly prepare?: () => Promise<void>;
  readonly dispose?: () => Promise<void>;
}

async function timedAnxinStart(
  dataDir: string,
  database: AnxinDatabase,
  expectFirstStart: boolean,
): Promise<[number, number]> {
  const server = await startAnxin(dataDir, database);
  try {
    if (expectFirstStart !== (server.oneTimePassword !== undefined)) {
      throw new Error(
        `expected a ${expectFirstStart ? 'first' : 'warm'} start but the banner said otherwise`,
      );
    }
    return [server.elapsedMs, server.reportedMs];
  } finally {
    await server.stop();
  }
}

/** First start: a new data dir (and database) every run, so migrations, key file and admin creation are included. */
function firstStartKind(name: string, postgresUrl?: string): Kind {
  return {
    name,
    async once() {
      const dataDir = makeTempDir();
      let scratch: ScratchDatabase | undefined;
      try {
        if (postgresUrl) scratch = await createScratchDatabase(postgresUrl, 'first');
        return await timedAnxinStart(
          dataDir,
          scratch ? { url: scratch.url, schema: scratch.schema } : {},
          true,
        );
      } finally {
        removeTempDir(dataDir);
        await scratch?.drop();
      }
    },
  };
}

/** Warm restart: one data dir (and database), migrated once untimed, restarted every run. */
function warmStartKind(name: string, postgresUrl?: string): Kind {
  let dataDir = '';
  let scratch: ScratchDatabase | undefined;
  let database: AnxinDatabase = {};
  return {
    name,
    async prepare() {
      dataDir = makeTempDir();
      if (postgresUrl) {
        scratch = await createScratchDatabase(postgresUrl, 'warm');
        database = { url: scratch.url, schema: scratch.schema };
      }
      await timedAnxinStart(dataDir, database, true);
    },
    once: () => timedAnxinStart(dataDir, database, false),
    async dispose() {
      if (dataDir) removeTempDir(dataDir);
      await scratch?.drop();
    },
  };
}

const baselineKind: Kind = {
  name: 'startup.baseline.node-http',
  async once() {
    const spawned = await startBareNodeServer();
    await stopChild(spawned.child);
    return [spawned.elapsedMs, undefined];
  },
};

export async function benchStartup(
  options: StartupOptions = startupOptionsFromEnv(),
): Promise<void> {
  ensureBuilt();
  printHeader('startup', {
    runs: options.runs,
    warmup: options.warmupRuns,
    postgres: options.postgresUrl ? 'yes' : 'no',
  });
  const kinds: Kind[] = [
    baselineKind,
    firstStartKind('startup.sqlite.first'),
    warmStartKind('startup.sqlite.warm'),
  ];
  if (options.postgresUrl) {
    kinds.push(
      firstStartKind('startup.postgres.first', options.postgresUrl),
      warmStartKind('startup.postgres.warm', options.postgresUrl),
    );
  }
  const samples = new Map<string, number[]>(kinds.map((k) => [k.name, []]));
  const reported = new Map<string, number[]>(kinds.map((k) => [k.name, []]));
  try {
    for (const kind of kinds) await kind.prepare?.();
    // Untimed rounds fill the page cache (node, node_modules, dist) so run 1 is not a disk benchmark.
    for (let i = 0; i < options.warmupRuns; i++) for (const kind of kinds) await kind.once();
    for (let i = 0; i < options.runs; i++) {
      for (const kind of kinds) {
        const [elapsed, self] = await kind.once();
        samples.get(kind.name)!.push(elapsed);
        if (self !== undefined) reported.get(kind.name)!.push(self);
      }
    }
  } finally {
    for (const kind of kinds) await kind.dispose?.();
  }

  const baseline = summarize(samples.get(baselineKind.name)!);
  printFigure(baselineKind.name, {
    median: ms(baseline.median),
    p99: ms(baseline.p99),
    ratio: '1.00x',
    n: baseline.n,
  });
  for (const kind of kinds.slice(1)) {
    const s = summarize(samples.get(kind.name)!);
    printFigure(kind.name, {
      median: ms(s.median),
      p99: ms(s.p99),
      ratio: ratio(s.median, baseline.median),
      'baseline(node-http)': ms(baseline.median),
      'server-reported': ms(median(reported.get(kind.name)!)),
      n: s.n,
    });
  }
}

if (isMainModule(import.meta.url)) runAsScript(() => benchStartup());
