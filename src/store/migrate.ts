import { Migrator, type Migration, type MigrationProvider, type Kysely } from 'kysely';
import { AppError } from '../kernel/index.js';
import type { DialectName, Store } from './connect.js';
import { foundation } from './migrations/0001-foundation.js';
import { jobs } from './migrations/0002-jobs.js';
import type { AnxinMigration } from './migrations/types.js';

/** Every migration in order; names never change once released. */
const migrations: ReadonlyArray<readonly [string, AnxinMigration]> = [
  ['0001-foundation', foundation],
  ['0002-jobs', jobs],
];

class StaticProvider implements MigrationProvider {
  constructor(private readonly dialect: DialectName) {}

  getMigrations(): Promise<Record<string, Migration>> {
    const entries = migrations.map(([name, m]) => [
      name,
      { up: (db: Kysely<unknown>) => m.up(db, this.dialect) },
    ]);
    return Promise.resolve(Object.fromEntries(entries) as Record<string, Migration>);
  }
}

export interface MigrationReport {
  applied: string[];
  current: string | null;
}

/** Brings the schema up to date; safe to call on every start and from several processes. */
export async function migrateToLatest(store: Store): Promise<MigrationReport> {
  const migrator = new Migrator({
    db: store.db,
    provider: new StaticProvider(store.dialect),
    // Without this Kysely finds another schema's migration table on the search path.
    ...(store.schema ? { migrationTableSchema: store.schema } : {}),
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new AppError(
      'STORE_MIGRATION_FAILED',
      'unavailable',
      `Migration ${failed} failed: ${(error as Error).message}`,
    );
  }
  const applied = (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
  return { applied, current: migrations.at(-1)?.[0] ?? null };
}

/** True when every known migration has been applied (used by /readyz). */
export async function isSchemaCurrent(store: Store): Promise<boolean> {
  const migrator = new Migrator({
    db: store.db,
    provider: new StaticProvider(store.dialect),
    // Without this Kysely finds another schema's migration table on the search path.
    ...(store.schema ? { migrationTableSchema: store.schema } : {}),
  });
  const list = await migrator.getMigrations();
  return list.every((m) => m.executedAt !== undefined);
}
