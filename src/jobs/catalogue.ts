import { z } from 'zod';

/**
 * Every job anxin runs, with the schema of its payload. A job name appears
 * here exactly once and has exactly one handler (registered at start-up);
 * payloads carry ids, never personal data.
 */
export const JOB_CATALOGUE = {
  /** Deletes expired console sessions; enqueued hourly by every server, run once. */
  'sessions.purge-expired': z.strictObject({ hour: z.string() }),
} as const;

export type JobName = keyof typeof JOB_CATALOGUE;
export type JobPayload<N extends JobName> = z.infer<(typeof JOB_CATALOGUE)[N]>;
export const JOB_NAMES = Object.keys(JOB_CATALOGUE) as JobName[];
