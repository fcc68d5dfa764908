import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { once } from 'node:events';
import { performance } from 'node:perf_hooks';
import { assertNotInterrupted, trackChild } from './cleanup.js';
import { repoRoot } from './report.js';

export interface Spawned {
  readonly child: ChildProcess;
  /** Milliseconds from just before spawn() to the moment the awaited line arrived on stdout. */
  readonly elapsedMs: number;
  /** Every stdout line seen up to and including the awaited one. */
  readonly lines: readonly string[];
}

/**
 * Spawns a process and resolves when a stdout line matches. On a timeout or
 * an early exit the process is killed and the error carries its stderr tail.
 */
export function spawnUntilLine(
  command: string,
  args: readonly string[],
  options: { env: NodeJS.ProcessEnv; until: RegExp; timeoutMs?: number },
): Promise<Spawned> {
  assertNotInterrupted();
  return new Promise((resolve, reject) => {
    const startedAt = performance.now();
    const child = spawn(command, args, {
      cwd: repoRoot,
      env: options.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    trackChild(child);
    const lines: string[] = [];
    let pending = '';
    let stderr = '';
    let settled = false;

    const fail = (message: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(
        new Error(
          `${message}\n--- stderr ---\n${stderr.slice(-4000)}--- stdout ---\n${lines.join('\n').slice(-2000)}`,
        ),
      );
    };
    const timer = setTimeout(
      () =>
        fail(
          `${command} ${args.join(' ')}: no line matching ${options.until} within ${options.timeoutMs ?? 30_000} ms`,
        ),
      options.timeoutMs ?? 30_000,
    );

    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      if (settled) return;
      pending += chunk;
      let newline = pending.indexOf('\n');
      while (newline !== -1) {
        const line = pending.slice(0, newline);
        pending = pending.slice(newline + 1);
        lines.push(line);
        if (options.until.test(line)) {
          const elapsedMs = performance.now() - startedAt;
          settled = true;
          clearTimeout(timer);
          resolve({ child, elapsedMs, lines });
          return;
        }
        newline = pending.indexOf('\n');
      }
    });
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      stderr = (stderr + chunk).slice(-8000);
    });
    child.once('error', (error) => fail(`${command}: ${error.message}`));
    child.once('exit', (code, signal) =>
      fail(
        `${command} ${args.join(' ')} exited (code ${code}, signal ${signal}) before printing the awaited line`,
      ),
    );
  });
}

/** Asks the process to stop (SIGTERM), then kills it if it has not exited after `graceMs`. */
export async function stopChild(child: ChildProcess, graceMs = 10_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  try {
    await exited;
  } finally {
    clearTimeout(timer);
  }
}

export interface AnxinDatabase {
  /** Omit for the default SQLite file in the data dir. */
  readonly url?: string;
  readonly schema?: string;
}

export interface AnxinServer extends Spawned {
  readonly url: string;
  /** Present on a first start only. */
  readonly oneTimePassword: string | undefined;
  /** The server's own "started in N ms" figure (runtime + app build + listen, without Node's boot). */
  readonly reportedMs: number;
  stop(): Promise<void>;
}

const LISTENING = /^anxin \S+ listening on (\S+) \(database: \w+, started in (\d+) ms\)/;

/** The environment of a benchmarked server: nothing inherited that could point it at a real database or key. */
export function anxinEnv(dataDir: string, database: AnxinDatabase = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!key.startsWith('ANXIN_') && !key.startsWith('DATABASE_')) env[key] = value;
  }
  return {
    ...env,
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'silent',
    ANXIN_DATA_DIR: dataDir,
    ANXIN_RATE_LIMIT_PER_MINUTE: '1000000',
    ANXIN_SIGNIN_RATE_LIMIT_PER_MINUTE: '1000000',
    ...(database.url ? { DATABASE_URL: database.url } : {}),
    ...(database.schema ? { DATABASE_SCHEMA: database.schema } : {}),
  };
}

/** Starts `node bin/anxin.js serve` and resolves once it prints its listening line. */
export async function startAnxin(
  dataDir: string,
  database: AnxinDatabase = {},
): Promise<AnxinServer> {
  const spawned = await spawnUntilLine(
    process.execPath,
    [path.join(repoRoot, 'bin', 'anxin.js'), 'serve'],
    {
      env: anxinEnv(dataDir, database),
      until: LISTENING,
      timeoutMs: 60_000,
    },
  );
  const match = LISTENING.exec(spawned.lines.at(-1) ?? '');
  const password = spawned.lines
    .map((line) => /password:\s*(\S+)/.exec(line)?.[1])
    .find((p) => p !== undefined);
  return {
    ...spawned,
    url: match![1]!,
    oneTimePassword: password,
    reportedMs: Number(match![2]),
    stop: () => stopChild(spawned.child),
  };
}

/** The baseline: a bare Node HTTP server, spawned the same way. */
export async function startBareNodeServer(): Promise<Spawned> {
  return spawnUntilLine(
    process.execPath,
    ['-e', "require('http').createServer().listen(0,()=>console.log('listening on'))"],
    { env: process.env, until: /^listening on$/, timeoutMs: 30_000 },
  );
}
