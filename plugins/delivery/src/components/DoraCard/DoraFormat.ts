import {
  formatQuantity,
  type DoraBand,
  type DoraFigure,
  type DoraFigureName,
  type DoraTrend,
} from '@gitops-delivery/backstage-plugin-delivery-common';

/** Titles of the four figures, in the order the card shows them. */
export const DORA_FIGURES: Array<{ name: DoraFigureName; title: string }> = [
  { name: 'deploymentFrequency', title: 'Deployment frequency' },
  { name: 'leadTimeForChanges', title: 'Lead time for changes' },
  { name: 'changeFailureRate', title: 'Change failure rate' },
  { name: 'timeToRestore', title: 'Time to restore' },
];

/** Band names as people read them. */
export const BAND_LABELS: Record<DoraBand, string> = {
  elite: 'Elite',
  high: 'High',
  medium: 'Medium',
  low: 'Low',
};

/** A figure's value with its unit; `no data` when the window has none. */
export function formatFigure(
  value: number | null | undefined,
  unit: DoraFigure['unit'],
): string {
  // the shared formatting module: the same rounding as every other value
  return formatQuantity(value, unit);
}

/** The trend in words: the direction and whether it is better. */
export function trendText(
  figure: DoraFigure,
  windowDays: number,
): string | undefined {
  if (!figure.trend || figure.previous === null) return undefined;
  const before = formatFigure(figure.previous, figure.unit);
  const words: Record<DoraTrend, string> = {
    better: 'better than',
    worse: 'worse than',
    same: 'same as',
  };
  return `${words[figure.trend]} the previous ${windowDays} days (${before})`;
}
