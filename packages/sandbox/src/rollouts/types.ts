import type { CanaryStep, TrafficRouter } from '../world/types';

/** One measurement of an analysis metric (times are simulated ms). */
export interface MeasurementState {
  phase: 'Successful' | 'Failed' | 'Error';
  value?: string;
  message?: string;
  startedAt: number;
  finishedAt: number;
}

/** One metric of an AnalysisRun. */
export interface MetricState {
  name: string;
  /** The PromQL query with the template arguments filled in. */
  query: string;
  successCondition: string;
  intervalMs: number;
  count: number;
  failureLimit: number;
  measurements: MeasurementState[];
}

/** An AnalysisRun created by a canary analysis step. */
export interface AnalysisRunState {
  name: string;
  uid: string;
  stepIndex: number;
  podHash: string;
  revision: number;
  createdAt: number;
  phase: 'Running' | 'Successful' | 'Failed' | 'Error';
  message?: string;
  completedAt?: number;
  terminate?: boolean;
  metrics: MetricState[];
}

/** An Experiment created by a canary experiment step. */
export interface ExperimentState {
  name: string;
  uid: string;
  stepIndex: number;
  podHash: string;
  revision: number;
  createdAt: number;
  durationMs: number;
  phase: 'Running' | 'Successful';
  completedAt?: number;
  templates: Array<{
    name: string;
    specRef: 'stable' | 'canary';
    replicas: number;
  }>;
}

/** A point of the traffic history (for Prometheus series over time). */
export interface TrafficPoint {
  at: number;
  canaryHash: string;
  stableHash: string;
  /** Percent of traffic on the canary (or preview). */
  canaryWeight: number;
  /** The update was aborted: canary (or preview) pods are gone. */
  aborted: boolean;
  /** Blue-green: the preview pods take smoke traffic only. */
  preview: boolean;
}

/** The live state of one Rollout, as the simulated controller keeps it. */
export interface RolloutState {
  service: string;
  name: string;
  namespace: string;
  uid: string;
  strategy: 'canary' | 'blueGreen';
  steps: CanaryStep[];
  trafficRouting: TrafficRouter;
  /** A setCanaryScale in effect (traffic routing only). */
  canaryScale?: { weight?: number; replicas?: number };
  experiments: ExperimentState[];
  replicas: number;
  /** The replicas in Git; differs from `replicas` under drift. */
  targetReplicas: number;
  revision: number;
  createdAt: number;
  generation: number;
  stableHash: string;
  stableImage: string;
  canaryHash: string;
  canaryImage: string;
  /** Revision number of each pod template hash (for `Rev:N`). */
  revisions: Record<string, number>;
  currentStepIndex: number;
  stepStartedAt: number;
  pauseConditions: Array<{ reason: string; startTime: number }>;
  controllerPause: boolean;
  specPaused: boolean;
  abort: boolean;
  abortedAt?: number;
  abortMessage?: string;
  promoteFull: boolean;
  restartAt?: number;
  /** When the current pod template became fully promoted. */
  promotedAt?: number;
  canaryWeight: number;
  analysisRuns: AnalysisRunState[];
  traffic: TrafficPoint[];
  /** Simulated instant of the last change (for resourceVersion). */
  updatedAt: number;
  /** Prometheus base URL the AnalysisTemplate points at. */
  prometheusAddress: string;
}
