import type { Kysely } from 'kysely';
import type { DialectName } from '../connect.js';
import { columnTypes, type AnxinMigration } from './types.js';

/** The job table of the in-process queue; created on both dialects so either can run it. */
export const jobs: AnxinMigration = {
  async up(db: Kysely<unknown>, dialect: DialectName) {
    const t = columnTypes(dialect);
    await db.schema
      .createTable('jobs')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('payload', 'text', (c) => c.notNull())
      .addColumn('state', 'text', (c) => c.notNull())
      .addColumn('attempts', 'integer', (c) => c.notNull())
      .addColumn('max_attempts', 'integer', (c) => c.notNull())
      .addColumn('run_at', t.instant, (c) => c.notNull())
      .addColumn('lease_until', t.instant)
      .addColumn('last_error', 'text')
      .addColumn('created_at', t.instant, (c) => c.notNull())
      .addColumn('updated_at', t.instant, (c) => c.notNull())
      .execute();
    await db.schema.createIndex('jobs_due_idx').on('jobs').columns(['state', 'run_at']).execute();
  },
};
