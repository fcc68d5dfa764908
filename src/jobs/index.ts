export { JOB_CATALOGUE, JOB_NAMES, type JobName, type JobPayload } from './catalogue.js';
export type { JobQueue, JobHandler, JobContext, EnqueueOptions, JobState } from './model.js';
export { createSqliteQueue, type SqliteQueueOptions } from './sqlite-queue.js';
export { createPgBossQueue, type PgBossQueueOptions } from './pg-boss-queue.js';
export { retryDelayMs } from './backoff.js';
