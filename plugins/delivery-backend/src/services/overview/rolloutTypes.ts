/*
 * The fields of the Argo Rollouts objects (argoproj.io/v1alpha1 Rollout and
 * AnalysisRun, as of v1.9) that the model reads. Live objects come from
 * Argo CD as untyped JSON; everything is optional and read defensively.
 */

/** One canary step of `spec.strategy.canary.steps`. @public */
export interface RolloutStepObject {
  setWeight?: number;
  pause?: { duration?: string | number } | null;
  analysis?: { templates?: Array<{ templateName?: string }> };
  setCanaryScale?: {
    weight?: number;
    replicas?: number;
    matchTrafficWeight?: boolean;
  };
  [other: string]: unknown;
}

/** A live Rollout object. @public */
export interface RolloutObject {
  metadata?: {
    name?: string;
    namespace?: string;
    uid?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    generation?: number;
  };
  spec?: {
    paused?: boolean;
    template?: {
      spec?: { containers?: Array<{ name?: string; image?: string }> };
    };
    workloadRef?: { kind?: string; name?: string };
    strategy?: {
      canary?: {
        steps?: RolloutStepObject[];
        canaryService?: string;
        stableService?: string;
      };
      blueGreen?: {
        activeService?: string;
        previewService?: string;
        autoPromotionEnabled?: boolean;
      };
    };
  };
  status?: {
    phase?: string;
    message?: string;
    currentStepIndex?: number;
    currentPodHash?: string;
    stableRS?: string;
    abort?: boolean;
    abortedAt?: string;
    promoteFull?: boolean;
    controllerPause?: boolean;
    observedGeneration?: string | number;
    pauseConditions?: Array<{ reason?: string; startTime?: string }>;
    canary?: {
      weights?: {
        canary?: { weight?: number; podTemplateHash?: string };
        stable?: { weight?: number; podTemplateHash?: string };
      };
      currentStepAnalysisRunStatus?: { name?: string; status?: string };
      currentBackgroundAnalysisRunStatus?: { name?: string; status?: string };
    };
    blueGreen?: {
      activeSelector?: string;
      previewSelector?: string;
      currentStepAnalysisRunStatus?: { name?: string; status?: string };
    };
    conditions?: Array<{
      type?: string;
      status?: string;
      reason?: string;
      message?: string;
      lastTransitionTime?: string;
    }>;
  };
}

/** One metric of an AnalysisRun spec. @public */
export interface AnalysisMetricSpec {
  name?: string;
  successCondition?: string;
  failureCondition?: string;
  provider?: { prometheus?: { query?: string }; [other: string]: unknown };
}

/** A live AnalysisRun object. @public */
export interface AnalysisRunObject {
  metadata?: {
    name?: string;
    namespace?: string;
    labels?: Record<string, string>;
    creationTimestamp?: string;
  };
  spec?: {
    metrics?: AnalysisMetricSpec[];
    /** Pre-v1.0 layout. */
    analysisSpec?: { metrics?: AnalysisMetricSpec[] };
  };
  status?: {
    phase?: string;
    message?: string;
    startedAt?: string;
    completedAt?: string;
    metricResults?: Array<{
      name?: string;
      phase?: string;
      message?: string;
      measurements?: Array<{
        phase?: string;
        value?: string;
        startedAt?: string;
        finishedAt?: string;
        message?: string;
      }>;
    }>;
  };
}
