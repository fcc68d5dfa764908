import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { DialectName } from '../../src/store/index.js';

/**
 * The databases a store-backed test runs against: always SQLite, and
 * PostgreSQL when ANXIN_TEST_PG_URL is set (CI sets it). Each test database
 * is private: a temp file, or a fresh schema dropped afterwards.
 */
export interface TestDatabase {
  dialect: DialectName;
  databaseUrl: string;
  /** PostgreSQL schema holding this test's tables. */
  schema: string | undefined;
  dataDir: string;
  dispose(): Promise<void>;
}

export const PG_URL = process.env['ANXIN_TEST_PG_URL'];

export function dialectsUnderTest(): DialectName[] {
  return PG_URL ? ['sqlite', 'postgres'] : ['sqlite'];
}

export async function createTestDatabase(dialect: DialectName): Promise<TestDatabase> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'anxin-test-'));
  if (dialect === 'sqlite') {
    return {
      dialect,
      databaseUrl: `sqlite:${path.join(dataDir, 'anxin.db')}`,
      schema: undefined,
      dataDir,
      dispose: async () => fs.rmSync(dataDir, { recursive: true, force: true }),
    };
  }
  if (!PG_URL) throw new Error('ANXIN_TEST_PG_URL is not set');
  const schema = `t_${randomBytes(6).toString('hex')}`;
  return {
    dialect,
    databaseUrl: PG_URL,
    schema,
    dataDir,
    dispose: async () => {
      const client = new pg.Client({ connectionString: PG_URL });
      await client.connect();
      // The job queue (pg-boss) keeps its tables in a sibling schema.
      await client.query(`drop schema if exists ${schema} cascade`);
      await client.query(`drop schema if exists ${schema}_jobs cascade`);
      await client.end();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Every row of every table of a PostgreSQL schema as text: what a dump would contain. */
export async function dumpPostgresSchema(schema: string): Promise<string> {
  const client = new pg.Client({ connectionString: PG_URL });
  await client.connect();
  try {
    const tables = await client.query<{ table_name: string }>(
      'select table_name from information_schema.tables where table_schema = $1',
      [schema],
    );
    const parts: string[] = [];
    for (const { table_name } of tables.rows) {
      const rows = await client.query<{ row: string }>(
        `select t::text as row from ${schema}.${table_name} t`,
      );
      parts.push(...rows.rows.map((r) => `${table_name}: ${r.row}`));
    }
    return parts.join('\n');
  } finally {
    await client.end();
  }
}
