import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { assertNotInterrupted, onInterrupt } from './cleanup.js';

export function postgresUrlFromEnv(): string | undefined {
  const url = process.env.ANXIN_BENCH_PG_URL;
  return url === undefined || url === '' ? undefined : url;
}

export interface ScratchDatabase {
  /** Connection URL of the scratch database. */
  readonly url: string;
  /** Schema for DATABASE_SCHEMA; the server creates it on connect. */
  readonly schema: string;
  drop(): Promise<void>;
}

async function runAdminQuery(adminUrl: string, statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

/**
 * A database of its own for one server, holding anxin in a fresh schema, and
 * dropped afterwards even when the bench is interrupted. A schema alone would
 * share the database with whatever else runs there (the test suite creates
 * schemas in the same database) and, as of 2026-12-01, anxin's first start in
 * a fresh schema fails when another schema of that database already holds
 * Kysely's migration tables (see bench/README.md).
 */
export async function createScratchDatabase(
  adminUrl: string,
  label: string,
): Promise<ScratchDatabase> {
  assertNotInterrupted();
  const name = `anxin_bench_${label}_${randomBytes(4).toString('hex')}`;
  let dropping: Promise<void> | undefined;
  // Memoised: an interrupt that arrives while the bench itself is dropping waits for that drop.
  const drop = () =>
    (dropping ??= runAdminQuery(adminUrl, `drop database if exists "${name}" with (force)`));
  const unregister = onInterrupt(drop);
  await runAdminQuery(adminUrl, `create database "${name}"`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    schema: 'anxin',
    async drop() {
      await drop();
      unregister();
    },
  };
}
