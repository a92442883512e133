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
  /**
   * Set when the stage reports on another environment than its row's: where
   * this environment's change (the same images) is there. `waiting` then
   * means the change has not reached that environment.
   */
  environment?: string;
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

/**
 * Whether an Application belongs to the entity for actions. Annotations are
 * written by whoever registers the entity, so only the Application itself
 * (its label or annotation) or a configured owner rule can bind it.
 * @public
 */
export interface ApplicationBinding {
  /** Whether the Application names the entity back (or an owner rule ties it to the entity). */
  bound: boolean;
  /** What binds it: a label, an annotation on the Application, or an owner rule. */
  by?: 'label' | 'annotation' | 'owner-rule';
  /** Why it is not bound, and how to bind it. */
  reason?: string;
  /**
   * Whether actions require the binding (`delivery.actions.requireBinding`,
   * default true): when true and `bound` is false, no action is offered or
   * accepted for the Application.
   */
  enforced: boolean;
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
  /** Whether actions may reach the Application on behalf of this entity. */
  binding: ApplicationBinding;
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
  /** The binding of the Rollout's Application (see ApplicationView). */
  binding?: ApplicationBinding;
}

/** One environment (dev, staging, production, ...) of the entity. @public */
export interface EnvironmentView {
  name: string;
  applications: ApplicationView[];
  stages: PipelineStage[];
  rollouts: RolloutView[];
  /** One-line summaries of the signals, so the tab renders from one call. */
  summary?: EnvironmentSummary;
}

