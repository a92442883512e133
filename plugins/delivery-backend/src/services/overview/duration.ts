const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600 };

/**
 * Parses an Argo Rollouts duration: an integer number of seconds or a string
 * such as `30s`, `10m`, `1h` (also a bare number as string). Returns
 * undefined for anything else.
 */
export function parseRolloutDuration(
  value: string | number | undefined | null,
): number | undefined {
  if (typeof value === 'number') {
    return Number.isFinite(value) && value >= 0 ? value : undefined;
  }
  if (typeof value !== 'string') return undefined;
  const match = /^(\d+(?:\.\d+)?)(s|m|h)?$/.exec(value.trim());
  if (!match) return undefined;
  return Number(match[1]) * UNIT_SECONDS[match[2] ?? 's'];
}
