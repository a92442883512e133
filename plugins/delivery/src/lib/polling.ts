/**
 * Delay before the next refresh: the interval, doubled for every
 * consecutive failure, capped at `maxMs`.
 */
export function nextPollDelay(
  intervalMs: number,
  failures: number,
  maxMs: number = Math.max(intervalMs, 5 * 60_000),
): number {
  const factor = 2 ** Math.min(Math.max(failures, 0), 16);
  return Math.min(intervalMs * factor, Math.max(maxMs, intervalMs));
}
