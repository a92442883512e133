/*
 * DORA figures: what the pipeline achieves. GET /entities/:ref/dora?window=
 */

/** Windows the DORA figures can be computed over, in days. @public */
export const DORA_WINDOWS = [7, 30, 90] as const;

/** A DORA window in days. @public */
export type DoraWindowDays = (typeof DORA_WINDOWS)[number];

/** DORA performance band (State of DevOps report). @public */
export type DoraBand = 'elite' | 'high' | 'medium' | 'low';

/** One DORA figure over the window, with its trend and sparkline. @public */
export interface DoraFigure {
  /** null when the window has no data for it. */
  value: number | null;
  /** `per-day` (deployment frequency), `hours` (lead time, time to restore), `ratio` (change failure rate). */
  unit: 'per-day' | 'hours' | 'ratio';
  band?: DoraBand;
  /** The same figure over the previous window of equal length. */
  previous: number | null;
  trend?: 'better' | 'worse' | 'same';
  /** Buckets over the window, oldest first, for the sparkline. */
  series: Array<{ t: number; value: number | null }>;
  /** How many data points the figure rests on. */
  sampleSize: number;
}

/** The four DORA figures. @public */
export interface DoraFigures {
  deploymentFrequency: DoraFigure;
  leadTimeForChanges: DoraFigure;
  changeFailureRate: DoraFigure;
  timeToRestore: DoraFigure;
}

/** A deployment the figures count (a successful sync that changed the image). @public */
export interface DoraDeployment {
  at: string;
  revision?: string;
  images: string[];
  /** Commit time of the revision, when known. */
  committedAt?: string;
  /** Whether an abort or rollback followed before the next deployment. */
  failed: boolean;
  /** When the next healthy deployment restored service, for a failed one. */
  restoredAt?: string;
}

/** A failure: a rollout aborted or rolled back. @public */
export interface DoraFailure {
  at: string;
  kind: 'abort' | 'rollback';
  /** Where the failure was found: `audit` or `argocd`. */
  source: string;
  restoredAt?: string;
}

/** The figures of one environment, with the data behind them. @public */
export interface DoraEnvironmentFigures {
  environment: string;
  figures: DoraFigures;
  deployments: DoraDeployment[];
  failures: DoraFailure[];
}
