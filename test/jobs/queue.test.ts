import { afterEach, describe, expect, it } from 'vitest';
import { createPgBossQueue, createSqliteQueue, type JobQueue } from '../../src/jobs/index.js';
import { manualClock } from '../../src/kernel/index.js';
import { connectStore, migrateToLatest, type Store } from '../../src/store/index.js';
import { createTestDatabase, dialectsUnderTest, type TestDatabase } from '../support/dialects.js';

/** The same behaviour from both queue adapters: SQLite's in-process queue and pg-boss. */
describe.each(dialectsUnderTest())('the job queue on %s', (dialect) => {
  let db: TestDatabase;
  let store: Store;
  let queue: JobQueue;
  const clock = manualClock('2026-12-01T00:00:00Z');

  async function setUp() {
    db = await createTestDatabase(dialect);
    store = await connectStore(db.databaseUrl, db.schema ? { schema: db.schema } : {});
    await migrateToLatest(store);
    queue =
      dialect === 'sqlite'
        ? createSqliteQueue({ db: store.db, clock, random: () => 0.5, leaseMs: 60_000 })
        : createPgBossQueue({
            connectionString: db.databaseUrl,
            schema: `${db.schema}_jobs`,
            pollingIntervalSeconds: 0.5,
          });
  }

  afterEach(async () => {
    await queue.stop();
    await store.close();
    await db.dispose();
  });

  it('creates one job per key however often it is enqueued, and runs it once', async () => {
    await setUp();
    const seen: string[] = [];
    queue.register('sessions.purge-expired', async (payload) => {
      seen.push(payload.hour);
    });
    expect(
      await queue.enqueue(null, 'sessions.purge-expired', { hour: '2026-12-01T00' }, { key: 'h0' }),
    ).toBe(true);
    expect(
      await queue.enqueue(null, 'sessions.purge-expired', { hour: '2026-12-01T00' }, { key: 'h0' }),
    ).toBe(false);
    expect(await queue.drain()).toBe(1);
    expect(await queue.drain()).toBe(0);
    expect(seen).toEqual(['2026-12-01T00']);
    expect(await queue.inspect('sessions.purge-expired', 'h0')).toMatchObject({ state: 'done' });
  });

  it('enqueues inside a transaction: a rolled-back change leaves no job', async () => {
    await setUp();
    await expect(
      store.db.transaction().execute(async (trx) => {
        await queue.enqueue(trx, 'sessions.purge-expired', { hour: 'x' }, { key: 'rolled-back' });
        throw new Error('abort');
      }),
    ).rejects.toThrow('abort');
    expect(await queue.inspect('sessions.purge-expired', 'rolled-back')).toBeNull();
    await store.db.transaction().execute(async (trx) => {
      await queue.enqueue(trx, 'sessions.purge-expired', { hour: 'y' }, { key: 'committed' });
    });
    expect(await queue.inspect('sessions.purge-expired', 'committed')).toMatchObject({
      state: 'queued',
    });
  });

  it('refuses a payload that does not match the catalogue', async () => {
    await setUp();
    await expect(
      queue.enqueue(null, 'sessions.purge-expired', { hour: 3 } as never, { key: 'bad' }),
    ).rejects.toThrow();
    expect(await queue.inspect('sessions.purge-expired', 'bad')).toBeNull();
  });

  it('refuses a second handler for the same job', async () => {
    await setUp();
    queue.register('sessions.purge-expired', async () => undefined);
    expect(() => queue.register('sessions.purge-expired', async () => undefined)).toThrow(
      /already registered/,
    );
  });

  it('runs registered handlers in the background once started', async () => {
    await setUp();
    let done!: () => void;
    const ran = new Promise<void>((resolve) => (done = resolve));
    queue.register('sessions.purge-expired', async () => done());
    await queue.start();
    await queue.enqueue(null, 'sessions.purge-expired', { hour: 'bg' }, { key: 'bg' });
    await ran;
  });
});

describe('the SQLite queue specifically', () => {
  it('retries a failing job with backoff and marks it failed after its last attempt', async () => {
    const db = await createTestDatabase('sqlite');
    const store = await connectStore(db.databaseUrl);
    await migrateToLatest(store);
    const clock = manualClock('2026-12-01T00:00:00Z');
    const queue = createSqliteQueue({ db: store.db, clock, random: () => 0.5 });
    let attempts = 0;
    queue.register('sessions.purge-expired', async () => {
      attempts += 1;
      throw new Error('database busy');
    });
    await queue.enqueue(
      null,
      'sessions.purge-expired',
      { hour: 'h' },
      { key: 'k', maxAttempts: 3 },
    );
    expect(await queue.drain()).toBe(1);
    expect(await queue.drain()).toBe(0); // backing off: not due yet
    clock.advance(2_000);
    expect(await queue.drain()).toBe(1);
    clock.advance(3_999);
    expect(await queue.drain()).toBe(0);
    clock.advance(1);
    expect(await queue.drain()).toBe(1);
    expect(attempts).toBe(3);
    expect(await queue.inspect('sessions.purge-expired', 'k')).toEqual({
      state: 'failed',
      attempts: 3,
      lastError: 'database busy',
    });
    await store.close();
    await db.dispose();
  });

  it('re-runs a job whose worker died mid-run once its lease expires', async () => {
    const db = await createTestDatabase('sqlite');
    const store = await connectStore(db.databaseUrl);
    await migrateToLatest(store);
    const clock = manualClock('2026-12-01T00:00:00Z');
    // The first process claims the job and "dies": its handler never finishes.
    const crashed = createSqliteQueue({ db: store.db, clock, leaseMs: 60_000 });
    crashed.register('sessions.purge-expired', () => new Promise<void>(() => undefined));
    await crashed.enqueue(null, 'sessions.purge-expired', { hour: 'h' }, { key: 'crash' });
    void crashed.drain();
    await new Promise((r) => setTimeout(r, 50));
    expect(await crashed.inspect('sessions.purge-expired', 'crash')).toMatchObject({
      state: 'active',
      attempts: 1,
    });

    const survivor = createSqliteQueue({ db: store.db, clock, leaseMs: 60_000 });
    let ran = 0;
    survivor.register('sessions.purge-expired', async () => {
      ran += 1;
    });
    expect(await survivor.drain()).toBe(0);
    clock.advance(60_001);
    expect(await survivor.drain()).toBe(1);
    expect(ran).toBe(1);
    expect(await survivor.inspect('sessions.purge-expired', 'crash')).toMatchObject({
      state: 'done',
      attempts: 2,
    });
    await store.close();
    await db.dispose();
  });
});
