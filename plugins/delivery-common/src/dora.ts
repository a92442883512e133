/*
 * DORA figures: what the pipeline achieves. GET /entities/:ref/dora?window=
 */

/** Windows the DORA figures can be computed over, in days. @public */
export const DORA_WINDOWS = [7, 30, 90] as const;

/** A DORA window in days. @public */
export type DoraWindowDays = (typeof DORA_WINDOWS)[number];

/** Names of the four DORA figures. @public */
export type DoraFigureName =
  | 'deploymentFrequency'
  | 'leadTimeForChanges'
  | 'changeFailureRate'
  | 'timeToRestore';

/** Unit of a DORA figure. @public */
export type DoraUnit = 'per-day' | 'hours' | 'ratio';

/** Direction of a figure against the previous window. @public */
export type DoraTrend = 'better' | 'worse' | 'same';

/** One point of a figure's daily series (`t` in epoch seconds, start of the day bucket). @public */
export interface DoraSeriesPoint {
  t: number;
  value: number | null;
}

/** DORA performance band (State of DevOps report). @public */
export type DoraBand = 'elite' | 'high' | 'medium' | 'low';

/** One DORA figure over the window, with its trend and sparkline. @public */
export interface DoraFigure {
  /** null when the window has no data for it. */
  value: number | null;
  /** `per-day` (deployment frequency), `hours` (lead time, time to restore), `ratio` (change failure rate). */
  unit: DoraUnit;
  band?: DoraBand;
  /** The same figure over the previous window of equal length. */
  previous: number | null;
  trend?: DoraTrend;
  /** Buckets over the window, oldest first, for the sparkline. */
  series: DoraSeriesPoint[];
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
  /** For a System: the component (entity ref) it belongs to. */
  component?: string;
}

/** What kind of failure: a rollout aborted, or a rollback to an earlier revision. @public */
export type DoraFailureKind = 'abort' | 'rollback';

/** A failure: a rollout aborted or rolled back. @public */
export interface DoraFailure {
  at: string;
  kind: DoraFailureKind;
  /** Where the failure was found: `audit` or `argocd`. */
  source: string;
  restoredAt?: string;
  /** For a System: the component (entity ref) it belongs to. */
  component?: string;
}

/** The figures of one environment, with the data behind them. @public */
export interface DoraEnvironmentFigures {
  environment: string;
  figures: DoraFigures;
  deployments: DoraDeployment[];
  failures: DoraFailure[];
}

/** Where a part of the DORA response came from, and whether it could be read. @public */
export interface DoraSourceStatus {
  /** `argocd:<instance>`, `history`; for a System, suffixed with ` (<component ref>)`, or the component's ref when it could not be read at all. */
  source: string;
  status: 'ok' | 'error' | 'not-configured';
  message?: string;
}

/** Response of GET /entities/:ref/dora. @public */
export interface DoraResponse {
  entityRef: string;
  windowDays: DoraWindowDays;
  /** End of the window. */
  generatedAt: string;
  /** For a System: the components the figures aggregate. */
  components?: string[];
  /** Figures per environment, in promotion order (only the asked one with `environment=`). */
  environments: DoraEnvironmentFigures[];
  sources: DoraSourceStatus[];
}