/** Summaries of an environment's signals. @public */
export interface EnvironmentSummary {
  /** The SLO furthest from (or most beyond) its threshold, for the canary. */
  slo?: {
    status: 'ok' | 'breach' | 'unknown';
    worst?: { name: string; value: number | null; threshold: number };
  };
  /** Severity counts of the image(s) being rolled out (canary, else stable). */
  vulnerabilities?: { counts: SeverityCounts; fixableCounts: SeverityCounts };
  ci?: {
    status: string;
    conclusion?: string;
    url?: string;
    /** The workflow runs of the deployed commit, with their jobs. */
    runs?: CiRunView[];
  };
  policy?: {
    allowed: boolean;
    failing: string[];
    /** False when no rollout of the environment has a promotion to decide. */
    pending?: boolean;
  };
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

// ---------------------------------------------------------------------------
// GET /entities/:ref/metrics?environment=&range=

/** One point of a series; `value` is null where Prometheus gave NaN or no data. @public */
export interface SeriesPoint {
  /** Unix time in seconds. */
  t: number;
  value: number | null;
}

/** One SLO of one rollout, canary and stable side by side. @public */
export interface SloMetricView {
  /** Configured SLO name, e.g. `error-rate`. */
  name: string;
  description?: string;
  /** `ratio`, `seconds`, ... for display. */
  unit?: string;
  threshold: number;
  /** `below`: healthy while value <= threshold; `above`: while value >= threshold. */
  comparison: 'below' | 'above';
  canary: SloSideView;
  stable: SloSideView;
  /** Status of the canary against the threshold. */
  status: 'ok' | 'breach' | 'unknown';
}

/** The canary or the stable side of an SLO. @public */
export interface SloSideView {
  podTemplateHash?: string;
  /** Latest value; null for NaN, +Inf or no data. */
  current: number | null;
  series: SeriesPoint[];
  /** Why the side has no data, when it has none. */
  message?: string;
}

/**
 * What moved a rollout to a step: it reached a pause or an analysis step on
 * its own, or a recorded action (promote, promote fully, abort, retry) did.
 * @public
 */
export type StepChangeCause =
  | 'pause'
  | 'analysis'
  | 'promote'
  | 'promote-full'
  | 'abort'
  | 'retry';

/** When the rollout moved to a step, for marking charts. @public */
export interface StepChange {
  /** Unix time in seconds. */
  t: number;
  /** Index into the rollout's steps; equals the number of steps when done. */
  stepIndex: number;
  /** Canary weight in percent after the change. */
  weight?: number;
  cause: StepChangeCause;
  /** Who or what, e.g. the AnalysisRun's name or the actor and reason. */
  detail?: string;
}

/** The SLOs of one rollout. @public */
export interface RolloutMetricsView {
  instance: string;
  application: string;
  namespace: string;
  rollout: string;
  slos: SloMetricView[];
  stepChanges: StepChange[];
}

/** Response of the metrics route. @public */
export interface MetricsResponse {
  entityRef: string;
  environment: string;
  /** Window in seconds and the step of the series, after capping. */
  rangeSeconds: number;
  stepSeconds: number;
  start: number;
  end: number;
  rollouts: RolloutMetricsView[];
  sources: SourceStatus[];
}

// ---------------------------------------------------------------------------
// GET /entities/:ref/vulnerabilities?environment=

/** Severity levels, most severe first. @public */
export const SEVERITIES = [
  'CRITICAL',
  'HIGH',
  'MEDIUM',
  'LOW',
  'UNKNOWN',
] as const;

/** A vulnerability severity. @public */
export type Severity = (typeof SEVERITIES)[number];

/** Number of findings per severity. @public */
export type SeverityCounts = Record<Severity, number>;

/** One vulnerability found in an image. @public */
export interface VulnerabilityFinding {
  /** CVE-..., GHSA-..., SNYK-... */
  id: string;
  severity: Severity;
  packageName: string;
  installedVersion?: string;
  fixedVersion?: string;
  fixable: boolean;
  title?: string;
  url?: string;
  /** `trivy`, `trivy-operator` or `snyk`. */
  source: string;
}

/** The findings of one deployed image. @public */
export interface ImageVulnerabilities {
  /** The image reference as deployed. */
  image: string;
  digest?: string;
  counts: SeverityCounts;
  fixableCounts: SeverityCounts;
  findings: VulnerabilityFinding[];
  /** When the newest report used was produced. */
  reportCreatedAt?: string;
  /**
   * Whether at least one scanner had a report of this image (possibly with
   * no findings). `false`: none had one, or every scanner failed, so zero
   * counts are no evidence of a clean image. Absent from producers that do
   * not know; consumers treat that as `false`.
   */
  reportFound?: boolean;
  sources: SourceStatus[];
}

/** Canary and stable images of one rollout. @public */
export interface RolloutVulnerabilitiesView {
  instance: string;
  application: string;
  namespace: string;
  rollout: string;
  canary?: ImageVulnerabilities;
  stable?: ImageVulnerabilities;
  /** Findings in the canary image that the stable image does not have. */
  newInCanary: VulnerabilityFinding[];
}

/** Response of the vulnerabilities route. @public */
export interface VulnerabilitiesResponse {
  entityRef: string;
  environment: string;
  rollouts: RolloutVulnerabilitiesView[];
  sources: SourceStatus[];
}

// ---------------------------------------------------------------------------
// CI (GitHub Actions), part of the overview's `ci` stage

/** One job of a CI run. @public */
export interface CiJobView {
  name: string;
  /** Which pipeline step the job is, when its name tells. */
  kind: 'build' | 'test' | 'sast' | 'container-build' | 'image-scan' | 'other';
  status: string;
  conclusion?: string;
  startedAt?: string;
  completedAt?: string;
  url?: string;
}

/** One CI workflow run for the deployed commit. @public */
export interface CiRunView {
  id: number;
  name: string;
  headSha: string;
  status: string;
  conclusion?: string;
  url?: string;
  createdAt?: string;
  updatedAt?: string;
  jobs: CiJobView[];
}

// ---------------------------------------------------------------------------
// GET /entities/:ref/policy?environment=  ("can I promote?")

/**
 * Outcome of one gate. `not-applicable`: the gate needs something the
 * environment does not have (a canary for soak, analysis and SLO gates);
 * it never blocks, unlike `unknown`, which fails closed. @public
 */
export type GateOutcome = 'pass' | 'fail' | 'unknown' | 'not-applicable';

/** One piece of evidence behind a gate result. @public */
export interface GateEvidence {
  label: string;
  value?: string | number | null;
  threshold?: string | number;
  /** The unit of `value` and `threshold` (see `formatQuantity`), e.g. `ratio`. */
  unit?: string;
  /** How `threshold` bounds `value`: `below` is healthy while value ≤ threshold. */
  comparison?: 'below' | 'above';
  url?: string;
}

/** The result of one policy gate. @public */
export interface GateResult {
  /** Gate name as configured. */
  name: string;
  /** `vulnerabilities`, `slo`, `soak`, `analysis`, `upstream-environment`, `in-sync`, `change-window`, ... */
  kind: string;
  outcome: GateOutcome;
  /** Whether this result blocks promotion (unknown fails closed unless configured). */
  blocking: boolean;
  reason: string;
  evidence: GateEvidence[];
}

/** A policy evaluated for one rollout of one environment. @public */
export interface PolicyEvaluation {
  policy: string;
  environment: string;
  instance?: string;
  rollout?: string;
  allowed: boolean;
  /**
   * Whether there is a promotion to decide: a rollout that is not fully
   * promoted. False for an environment without a rollout or at its last step.
   */
  promotionPending?: boolean;
  evaluatedAt: string;
  gates: GateResult[];
}

/** Response of the policy route. @public */
export interface PolicyResponse {
  entityRef: string;
  environment: string;
  evaluations: PolicyEvaluation[];
  sources: SourceStatus[];
}

// ---------------------------------------------------------------------------
// POST /entities/:ref/actions and GET /entities/:ref/audit

/** The actions a user can take on a rollout. @public */
export const ROLLOUT_ACTIONS = [
  'promote',
  'promote-full',
  'abort',
  'retry',
] as const;

/** An action on a rollout. @public */
export type RolloutActionName = (typeof ROLLOUT_ACTIONS)[number];

/** Body of POST /entities/:ref/actions. @public */
export interface RolloutActionRequest {
  environment: string;
  rollout: string;
  action: RolloutActionName;
  reason: string;
  idempotencyKey: string;
  /** Break-glass: promote although the policy blocks (needs the override permission). */
  override?: boolean;
}

/** One audit record. @public */
export interface AuditRecord {
  id: string;
  createdAt: string;
  updatedAt?: string;
  actor: string;
  entityRef: string;
  environment: string;
  instance?: string;
  rollout: string;
  action: RolloutActionName;
  reason: string;
  /** `allowed`, `blocked`, `overridden` or `guard` (aborted by the canary guard). */
  decision: 'allowed' | 'blocked' | 'overridden' | 'guard';
  gates?: GateResult[];
  upstreamStatus?: number;
  outcome:
    | 'requested'
    | 'succeeded'
    | 'failed'
    | 'rejected'
    | 'outcome-unknown';
  message?: string;
  correlationId?: string;
  idempotencyKey?: string;
}

/** Response of POST /entities/:ref/actions. @public */
export interface RolloutActionResponse {
  record: AuditRecord;
}

/** Response of GET /entities/:ref/audit. @public */
export interface AuditPage {
  items: AuditRecord[];
  nextCursor?: string;
}

/** Who decided an audited action. @public */
export type AuditDecision = AuditRecord['decision'];

/** How an audited action ended. @public */
export type AuditOutcome = AuditRecord['outcome'];
