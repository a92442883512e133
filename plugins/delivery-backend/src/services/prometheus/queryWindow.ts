import { InputError } from '@backstage/errors';

/** Time window of a range query, in unix seconds. @public */
export interface QueryWindow {
  rangeSeconds: number;
  stepSeconds: number;
  start: number;
  end: number;
}

/** Default window of the metrics route. @public */
export const DEFAULT_RANGE_SECONDS = 3600;
/** Shortest window accepted. @public */
export const MIN_RANGE_SECONDS = 300;
/** Longest window served; longer requests are capped to it. @public */
export const MAX_RANGE_SECONDS = 7 * 24 * 3600;
/** Smallest step; finer steps add points but no information at scrape rates. @public */
export const MIN_STEP_SECONDS = 15;
/** At most this many points per series (Prometheus itself refuses 11,000). @public */
export const MAX_POINTS = 240;

const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400 };

/**
 * Parses a range such as `15m`, `1h`, `7d` or a number of seconds.
 * Throws InputError naming the `range` field for anything else.
 */
export function parseRangeSeconds(value: string | undefined): number {
  if (value === undefined || value === '') return DEFAULT_RANGE_SECONDS;
  const match = /^(\d{1,7})([smhd]?)$/.exec(value);
  if (!match) {
    throw new InputError(
      `Invalid range: "${value.slice(
        0,
        40,
      )}" must be a duration such as 15m, 1h, 6h or 7d`,
    );
  }
  const seconds = Number(match[1]) * UNIT_SECONDS[match[2] || 's'];
  if (seconds < MIN_RANGE_SECONDS) {
    throw new InputError(
      `Invalid range: must be at least ${MIN_RANGE_SECONDS / 60} minutes`,
    );
  }
  return Math.min(seconds, MAX_RANGE_SECONDS);
}

/**
 * The window ending at `now`: the range capped, a step that keeps at most
 * MAX_POINTS points (rounded up to a whole MIN_STEP_SECONDS multiple), and
 * the end aligned to MIN_STEP_SECONDS so that callers within the same 15 s
 * share cache entries.
 */
export function queryWindow(rangeSeconds: number, nowMs: number): QueryWindow {
  const range = Math.min(
    Math.max(Math.round(rangeSeconds), MIN_RANGE_SECONDS),
    MAX_RANGE_SECONDS,
  );
  const rawStep = Math.ceil(range / MAX_POINTS);
  const stepSeconds =
    Math.ceil(Math.max(rawStep, MIN_STEP_SECONDS) / MIN_STEP_SECONDS) *
    MIN_STEP_SECONDS;
  const end = Math.floor(nowMs / 1000 / MIN_STEP_SECONDS) * MIN_STEP_SECONDS;
  return { rangeSeconds: range, stepSeconds, start: end - range, end };
}
