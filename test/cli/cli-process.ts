import { spawn, type ChildProcess } from 'node:child_process';
import { createConnection, createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

/**
 * Runs the real `anxin` command from the TypeScript sources in child
 * processes, and keeps track of them so a failed test never leaves a server
 * behind.
 */

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

// Everything src/config reads. The child sees only what the test sets, never the developer's own
// DATABASE_URL or key; ANXIN_TEST_* belongs to the test harness, not to anxin.
const CONFIG_VARIABLE = /^(DATABASE_URL|DATABASE_SCHEMA|HOST|PORT|LOG_LEVEL|ANXIN_(?!TEST_)\w+)$/;

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface RunningCli {
  readonly child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves with the first match of `pattern` in stdout; rejects if the process exits first. */
  waitForStdout(pattern: RegExp): Promise<RegExpExecArray>;
  /** Settles once the process has exited and its output is fully read. */
  readonly exited: Promise<CliResult>;
}

export function childEnv(env: Record<string, string>): NodeJS.ProcessEnv {
  const inherited = Object.entries(process.env).filter(([name]) => !CONFIG_VARIABLE.test(name));
  return { ...Object.fromEntries(inherited), ...env };
}

export class CliProcesses {
  private readonly running = new Set<RunningCli>();

  /** Starts `anxin <args>` and returns at once (for `serve`). */
  start(args: string[], env: Record<string, string>): RunningCli {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/dev.ts', ...args], {
      cwd: repoRoot,
      env: childEnv(env),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    const watchers = new Set<() => void>();
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
      for (const check of watchers) check();
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
    });
    const exited = new Promise<CliResult>((resolve) => {
      child.on('close', (code, signal) => {
        resolve({ code, signal, stdout, stderr });
        for (const check of watchers) check();
      });
    });
    const running: RunningCli = {
      child,
      stdout: () => stdout,
      stderr: () => stderr,
      exited,
      waitForStdout: (pattern) =>
        new Promise((resolve, reject) => {
          const check = () => {
            const match = pattern.exec(stdout);
            if (match) {
              watchers.delete(check);
              resolve(match);
            } else if (child.exitCode !== null || child.signalCode !== null) {
              watchers.delete(check);
              reject(
                new Error(
                  `anxin ${args.join(' ')} exited (${String(child.exitCode ?? child.signalCode)}) before printing ${String(pattern)}:\n${stdout}\n${stderr}`,
                ),
              );
            }
          };
          watchers.add(check);
          check();
        }),
    };
    this.running.add(running);
    void exited.then(() => this.running.delete(running));
    return running;
  }

  /** Runs `anxin <args>` to completion. */
  run(args: string[], env: Record<string, string>): Promise<CliResult> {
    return this.start(args, env).exited;
  }

  /** Kills whatever a test left running and waits until it is gone. */
  async killAll(): Promise<void> {
    const left = [...this.running];
    for (const { child } of left) child.kill('SIGKILL');
    await Promise.all(left.map((r) => r.exited));
  }
}

/** A port nothing listens on right now, chosen by the kernel. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.on('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      probe.close(() => (port > 0 ? resolve(port) : reject(new Error('no port was assigned'))));
    });
  });
}

/** True when something accepts a TCP connection on 127.0.0.1:port. */
export function isListening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** The non-empty lines of a stream's output. */
export function linesOf(text: string): string[] {
  return text.split('\n').filter((line) => line.trim() !== '');
}
