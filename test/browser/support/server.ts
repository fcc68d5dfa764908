import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const repoRoot = fileURLToPath(new URL('../../..', import.meta.url));

export interface RunningServer {
  baseUrl: string;
  /** The first-start administrator, as printed in the server's banner. */
  admin: { username: string; password: string };
  stop: () => Promise<void>;
}

/** Starts the compiled `anxin serve` on a fresh data directory and waits for its first-start banner. */
export async function startServer({ timeoutMs = 60_000 } = {}): Promise<RunningServer> {
  const dataDir = await mkdtemp(join(tmpdir(), 'anxin-browser-'));
  const port = await findFreePort();
  const child = spawn(process.execPath, ['bin/anxin.js', 'serve'], {
    cwd: repoRoot,
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      ANXIN_DATA_DIR: dataDir,
      DATABASE_URL: `sqlite:${join(dataDir, 'anxin.db')}`,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });

  const stop = async () => {
    await stopProcess(child);
    await rm(dataDir, { recursive: true, force: true });
  };

  try {
    const banner = await waitForBanner(child, timeoutMs);
    return { baseUrl: `http://127.0.0.1:${String(port)}`, admin: banner, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

async function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.unref();
    probe.on('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      probe.close(() => {
        if (port > 0) resolve(port);
        else reject(new Error('No port was assigned'));
      });
    });
  });
}

function waitForBanner(
  child: ChildProcess,
  timeoutMs: number,
): Promise<{ username: string; password: string }> {
  return new Promise((resolve, reject) => {
    // readline hands over whole lines only: a chunk can end mid-password, and half a token must
    // never be taken. Each stream gets its own reader so stdout and stderr lines never interleave.
    const readers = [child.stdout, child.stderr]
      .filter((stream) => stream !== null)
      .map((input) => createInterface({ input }));
    const output: string[] = [];
    let username: string | undefined;
    let password: string | undefined;
    let isListening = false;
    let isSettled = false;

    const cleanup = () => {
      isSettled = true;
      clearTimeout(timer);
      child.off('close', onClose);
    };
    const fail = (reason: string) => {
      cleanup();
      // The server's own words are the fastest route to the cause of a failed start.
      reject(new Error(`${reason}\n--- server output ---\n${output.slice(-60).join('\n')}`));
    };
    const onClose = (code: number | null, signal: string | null) => {
      fail(`The server exited early (code ${String(code)}, signal ${String(signal)})`);
    };
    const onLine = (line: string) => {
      // Reading continues after the banner: an undrained pipe would block a server that logs.
      if (isSettled) return;
      output.push(line);
      username ??= /\busername:\s*([^\s"]+)/.exec(line)?.[1];
      password ??= /\bpassword:\s*([^\s"]+)/.exec(line)?.[1];
      isListening ||= /listening (?:on|at) http:\/\//.test(line);
      if (username !== undefined && password !== undefined && isListening) {
        cleanup();
        resolve({ username, password });
      }
    };
    const timer = setTimeout(() => {
      fail(`The server printed no complete first-start banner in ${String(timeoutMs)} ms`);
    }, timeoutMs);

    // 'close', not 'exit': it waits for the last output lines, which usually hold the cause.
    child.on('close', onClose);
    for (const reader of readers) reader.on('line', onLine);
  });
}

async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => {
    child.once('exit', () => {
      resolve();
    });
  });
  child.kill('SIGTERM');
  // A server that ignores SIGTERM must not hang the suite; its data directory is thrown away anyway.
  const timer = setTimeout(() => {
    child.kill('SIGKILL');
  }, 10_000);
  await exited;
  clearTimeout(timer);
}
