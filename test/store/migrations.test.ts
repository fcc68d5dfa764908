import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import {
  connectStore,
  isSchemaCurrent,
  migrateToLatest,
  type Store,
} from '../../src/store/index.js';
import { createTestDatabase, dialectsUnderTest, type TestDatabase } from '../support/dialects.js';

describe.each(dialectsUnderTest())('migrations on %s', (dialect) => {
  let database: TestDatabase;
  let store: Store;

  afterEach(async () => {
    await store.close();
    await database.dispose();
  });

  it('migrates an empty database up, then finds nothing left to do', async () => {
    database = await createTestDatabase(dialect);
    store = await connectStore(database.databaseUrl, { schema: database.schema });
    expect(await isSchemaCurrent(store)).toBe(false);
    const first = await migrateToLatest(store);
    expect(first.applied).toEqual(['0001-foundation', '0002-jobs']);
    const second = await migrateToLatest(store);
    expect(second.applied).toEqual([]);
    expect(await isSchemaCurrent(store)).toBe(true);
    for (const table of [
      'merchants',
      'users',
      'sessions',
      'api_keys',
      'audit_events',
      'vault_master_keys',
      'vault_data_keys',
      'customers',
    ] as const) {
      const row = await store.db
        .selectFrom(table)
        .select(sql<number>`count(*)`.as('n'))
        .executeTakeFirstOrThrow();
      expect(Number(row.n)).toBe(0);
    }
  });

  it('keeps the audit trail append-only at the database level', async () => {
    database = await createTestDatabase(dialect);
    store = await connectStore(database.databaseUrl, { schema: database.schema });
    await migrateToLatest(store);
    await store.db
      .insertInto('audit_events')
      .values({
        id: 'e1',
        merchant_id: null,
        actor_type: 'system',
        actor_id: null,
        action: 'test.recorded',
        subject_type: 'test',
        subject_id: null,
        reason: null,
        details: '{}',
        request_id: null,
        created_at: new Date().toISOString(),
      })
      .execute();
    await expect(
      store.db.updateTable('audit_events').set({ action: 'rewritten' }).execute(),
    ).rejects.toThrow(/append-only/);
    await expect(store.db.deleteFrom('audit_events').execute()).rejects.toThrow(/append-only/);
    const rows = await store.db.selectFrom('audit_events').select('action').execute();
    expect(rows).toEqual([{ action: 'test.recorded' }]);
  });

  it('returns instants as ISO-8601 UTC strings', async () => {
    database = await createTestDatabase(dialect);
    store = await connectStore(database.databaseUrl, { schema: database.schema });
    await migrateToLatest(store);
    const at = '2026-12-01T03:04:05.678Z';
    await store.db
      .insertInto('merchants')
      .values({ id: 'm1', name: 'M', status: 'active', created_at: at })
      .execute();
    const row = await store.db
      .selectFrom('merchants')
      .select('created_at')
      .executeTakeFirstOrThrow();
    expect(row.created_at).toBe(at);
  });
});

describe('connecting to a database that is not there', () => {
  it('fails with one clear STORE_UNAVAILABLE error naming the host, without the password', async () => {
    await expect(
      connectStore('postgres://postgres:secret@127.0.0.1:1/nowhere'),
    ).rejects.toMatchObject({
      code: 'STORE_UNAVAILABLE',
      message: expect.stringMatching(
        /^Cannot reach the database at postgres:\/\/postgres:\*\*\*@127\.0\.0\.1:1\/nowhere/,
      ) as unknown,
    });
  });
});

describe.runIf(dialectsUnderTest().includes('postgres'))(
  'several anxin schemas in one PostgreSQL database',
  () => {
    it('migrates a second schema although the first already holds anxin tables', async () => {
      const first = await createTestDatabase('postgres');
      const second = await createTestDatabase('postgres');
      const a = await connectStore(first.databaseUrl, { schema: first.schema });
      const b = await connectStore(second.databaseUrl, { schema: second.schema });
      try {
        await migrateToLatest(a);
        expect((await migrateToLatest(b)).applied).toContain('0001-foundation');
        expect(await isSchemaCurrent(b)).toBe(true);
      } finally {
        await a.close();
        await b.close();
        await first.dispose();
        await second.dispose();
      }
    });
  },
);
