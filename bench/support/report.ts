import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Milliseconds with enough digits to compare sub-millisecond API figures. */
export function ms(value: number): string {
  return `${value.toFixed(value < 10 ? 2 : 1)}ms`;
}

export function ratio(value: number, baseline: number): string {
  return `${(value / baseline).toFixed(2)}x`;
}

export function perSecond(value: number): string {
  return `${value.toFixed(0)}req/s`;
}

/**
 * One figure per line: the name, two spaces, then key=value fields separated
 * by single spaces, so `grep '^startup.sqlite.warm '` and `awk` both work.
 */
export function printFigure(name: string, fields: Record<string, string | number>): void {
  const rendered = Object.entries(fields)
    .map(([key, value]) => `${key}=${value}`)
    .join(' ');
  process.stdout.write(`${name.padEnd(34)}  ${rendered}\n`);
}

function commit(): string {
  try {
    const hash = execFileSync('git', ['rev-parse', '--short', 'HEAD'], {
      cwd: repoRoot,
      encoding: 'utf8',
    }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--', 'src'], {
      cwd: repoRoot,
      encoding: 'utf8',
    }).trim();
    return dirty ? `${hash}+dirty-src` : hash;
  } catch {
    return 'unknown';
  }
}

/** When dist/ was built: figures measure dist/, which may lag behind the commit. */
function distBuiltAt(): string {
  try {
    return fs.statSync(path.join(repoRoot, 'dist', 'cli', 'main.js')).mtime.toISOString();
  } catch {
    return 'missing';
  }
}

/** Context lines start with '#' so they never match a figure's name. */
export function printHeader(bench: string, settings: Record<string, string | number>): void {
  const cpus = os.cpus();
  const fields = {
    date: new Date().toISOString(),
    commit: commit(),
    'dist-built': distBuiltAt(),
    node: process.version,
    cpus: cpus.length,
    cpu: JSON.stringify(cpus[0]?.model.trim() ?? 'unknown'),
    load1: os.loadavg()[0]!.toFixed(2),
    ...settings,
  };
  process.stdout.write(
    `# bench ${bench}  ${Object.entries(fields)
      .map(([key, value]) => `${key}=${value}`)
      .join(' ')}\n`,
  );
}

/** Builds the server when dist/ is missing; a stale dist is the caller's business (run `npm run build`). */
export function ensureBuilt(): void {
  if (fs.existsSync(path.join(repoRoot, 'dist', 'cli', 'main.js'))) return;
  process.stderr.write('bench: dist/ is missing, running npm run build\n');
  execFileSync('npm', ['run', 'build'], { cwd: repoRoot, stdio: ['ignore', 'inherit', 'inherit'] });
}

export function positiveIntegerFromEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < 1)
    throw new Error(`${name} must be a positive whole number, got ${raw}`);
  return Number(raw);
}

/** True when this module is the script node was asked to run (not imported by run.ts). */
export function isMainModule(moduleUrl: string): boolean {
  const script = process.argv[1];
  if (!script) return false;
  const scriptPath = path.resolve(script);
  const modulePath = fileURLToPath(moduleUrl);
  return scriptPath === modulePath || scriptPath === modulePath.replace(/\.ts$/, '');
}
