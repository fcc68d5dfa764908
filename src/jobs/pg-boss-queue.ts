import { CompiledQuery } from 'kysely';
import PgBoss from 'pg-boss';
import { AppError } from '../kernel/index.js';
import { JOB_CATALOGUE, JOB_NAMES, type JobName } from './catalogue.js';
import type { Executor, JobHandler, JobQueue, JobState } from './model.js';
import { uuidV5 } from './uuid-v5.js';

export interface PgBossQueueOptions {
  connectionString: string;
  /** pg-boss keeps its tables in this schema. */
  schema: string;
  pollingIntervalSeconds?: number;
  /** How long a job may run before pg-boss considers its worker dead and retries it. */
  expireInSeconds?: number;
  onError?: (name: JobName | null, error: unknown) => void;
}

function pgBossDb(executor: Executor): PgBoss.Db {
  return {
    executeSql: async (text, values) => {
      const result = await executor.executeQuery(CompiledQuery.raw(text, values as unknown[]));
      return { rows: result.rows };
    },
  };
}

function stateOf(state: string): JobState['state'] {
  switch (state) {
    case 'created':
    case 'retry':
      return 'queued';
    case 'active':
      return 'active';
    case 'completed':
      return 'done';
    default:
      return 'failed';
  }
}

/**
 * The queue of the PostgreSQL deployment, shared by any number of worker
 * processes. Job ids are UUIDv5 of name and key, so a second enqueue of the
 * same key is a no-op; enqueueing through the caller's transaction makes the
 * job commit with the change that asked for it.
 */
export function createPgBossQueue(options: PgBossQueueOptions): JobQueue {
  const boss = new PgBoss({
    connectionString: options.connectionString,
    schema: options.schema,
    max: 4,
    supervise: true,
    schedule: false,
  });
  boss.on('error', (error) => options.onError?.(null, error));
  const handlers = new Map<JobName, JobHandler<JobName>>();
  let started: Promise<void> | undefined;

  async function ensureStarted() {
    started ??= (async () => {
      await boss.start();
      for (const name of JOB_NAMES) {
        const existing = await boss.getQueue(name);
        if (!existing)
          await boss.createQueue(name, {
            name,
            retryLimit: 4,
            retryBackoff: true,
            retryDelay: 2,
            expireInSeconds: options.expireInSeconds ?? 300,
          });
      }
    })();
    await started;
  }

  async function runJob(name: JobName, job: PgBoss.JobWithMetadata<unknown>) {
    const handler = handlers.get(name);
    if (!handler) throw new AppError('JOB_HANDLER_MISSING', 'internal', `No handler for ${name}`);
    const payload = JOB_CATALOGUE[name].parse(job.data);
    await handler(payload, { jobId: job.id, attempt: job.retryCount + 1 });
  }

  return {
    kind: 'pg-boss',

    async enqueue(executor, name, payload, opts) {
      await ensureStarted();
      const data = JOB_CATALOGUE[name].parse(payload);
      const maxAttempts = opts.maxAttempts ?? 5;
      const id = await boss.send(name, data, {
        id: uuidV5(`${name}:${opts.key}`),
        retryLimit: maxAttempts - 1,
        retryBackoff: true,
        retryDelay: 2,
        ...(opts.runAt ? { startAfter: opts.runAt } : {}),
        ...(executor ? { db: pgBossDb(executor) } : {}),
      });
      return id !== null;
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
      await ensureStarted();
      for (const name of handlers.keys()) {
        await boss.work<unknown>(
          name,
          {
            batchSize: 1,
            includeMetadata: true,
            pollingIntervalSeconds: options.pollingIntervalSeconds ?? 2,
          },
          async ([job]) => {
            if (!job) return;
            try {
              await runJob(name, job);
            } catch (error) {
              options.onError?.(name, error);
              throw error;
            }
          },
        );
      }
    },

    async stop() {
      if (!started) return;
      await started.catch(() => undefined);
      await boss.stop({ graceful: true, wait: true, timeout: 10_000 });
      started = undefined;
    },

    async drain() {
      await ensureStarted();
      let count = 0;
      for (const name of handlers.keys()) {
        for (;;) {
          const [job] = await boss.fetch<unknown>(name, { includeMetadata: true, batchSize: 1 });
          if (!job) break;
          count += 1;
          try {
            await runJob(name, job);
            await boss.complete(name, job.id);
          } catch (error) {
            options.onError?.(name, error);
            await boss.fail(name, job.id, {
              message: error instanceof Error ? error.message.slice(0, 500) : 'failed',
            });
          }
        }
      }
      return count;
    },

    async inspect(name, key): Promise<JobState | null> {
      await ensureStarted();
      const job = await boss.getJobById<unknown>(name, uuidV5(`${name}:${key}`), {
        includeArchive: true,
      });
      if (!job) return null;
      const output = job.output as { message?: string } | null;
      return {
        state: stateOf(job.state),
        attempts: job.retryCount + (job.state === 'created' ? 0 : 1),
        lastError: output?.message ?? null,
      };
    },
  };
}
