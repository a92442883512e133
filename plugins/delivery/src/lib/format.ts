import {
  formatQuantity,
  formatSeconds,
} from '@gitops-delivery/backstage-plugin-delivery-common';

/**
 * A duration in seconds in words, whole seconds: `5 s`, `2 min 5 s`,
 * `1 h 2 min` (the shared formatting module, delivery-common's units).
 */
export function formatDuration(totalSeconds: number): string {
  if (!Number.isFinite(totalSeconds) || totalSeconds < 0) return '—';
  return formatSeconds(Math.floor(totalSeconds));
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

/**
 * A value in its unit for charts, summaries, gates and evidence: at most
 * three significant digits, ratios as percentages, seconds as ms or s;
 * `no data` for null. The exact value belongs in a tooltip (`exactValue`).
 */
export function formatValue(
  value: number | string | null | undefined,
  unit?: string,
): string {
  return formatQuantity(value, unit);
}

/** The exact value behind a formatted one, for tooltips. */
export function exactValue(
  value: number | string | null | undefined,
  unit?: string,
): string {
  if (value === null || value === undefined) return 'no data';
  return `${value}${unit ? ` (${unit})` : ''}`;
}

/**
 * An analysis measurement as Argo Rollouts reports it (`0.00048`,
 * `[0.00048]`, `[0.1,0.2]`) with each number in its unit; other text as is.
 */
export function formatMeasurement(value: string, unit?: string): string {
  const trimmed = value.trim();
  const list = /^\[(.*)\]$/.exec(trimmed);
  if (!list) return formatQuantity(trimmed, unit);
  const items = list[1].split(',').map(item => item.trim());
  return items.map(item => formatQuantity(item, unit)).join(', ');
}

/** The built-in SLOs' units (delivery-backend's sloDefinitions). */
const DEFAULT_SLO_UNITS = [
  { name: 'error-rate', unit: 'ratio' },
  { name: 'latency-p99', unit: 'seconds' },
];

/**
 * The unit of an analysis metric, known from the configured SLO of the same
 * name (an AnalysisTemplate's metric names the SLO it checks), else none.
 */
export function unitOfMetric(
  metricName: string,
  slos: Array<{ name: string; unit?: string }> = DEFAULT_SLO_UNITS,
): string | undefined {
  return slos.find(slo => slo.name === metricName)?.unit;
}

/** A Unix time in seconds as a local `HH:MM`. */
export function formatClock(t: number): string {
  const d = new Date(t * 1000);
  return `${String(d.getHours()).padStart(2, '0')}:${String(
    d.getMinutes(),
  ).padStart(2, '0')}`;
}

/**
 * An ISO timestamp as a local `HH:MM:SS` (what a reader compares with the
 * clock); the exact value belongs in a tooltip. A value that is not a time
 * is returned as it is.
 */
export function formatTimeOfDay(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return [d.getHours(), d.getMinutes(), d.getSeconds()]
    .map(n => String(n).padStart(2, '0'))
    .join(':');
}
