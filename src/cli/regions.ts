import readline from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import type { Command } from 'commander';
import { createResolver, type Resolver } from '../regions/index.js';

/** Waits until the output can take more, or is gone; leaves no listener behind. */
function drained(output: Writable): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      output.off('drain', done);
      output.off('error', done);
      output.off('close', done);
      resolve();
    };
    output.on('drain', done);
    output.on('error', done);
    output.on('close', done);
  });
}

/**
 * Resolves one name per input line and writes one JSON object per line, in
 * order, as lines arrive. Output is gathered while input keeps arriving and
 * flushed once the current chunk is consumed, so a pipe of a million names is
 * not a million writes while an interactive line still answers at once.
 */
export async function resolveLines(
  resolver: Resolver,
  input: Readable,
  output: Writable,
): Promise<void> {
  const lines = readline.createInterface({ input, crlfDelay: Infinity });
  // A reader that goes away (`| head`) ends the run quietly instead of crashing on EPIPE.
  let isClosed = false;
  output.on('error', () => {
    isClosed = true;
    lines.close();
  });
  let pending: string[] = [];
  let scheduled = false;
  const flush = (): boolean => {
    scheduled = false;
    if (pending.length === 0 || isClosed) return true;
    const chunk = pending.join('');
    pending = [];
    return output.write(chunk);
  };
  let first = true;
  for await (const rawLine of lines) {
    if (isClosed) break;
    // A BOM belongs to the file, not to the first name.
    const line = first ? rawLine.replace(/^\uFEFF/, '') : rawLine;
    first = false;
    const { input: name, status, code, candidates } = resolver.resolve(line);
    pending.push(`${JSON.stringify({ input: name, status, code, candidates })}\n`);
    if (pending.length >= 4096) {
      if (!flush()) await drained(output);
    } else if (!scheduled) {
      scheduled = true;
      setImmediate(flush);
    }
  }
  if (!flush()) await drained(output);
}

/** Adds `regions resolve` to the anxin command (wired in by src/cli/main.ts). */
export function registerRegionsCommands(program: Command): void {
  const regions = program
    .command('regions')
    .description('administrative divisions: resolve place names to NBS codes');
  regions
    .command('resolve')
    .description(
      'read place names on stdin, one per line; print one JSON object per line: {"input","status","code","candidates"}',
    )
    .action(async () => {
      await resolveLines(createResolver(), process.stdin, process.stdout);
    });
}
