/** Formats a duration in seconds as `1h 2m`, `3m 4s` or `5s`. */
export function formatDuration(totalSeconds: number): string {
  if (!Number.isFinite(totalSeconds) || totalSeconds < 0) return '—';
  const seconds = Math.floor(totalSeconds);
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  if (h > 0) return `${h}h ${m}m`;
  if (m > 0) return `${m}m ${s}s`;
  return `${s}s`;
}

/** Seconds between two ISO timestamps (end defaults to `now`), or undefined. */
export function secondsBetween(
  start?: string,
  end?: string,
  now: number = Date.now(),
): number | undefined {
  if (!start) return undefined;
  const from = Date.parse(start);
  const to = end ? Date.parse(end) : now;
  if (Number.isNaN(from) || Number.isNaN(to)) return undefined;
  return Math.max(0, (to - from) / 1000);
}

/** The first 7 characters of a git SHA; other revisions unchanged. */
export function shortRevision(revision?: string): string | undefined {
  if (!revision) return undefined;
  return /^[0-9a-f]{40}$/i.test(revision) ? revision.slice(0, 7) : revision;
}

/** A number for charts and summaries: up to 4 significant digits, `—` for null. */
export function formatValue(value: number | null | undefined, unit?: string) {
  if (value === null || value === undefined || !Number.isFinite(value)) {
    return 'no data';
  }
  if (unit === 'ratio') return `${+(value * 100).toPrecision(3)}%`;
  const text = `${+value.toPrecision(4)}`;
  return unit === 'seconds' ? `${text}s` : text;
}

/** A Unix time in seconds as a local `HH:MM`. */
export function formatClock(t: number): string {
  const d = new Date(t * 1000);
  return `${String(d.getHours()).padStart(2, '0')}:${String(
    d.getMinutes(),
  ).padStart(2, '0')}`;
}
