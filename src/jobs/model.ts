import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../store/index.js';
import type { JobName, JobPayload } from './catalogue.js';

export type Executor = Kysely<Database> | Transaction<Database>;

export interface EnqueueOptions {
  /**
   * Deterministic key, e.g. the media id for `analyze-evidence`: enqueuing
   * the same name and key twice creates one job, so producers can retry.
   */
  key: string;
  /** Not before this instant. */
  runAt?: Date;
  /** Attempts before the job is marked failed (default 5). */
  maxAttempts?: number;
}

export interface JobContext {
  jobId: string;
  /** 1 on the first run. */
  attempt: number;
}

export type JobHandler<N extends JobName> = (
  payload: JobPayload<N>,
  context: JobContext,
) => Promise<void>;

/** The queue port: durable, at-least-once, with retries and backoff; handlers must be idempotent. */
export interface JobQueue {
  readonly kind: 'sqlite' | 'pg-boss';
  /**
   * Enqueues inside `executor`'s transaction when one is given, so a job
   * exists exactly when the change that asked for it commits.
   * Resolves true when a new job was created, false when the key existed.
   */
  enqueue<N extends JobName>(
    executor: Executor | null,
    name: N,
    payload: JobPayload<N>,
    options: EnqueueOptions,
  ): Promise<boolean>;
  /** Registers the one handler of a job name; a second registration throws. */
  register<N extends JobName>(name: N, handler: JobHandler<N>): void;
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Runs due jobs until none is left (tests and CLI maintenance). */
  drain(): Promise<number>;
  /** The state of one job by name and key, for tests and operators. */
  inspect(name: JobName, key: string): Promise<JobState | null>;
}

export interface JobState {
  state: 'queued' | 'active' | 'done' | 'failed';
  attempts: number;
  lastError: string | null;
}
