import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * Everything a bench leaves behind (child processes, temp dirs, PostgreSQL
 * scratch databases) is registered here, so a failure or Ctrl-C half-way through a run
 * does not leave servers listening or data dirs filling /tmp.
 */

const children = new Set<ChildProcess>();
const tempDirs = new Set<string>();
const asyncCleanups = new Set<() => Promise<void>>();
let isInterrupted = false;

/** After an interrupt the bench's own flow may still be running; it must not start anything new. */
export function assertNotInterrupted(): void {
  if (isInterrupted) throw new Error('interrupted');
}

export function trackChild(child: ChildProcess): void {
  children.add(child);
  child.once('exit', () => children.delete(child));
}

export function makeTempDir(prefix = 'anxin-bench-'): string {
  assertNotInterrupted();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  tempDirs.add(dir);
  return dir;
}

export function removeTempDir(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true });
  tempDirs.delete(dir);
}

/** Registers async work (dropping a scratch database) to run if the bench is interrupted; returns the way to unregister it. */
export function onInterrupt(cleanup: () => Promise<void>): () => void {
  asyncCleanups.add(cleanup);
  return () => asyncCleanups.delete(cleanup);
}

/** Kills what is still running, runs pending async cleanups and removes temp dirs. */
export async function cleanUpAll(): Promise<void> {
  // Servers must be gone before their databases are dropped under them.
  await Promise.all(
    [...children].map(async (child) => {
      const exited = once(child, 'exit');
      child.kill('SIGKILL');
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5_000).unref())]);
    }),
  );
  for (const cleanup of [...asyncCleanups]) {
    asyncCleanups.delete(cleanup);
    await cleanup().catch((error: unknown) => {
      process.stderr.write(`bench: cleanup failed: ${(error as Error).message}\n`);
    });
  }
  for (const dir of [...tempDirs]) removeTempDir(dir);
}

let installed = false;

/** Installs the last-resort handlers once per process (signals, exit). */
export function installCleanupHandlers(): void {
  if (installed) return;
  installed = true;
  // 'exit' cannot await, so only the synchronous part runs there.
  process.on('exit', () => {
    for (const child of children) child.kill('SIGKILL');
    for (const dir of tempDirs) fs.rmSync(dir, { recursive: true, force: true });
  });
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      isInterrupted = true;
      process.stderr.write(`bench: ${signal} received, cleaning up\n`);
      void cleanUpAll().finally(() => process.exit(130));
    });
  }
}

/** Runs a bench's entry point as a script: cleanup on the way out, exit code 1 on failure. */
export function runAsScript(main: () => Promise<void>): void {
  installCleanupHandlers();
  main()
    .then(cleanUpAll)
    .catch(async (error: unknown) => {
      process.stderr.write(
        `bench: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
      );
      await cleanUpAll();
      process.exitCode = 1;
    });
}
