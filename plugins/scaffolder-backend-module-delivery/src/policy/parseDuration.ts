/**
 * Parses an Argo Rollouts pause duration (`30s`, `10m`, `1h`, or a number of
 * seconds) into seconds; undefined when it is not one.
 */
export function parseDurationSeconds(value: unknown): number | undefined {
  if (typeof value === 'number') {
    return Number.isInteger(value) && value >= 0 ? value : undefined;
  }
  if (typeof value !== 'string') {
    return undefined;
  }
  const match = /^(\d+)(s|m|h)?$/.exec(value.trim());
  if (!match) {
    return undefined;
  }
  const factor = { s: 1, m: 60, h: 3600 }[(match[2] ?? 's') as 's' | 'm' | 'h'];
  return Number(match[1]) * factor;
}

/** Formats seconds the way the Rollout spec writes them (`10m`, `90s`). */
export function formatDuration(seconds: number): string {
  if (seconds % 3600 === 0 && seconds > 0) return `${seconds / 3600}h`;
  if (seconds % 60 === 0 && seconds > 0) return `${seconds / 60}m`;
  return `${seconds}s`;
}
