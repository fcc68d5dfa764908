import type { Kysely } from 'kysely';
import { AppError, type Clock } from '../kernel/index.js';
import type { Database } from '../store/index.js';
import { retryDelayMs } from './backoff.js';
import { JOB_CATALOGUE, type JobName } from './catalogue.js';
import { describeFailure } from './errors-text.js';
import type { JobHandler, JobQueue, JobState } from './model.js';

export interface SqliteQueueOptions {
  db: Kysely<Database>;
  clock: Clock;
  /** How long a claimed job is leased; a process that dies mid-job frees it after this. */
  leaseMs?: number;
  pollMs?: number;
  random?: () => number;
  onError?: (name: JobName | null, error: unknown) => void;
}

/**
 * The in-process queue of the single-process SQLite deployment. Jobs are
 * rows in the same database as the data that asks for them, so enqueueing
 * inside a transaction is atomic, and a crash mid-job leaves a lease that
 * expires and lets the job run again.
 */
export function createSqliteQueue(options: SqliteQueueOptions): JobQueue {
  const { db, clock } = options;
  const leaseMs = options.leaseMs ?? 5 * 60_000;
  const pollMs = options.pollMs ?? 500;
  const handlers = new Map<JobName, JobHandler<JobName>>();
  let running = false;
  let loop: Promise<void> | undefined;
  let wake: (() => void) | undefined;

  async function claim() {
    const now = clock.now().toISOString();
    return db.transaction().execute(async (trx) => {
      const due = await trx
        .selectFrom('jobs')
        .selectAll()
        .where((eb) =>
          eb.or([
            eb.and([eb('state', '=', 'queued'), eb('run_at', '<=', now)]),
            eb.and([eb('state', '=', 'active'), eb('lease_until', '<', now)]),
          ]),
        )
        .where('name', 'in', [...handlers.keys()])
        .orderBy('run_at')
        .limit(1)
        .executeTakeFirst();
      if (!due) return undefined;
      const leaseUntil = new Date(clock.now().getTime() + leaseMs).toISOString();
      await trx
        .updateTable('jobs')
        .set({
          state: 'active',
          attempts: due.attempts + 1,
          lease_until: leaseUntil,
          updated_at: now,
        })
        .where('id', '=', due.id)
        .execute();
      return { ...due, attempts: due.attempts + 1 };
    });
  }

  async function runOne(): Promise<boolean> {
    const job = await claim();
    if (!job) return false;
    const name = job.name as JobName;
    const handler = handlers.get(name);
    const now = () => clock.now().toISOString();
    try {
      if (!handler) throw new Error(`no handler for ${name}`);
      const payload = JOB_CATALOGUE[name].parse(JSON.parse(job.payload));
      await handler(payload, { jobId: job.id, attempt: job.attempts });
      await db
        .updateTable('jobs')
        .set({ state: 'done', lease_until: null, last_error: null, updated_at: now() })
        .where('id', '=', job.id)
        .execute();
    } catch (error) {
      options.onError?.(name, error);
      const isLast = job.attempts >= job.max_attempts;
      await db
        .updateTable('jobs')
        .set({
          state: isLast ? 'failed' : 'queued',
          lease_until: null,
          last_error: describeFailure(error),
          run_at: isLast
            ? job.run_at
            : new Date(
                clock.now().getTime() + retryDelayMs(job.attempts, options.random),
              ).toISOString(),
          updated_at: now(),
        })
        .where('id', '=', job.id)
        .execute();
    }
    return true;
  }

  return {
    kind: 'sqlite',

    async enqueue(executor, name, payload, opts) {
      const parsed = JOB_CATALOGUE[name].parse(payload);
      const now = clock.now().toISOString();
      const result = await (executor ?? db)
        .insertInto('jobs')
        .values({
          id: `${name}:${opts.key}`,
          name,
          payload: JSON.stringify(parsed),
          state: 'queued',
          attempts: 0,
          max_attempts: opts.maxAttempts ?? 5,
          run_at: (opts.runAt ?? clock.now()).toISOString(),
          lease_until: null,
          last_error: null,
          created_at: now,
          updated_at: now,
        })
        .onConflict((oc) => oc.column('id').doNothing())
        .executeTakeFirst();
      wake?.();
      return Number(result.numInsertedOrUpdatedRows ?? 0n) > 0;
    },

    register(name, handler) {
      if (handlers.has(name))
        throw new AppError(
          'JOB_HANDLER_DUPLICATE',
          'internal',
          `A handler for ${name} is already registered`,
        );
      handlers.set(name, handler);
    },

    async start() {
      if (running) return;
      running = true;
      loop = (async () => {
        while (running) {
          let didWork = false;
          try {
            didWork = await runOne();
          } catch (error) {
            options.onError?.(null, error);
          }
          if (!didWork && running) {
            await new Promise<void>((resolve) => {
              const timer = setTimeout(resolve, pollMs);
              wake = () => {
                clearTimeout(timer);
                resolve();
              };
            });
            wake = undefined;
          }
        }
      })();
    },

    async stop() {
      running = false;
      wake?.();
      await loop;
    },

    async drain() {
      let count = 0;
      while (await runOne()) count += 1;
      return count;
    },

    async inspect(name, key): Promise<JobState | null> {
      const row = await db
        .selectFrom('jobs')
        .select(['state', 'attempts', 'last_error'])
        .where('id', '=', `${name}:${key}`)
        .executeTakeFirst();
      return row
        ? {
            state: row.state as JobState['state'],
            attempts: row.attempts,
            lastError: row.last_error,
          }
        : null;
    },
  };
}
