import type { Config } from '../config/index.js';
import { buildHttpApp } from '../http/app.js';
import { enqueueMaintenance, startRuntime } from '../runtime/index.js';
import { packageVersion } from './version.js';

/** Starts the API and console in this process and stops cleanly on SIGINT/SIGTERM. */
export async function serve(
  config: Config,
  out: NodeJS.WritableStream = process.stdout,
): Promise<void> {
  const startedAt = performance.now();
  const runtime = await startRuntime(config);
  const app = await buildHttpApp({
    config,
    services: runtime.services,
    store: runtime.store,
    version: packageVersion(),
  });
  await runtime.jobs.start();
  const tick = () => void enqueueMaintenance(runtime.jobs, new Date()).catch(() => undefined);
  tick();
  const timer = setInterval(tick, 10 * 60_000);
  timer.unref();

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    out.write(`anxin: ${signal} received, stopping\n`);
    clearInterval(timer);
    await app.close();
    await runtime.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));

  const address = await app.listen({ host: config.host, port: config.port });
  const url = address.replace('[::1]', 'localhost');
  if (runtime.firstAdmin) {
    out.write(
      [
        '',
        '  ┌──────────────────────────────────────────────────────────────',
        '  │ First start: a platform admin was created.',
        `  │ Sign in at ${url} with`,
        `  │   username: ${runtime.firstAdmin.user.username}`,
        `  │   password: ${runtime.firstAdmin.oneTimePassword}`,
        '  │ This password works once; you will choose your own at sign-in.',
        '  └──────────────────────────────────────────────────────────────',
        '',
      ].join('\n'),
    );
  }
  out.write(
    `anxin ${packageVersion()} listening on ${url} (database: ${runtime.store.dialect}, started in ${Math.round(performance.now() - startedAt)} ms)\n`,
  );
}
