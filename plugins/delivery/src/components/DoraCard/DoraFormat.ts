import type {
  DoraBand,
  DoraFigure,
  DoraFigureName,
  DoraTrend,
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

function hours(value: number): string {
  if (value < 1) return `${Math.round(value * 60)} min`;
  if (value < 48) return `${+value.toFixed(1)} h`;
  return `${+(value / 24).toFixed(1)} d`;
}

/** A figure's value with its unit; `no data` when the window has none. */
export function formatFigure(
  value: number | null | undefined,
  unit: DoraFigure['unit'],
): string {
  if (value === null || value === undefined || !Number.isFinite(value)) {
    return 'no data';
  }
  switch (unit) {
    case 'per-day':
      return value >= 1 || value === 0
        ? `${+value.toFixed(1)} / day`
        : `${+(value * 7).toFixed(1)} / week`;
    case 'ratio':
      return `${+(value * 100).toFixed(1)}%`;
    default:
      return hours(value);
  }
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
