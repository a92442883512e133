import type {
  SeriesPoint,
  SloMetricView,
  StepChange,
} from '@gitops-delivery/backstage-plugin-delivery-common';

/** One row of an SLO chart: canary and stable at the same time. */
export interface SloChartRow {
  t: number;
  canary: number | null;
  stable: number | null;
}

function finite(value: number | null | undefined): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

/**
 * Merges the canary and stable series by time. Missing and non-finite values
 * become null, which the chart draws as a gap rather than a drop to zero.
 */
export function toChartRows(slo: SloMetricView): SloChartRow[] {
  const rows = new Map<number, SloChartRow>();
  const add = (points: SeriesPoint[], side: 'canary' | 'stable') => {
    for (const point of points) {
      const row = rows.get(point.t) ?? {
        t: point.t,
        canary: null,
        stable: null,
      };
      row[side] = finite(point.value);
      rows.set(point.t, row);
    }
  };
  add(slo.canary.series, 'canary');
  add(slo.stable.series, 'stable');
  return [...rows.values()].sort((a, b) => a.t - b.t);
}

/** Number of gaps (runs of nulls between values) in one side of the rows. */
export function countGaps(rows: SloChartRow[], side: 'canary' | 'stable') {
  let gaps = 0;
  let seenValue = false;
  let inGap = false;
  for (const row of rows) {
    if (row[side] === null) {
      if (seenValue && !inGap) gaps++;
      inGap = seenValue;
    } else {
      seenValue = true;
      inGap = false;
    }
  }
  // A gap only counts when a value follows it; trailing nulls are "no data yet".
  if (inGap) gaps--;
  return gaps;
}

/** A step change's short label on a chart, e.g. `promoted to step 4 (25%)`. */
export function stepChangeLabel(change: StepChange): string {
  const step = `step ${change.stepIndex + 1}`;
  const weight = change.weight !== undefined ? ` (${change.weight}%)` : '';
  switch (change.cause) {
    case 'pause':
      return `paused at ${step}${weight}`;
    case 'analysis':
      return `analysis at ${step}${weight}`;
    case 'promote':
      return `promoted to ${step}${weight}`;
    case 'promote-full':
      return `promoted fully${weight}`;
    case 'abort':
      return `aborted at ${step}${weight}`;
    case 'retry':
      return `retried from ${step}${weight}`;
    default:
      return `${step}${weight}`;
  }
}
