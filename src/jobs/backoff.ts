/**
 * Delay before retry `attempt` (1-based attempt that just failed):
 * exponential from 2 s, capped at 10 min, with ±20 % jitter taken from
 * `random` so tests can fix it.
 */
export function retryDelayMs(attempt: number, random: () => number = Math.random): number {
  const base = Math.min(2_000 * 2 ** Math.max(0, attempt - 1), 600_000);
  const jitter = 0.8 + 0.4 * random();
  return Math.round(base * jitter);
}
