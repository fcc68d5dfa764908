import type { JobQueue } from '../jobs/index.js';
import type { Services } from './services.js';

/** The one handler of every job in the catalogue; each loads, calls a service and returns. */
export function registerJobHandlers(jobs: JobQueue, services: Services): void {
  jobs.register('sessions.purge-expired', async () => {
    await services.sessions.purgeExpired();
  });
}

/**
 * Asks for the hourly maintenance jobs. Every server calls this; the
 * deterministic key (the hour) makes the job run once however many do.
 */
export async function enqueueMaintenance(jobs: JobQueue, now: Date): Promise<void> {
  const hour = now.toISOString().slice(0, 13);
  await jobs.enqueue(null, 'sessions.purge-expired', { hour }, { key: hour });
}
