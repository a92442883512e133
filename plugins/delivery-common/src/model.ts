/*
 * The delivery view: what GET /api/delivery/v1/entities/:ref/overview returns.
 * Plain data shared by the backend (which builds it) and the frontend (which
 * renders it). Timestamps are ISO 8601 strings.
 */

/** Status of one upstream source that fed part of the view. @public */
export interface SourceStatus {
  /** Which upstream, e.g. `argocd`, `prometheus`, `trivy`, `snyk`, `github`. */
  source: string;
  /** Configured instance name, when the source has several. */
  instance?: string;
  /** `ok`, `error` (message says why), or `not-configured`. */
  status: 'ok' | 'error' | 'not-configured';
  /** Human-readable cause; never contains a credential. */
  message?: string;
}

/** The seven pipeline stages, in order. @public */
export const STAGE_NAMES = [
  'commit',
  'ci',
  'image',
  'manifest',
  'reconcile',
  'staging',
  'production',
] as const;

/** One of the seven pipeline stages. @public */
export type StageName = (typeof STAGE_NAMES)[number];

/** Status of a pipeline stage. @public */
export type StageStatus =
  | 'succeeded'
  | 'running'
  | 'failed'
  | 'waiting'
  | 'unknown'
  | 'not-configured';

/** A link to an upstream UI. @public */
export interface DeliveryLink {
  title: string;
  url: string;
}

/** One pipeline stage of one environment. @public */
export interface PipelineStage {
  name: StageName;
  status: StageStatus;
  /** Short explanation of the status. */
  message?: string;
  startedAt?: string;
  finishedAt?: string;
  revision?: string;
  author?: string;
  commitMessage?: string;
  links: DeliveryLink[];
}

/** Argo CD sync status. @public */
export type SyncStatus = 'Synced' | 'OutOfSync' | 'Unknown';

/** Argo CD health status. @public */
export type HealthStatus =
  | 'Healthy'
  | 'Progressing'
  | 'Degraded'
  | 'Suspended'
  | 'Missing'
  | 'Unknown';

/** Revision metadata of a git commit. @public */
export interface RevisionMetadata {
  author?: string;
  date?: string;
  message?: string;
  tags?: string[];
}

/** One entry of an application's deployment history (newest first). @public */
export interface HistoryEntry {
  id: number;
  revision?: string;
  revisions?: string[];
  deployedAt?: string;
  deployStartedAt?: string;
  initiatedBy?: string;
  /** Only for the newest entries; absent when not a git revision. */
  metadata?: RevisionMetadata;
}

/** One Argo CD Application of an environment. @public */
export interface ApplicationView {
  instance: string;
  name: string;
  /** Namespace of the Application object (apps in any namespace). */
  appNamespace?: string;
  project: string;
  /** Where it deploys. */
  destination: { server?: string; name?: string; namespace?: string };
  sourceType: 'git' | 'helm' | 'oci' | 'multi-source' | 'unknown';
  repoURL?: string;
  sync: { status: SyncStatus; revision?: string; revisions?: string[] };
  health: { status: HealthStatus; message?: string };
  operation?: {
    phase: string;
    message?: string;
    startedAt?: string;
    finishedAt?: string;
  };
  lastSyncedAt?: string;
  reconciledAt?: string;
  images: string[];
  history: HistoryEntry[];
  links: DeliveryLink[];
}

/** One step of a canary strategy. @public */
export type RolloutStep =
  | { kind: 'setWeight'; weight: number }
  | { kind: 'pause'; durationSeconds?: number }
  | { kind: 'analysis'; templates: string[] }
  | { kind: 'setCanaryScale'; weight?: number; replicas?: number }
  | { kind: 'other'; name: string };

/** A measurement of an AnalysisRun metric. @public */
export interface AnalysisMeasurement {
  phase: string;
  value?: string;
  startedAt?: string;
  finishedAt?: string;
  message?: string;
}

/** One metric of an AnalysisRun. @public */
export interface AnalysisMetricView {
  name: string;
  phase: string;
  message?: string;
  successCondition?: string;
  failureCondition?: string;
  /** PromQL when the provider is Prometheus. */
  query?: string;
  measurements: AnalysisMeasurement[];
}

/** An AnalysisRun of the rollout's current revision. @public */
export interface AnalysisRunView {
  name: string;
  phase: string;
  message?: string;
  /** `Step` or `Background`. */
  type?: string;
  stepIndex?: number;
  podTemplateHash?: string;
  startedAt?: string;
  completedAt?: string;
  metrics: AnalysisMetricView[];
}

/** A resource action on the Rollout, as Argo CD reports it. @public */
export interface RolloutActionView {
  name: string;
  disabled: boolean;
}

/** The rollout's canary or blue-green progress. @public */
export interface RolloutView {
  instance: string;
  application: string;
  appNamespace?: string;
  namespace: string;
  name: string;
  strategy: 'canary' | 'blueGreen';
  /** `Healthy`, `Progressing`, `Paused`, `Degraded`. */
  phase?: string;
  /** Argo CD's health of the Rollout (Paused shows as Suspended). */
  health: { status: HealthStatus; message?: string };
  message?: string;
  steps: RolloutStep[];
  /** Index into `steps`; equals `steps.length` when all are done. */
  currentStepIndex?: number;
  /** Canary weight in percent (actual when traffic routing reports it). */
  canaryWeight: number;
  stableWeight: number;
  pause?: {
    reason: string;
    startedAt?: string;
    durationSeconds?: number;
    /** Seconds left at `generatedAt`; absent for an indefinite pause. */
    remainingSeconds?: number;
  };
  stablePodHash?: string;
  canaryPodHash?: string;
  stableImages: string[];
  canaryImages: string[];
  aborted: boolean;
  abortedAt?: string;
  fullyPromoted: boolean;
  blueGreen?: {
    activeService?: string;
    previewService?: string;
    activeSelector?: string;
    previewSelector?: string;
  };
  analysisRuns: AnalysisRunView[];
  actions: RolloutActionView[];
}

/** One environment (dev, staging, production, ...) of the entity. @public */
export interface EnvironmentView {
  name: string;
  applications: ApplicationView[];
  stages: PipelineStage[];
  rollouts: RolloutView[];
}

/** The entity's resolved delivery annotations. @public */
export interface ResolvedAnnotations {
  appName?: string;
  appSelector?: string;
  /** Configured instance names to search; empty = all. */
  instances: string[];
  appNamespace?: string;
  projects: string[];
  prometheusServiceName?: string;
  githubProjectSlug?: string;
  snykOrgId?: string;
  policy?: string;
}

/** The whole delivery view of one entity. @public */
export interface DeliveryOverview {
  entityRef: string;
  generatedAt: string;
  annotations: ResolvedAnnotations;
  /** Problems with the entity's annotations that did not stop the view. */
  warnings: string[];
  sources: SourceStatus[];
  environments: EnvironmentView[];
}
