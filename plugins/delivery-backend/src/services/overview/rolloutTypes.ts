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
  /** Shadow traffic; without `match` the step removes the route. */
  setMirrorRoute?: { name?: string; percentage?: number; match?: unknown[] };
  experiment?: {
    duration?: string | number;
    templates?: Array<{
      name?: string;
      specRef?: string;
      replicas?: number;
      weight?: number;
    }>;
    analyses?: Array<{
      name?: string;
      templateName?: string;
      requiredForCompletion?: boolean;
    }>;
  };
  [other: string]: unknown;
}

/** `spec.strategy.canary.trafficRouting`: the router(s) and what they name. @public */
export interface TrafficRoutingObject {
  istio?: {
    virtualService?: { name?: string; routes?: string[] };
    virtualServices?: Array<{ name?: string; routes?: string[] }>;
    destinationRule?: { name?: string };
  };
  nginx?: { stableIngress?: string; stableIngresses?: string[] };
  alb?: { ingress?: string; ingresses?: string[] };
  smi?: { trafficSplitName?: string; rootService?: string };
  traefik?: { weightedTraefikServiceName?: string };
  ambassador?: { mappings?: string[] };
  apisix?: { route?: { name?: string } };
  appMesh?: { virtualService?: { name?: string } };
  /** Traffic router plugins by name, e.g. `argoproj-labs/gatewayAPI`. */
  plugins?: Record<string, unknown>;
  managedRoutes?: Array<{ name?: string }>;
}

/** Analysis templates of a background or promotion analysis. @public */
export interface RolloutAnalysisObject {
  templates?: Array<{ templateName?: string; clusterScope?: boolean }>;
  startingStep?: number;
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
    replicas?: number;
    template?: {
      spec?: { containers?: Array<{ name?: string; image?: string }> };
    };
    workloadRef?: { kind?: string; name?: string };
    strategy?: {
      canary?: {
        steps?: RolloutStepObject[];
        canaryService?: string;
        stableService?: string;
        trafficRouting?: TrafficRoutingObject;
        analysis?: RolloutAnalysisObject;
        dynamicStableScale?: boolean;
      };
      blueGreen?: {
        activeService?: string;
        previewService?: string;
        autoPromotionEnabled?: boolean;
        autoPromotionSeconds?: number;
        scaleDownDelaySeconds?: number;
        previewReplicaCount?: number;
        prePromotionAnalysis?: RolloutAnalysisObject;
        postPromotionAnalysis?: RolloutAnalysisObject;
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
        canary?: {
          weight?: number;
          podTemplateHash?: string;
          serviceName?: string;
        };
        stable?: {
          weight?: number;
          podTemplateHash?: string;
          serviceName?: string;
        };
        verified?: boolean;
      };
      currentStepAnalysisRunStatus?: { name?: string; status?: string };
      currentBackgroundAnalysisRunStatus?: { name?: string; status?: string };
      /** The Experiment of the current experiment step. */
      currentExperiment?: string;
    };
    blueGreen?: {
      activeSelector?: string;
      previewSelector?: string;
      currentStepAnalysisRunStatus?: { name?: string; status?: string };
      prePromotionAnalysisRunStatus?: { name?: string; status?: string };
      postPromotionAnalysisRunStatus?: { name?: string; status?: string };
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

/** A live Experiment object (argoproj.io/v1alpha1, as of v1.9). @public */
export interface ExperimentObject {
  metadata?: {
    name?: string;
    namespace?: string;
    labels?: Record<string, string>;
  };
  spec?: {
    duration?: string | number;
    templates?: Array<{
      name?: string;
      replicas?: number;
      template?: {
        spec?: { containers?: Array<{ name?: string; image?: string }> };
      };
    }>;
    analyses?: Array<{ name?: string; templateName?: string }>;
  };
  status?: {
    phase?: string;
    message?: string;
    availableAt?: string;
    templateStatuses?: Array<{
      name?: string;
      replicas?: number;
      readyReplicas?: number;
      availableReplicas?: number;
      status?: string;
      message?: string;
    }>;
    analysisRuns?: Array<{
      name?: string;
      analysisRun?: string;
      phase?: string;
      message?: string;
    }>;
    conditions?: Array<{ type?: string; message?: string }>;
  };
}

/** A traffic router's resource (VirtualService, Ingress, ...) read live. @public */
export interface RouterObject {
  kind: string;
  namespace: string;
  name: string;
  object: unknown;
}
