import type {
  AnalysisRunView,
  HealthStatus,
  RolloutActionView,
  RolloutStep,
  RolloutView,
} from '@gitops-delivery/backstage-plugin-delivery-common';
import type { ArgoCdResourceNode } from '@gitops-delivery/backstage-plugin-delivery-node';
import { parseRolloutDuration } from '@gitops-delivery/backstage-plugin-delivery-node';
import { toCanaryDetails } from './canaryDetails';
import type {
  ExperimentObject,
  RolloutAnalysisObject,
  RolloutObject,
  RolloutStepObject,
  RouterObject,
} from './rolloutTypes';

/** What toRolloutView needs besides the live Rollout. @public */
export interface RolloutViewInput {
  instance: string;
  application: string;
  appNamespace?: string;
  rollout: RolloutObject;
  /** The application's resource tree nodes (ReplicaSets give the images). */
  treeNodes: ReadonlyArray<ArgoCdResourceNode>;
  analysisRuns: AnalysisRunView[];
  actions: RolloutActionView[];
  /** The Experiment the status names as current (`status.canary.currentExperiment`), read live. */
  experiment?: ExperimentObject;
  /** The traffic routers' resources, read live. */
  routerObjects?: ReadonlyArray<RouterObject>;
  /** Time the view is computed at, for the remaining pause time. */
  now: Date;
}

const HEALTH: ReadonlyArray<HealthStatus> = [
  'Healthy',
  'Progressing',
  'Degraded',
  'Suspended',
  'Missing',
  'Unknown',
];

/** Maps one canary step to the model. */
export function toRolloutStep(step: RolloutStepObject): RolloutStep {
  if (typeof step.setWeight === 'number') {
    return { kind: 'setWeight', weight: step.setWeight };
  }
  if ('pause' in step) {
    const durationSeconds = parseRolloutDuration(step.pause?.duration);
    return durationSeconds === undefined
      ? { kind: 'pause' }
      : { kind: 'pause', durationSeconds };
  }
  if (step.analysis) {
    return {
      kind: 'analysis',
      templates: (step.analysis.templates ?? [])
        .map(t => t.templateName)
        .filter((n): n is string => typeof n === 'string'),
    };
  }
  if (step.setCanaryScale) {
    return {
      kind: 'setCanaryScale',
      weight: step.setCanaryScale.weight,
      replicas: step.setCanaryScale.replicas,
      matchTrafficWeight: step.setCanaryScale.matchTrafficWeight,
    };
  }
  if (step.setMirrorRoute) {
    const match = step.setMirrorRoute.match;
    return {
      kind: 'setMirrorRoute',
      name: step.setMirrorRoute.name ?? '',
      percentage: step.setMirrorRoute.percentage,
      // the controller removes the route when the step gives no match
      remove: !Array.isArray(match) || match.length === 0,
    };
  }
  if (step.experiment) {
    return {
      kind: 'experiment',
      durationSeconds: parseRolloutDuration(step.experiment.duration),
      templates: (step.experiment.templates ?? []).map(t => ({
        name: t.name ?? '',
        specRef: t.specRef,
        replicas: t.replicas,
        weight: t.weight,
      })),
      analyses: (step.experiment.analyses ?? []).map(a => ({
        name: a.name ?? '',
        templateName: a.templateName,
        requiredForCompletion: a.requiredForCompletion,
      })),
    };
  }
  return { kind: 'other', name: Object.keys(step)[0] ?? 'unknown' };
}

/**
 * The weight the controller last set, as argo-rollouts'
 * `GetCurrentSetWeight` computes it: the newest setWeight at or before the
 * current step; 100 when every step is done; 0 when aborted.
 */
export function currentSetWeight(
  steps: ReadonlyArray<RolloutStep>,
  currentStepIndex: number | undefined,
  aborted: boolean,
): number {
  if (aborted) return 0;
  const index = currentStepIndex ?? 0;
  if (index >= steps.length) return 100;
  for (let i = index; i >= 0; i--) {
    const step = steps[i];
    if (step.kind === 'setWeight') return step.weight;
  }
  return 0;
}

/**
 * Images of a ReplicaSet from the tree. Argo CD reports images on Pod nodes
 * (from the pod spec), so the ReplicaSet's Pods are read when the
 * ReplicaSet node itself carries none.
 */
export function replicaSetImages(
  nodes: ReadonlyArray<ArgoCdResourceNode>,
  replicaSetName: string,
): string[] {
  const node = nodes.find(
    n => n.kind === 'ReplicaSet' && n.name === replicaSetName,
  );
  if (node?.images?.length) return node.images;
  const images = new Set<string>();
  for (const pod of nodes) {
    if (
      pod.kind === 'Pod' &&
      pod.parentRefs?.some(
        p => p.kind === 'ReplicaSet' && p.name === replicaSetName,
      )
    ) {
      pod.images?.forEach(i => images.add(i));
    }
  }
  return [...images];
}

/** Argo CD's health of a Rollout computed from its status (health.lua). */
export function rolloutHealth(rollout: RolloutObject): {
  status: HealthStatus;
  message?: string;
} {
  const status = rollout.status ?? {};
  const message = status.message;
  switch (status.phase) {
    case 'Paused':
      return { status: 'Suspended', message };
    case 'Healthy':
    case 'Progressing':
    case 'Degraded':
      return { status: status.phase, message };
    default:
  }
  // Objects written before v1.0 have no phase: derive it as health.lua does.
  const degraded = (status.conditions ?? []).find(
    c =>
      c.type === 'InvalidSpec' ||
      c.reason === 'RolloutAborted' ||
      c.reason === 'ProgressDeadlineExceeded',
  );
  if (degraded) return { status: 'Degraded', message: degraded.message };
  if (status.abort) return { status: 'Degraded', message: 'Rollout aborted' };
  if (rollout.spec?.paused || (status.pauseConditions ?? []).length > 0) {
    return { status: 'Suspended', message: 'Rollout is paused' };
  }
  return { status: 'Unknown' };
}

/**
 * Builds the canary or blue-green view of one Rollout: steps, current step,
 * weights, pause, pod hashes and images, abort state, analysis and actions.
 */
export function toRolloutView(input: RolloutViewInput): RolloutView {
  const { rollout, treeNodes, now } = input;
  const status = rollout.status ?? {};
  const name = rollout.metadata?.name ?? '';
  const blueGreenSpec = rollout.spec?.strategy?.blueGreen;
  const strategy = blueGreenSpec ? 'blueGreen' : 'canary';
  const steps = (rollout.spec?.strategy?.canary?.steps ?? []).map(
    toRolloutStep,
  );
  const aborted = status.abort === true;
  const stablePodHash = status.stableRS;
  const canaryPodHash = status.currentPodHash;
  const fullyPromoted =
    Boolean(stablePodHash) && stablePodHash === canaryPodHash;
  const currentStepIndex =
    strategy === 'canary'
      ? status.currentStepIndex ?? (fullyPromoted ? steps.length : undefined)
      : undefined;

  const templateImages = (rollout.spec?.template?.spec?.containers ?? [])
    .map(c => c.image)
    .filter((i): i is string => typeof i === 'string');
  // With workloadRef there is no template: the canary ReplicaSet tells.
  let canaryImages = templateImages;
  if (canaryImages.length === 0 && canaryPodHash) {
    canaryImages = replicaSetImages(treeNodes, `${name}-${canaryPodHash}`);
  }
  const stableFromTree = stablePodHash
    ? replicaSetImages(treeNodes, `${name}-${stablePodHash}`)
    : [];
  let stableImages = stableFromTree;
  if (stableImages.length === 0 && fullyPromoted) stableImages = canaryImages;

  let canaryWeight: number;
  let stableWeight: number;
  const weights = status.canary?.weights;
  const setWeight = fullyPromoted
    ? 100
    : currentSetWeight(steps, currentStepIndex, aborted);
  if (fullyPromoted || aborted) {
    canaryWeight = 0;
    stableWeight = 100;
  } else if (strategy === 'blueGreen') {
    // The preview gets no production traffic until promotion.
    canaryWeight = 0;
    stableWeight = 100;
  } else if (typeof weights?.canary?.weight === 'number') {
    // Traffic routing reports the actual weights.
    canaryWeight = weights.canary.weight;
    stableWeight = weights.stable?.weight ?? 100 - canaryWeight;
  } else {
    canaryWeight = setWeight;
    stableWeight = 100 - canaryWeight;
  }

  const pauseCondition = (status.pauseConditions ?? [])[0];
  let pause: RolloutView['pause'];
  if (pauseCondition || rollout.spec?.paused) {
    const step =
      currentStepIndex !== undefined ? steps[currentStepIndex] : undefined;
    const durationSeconds =
      pauseCondition?.reason === 'CanaryPauseStep' && step?.kind === 'pause'
        ? step.durationSeconds
        : undefined;
    const startedAt = pauseCondition?.startTime;
    let remainingSeconds: number | undefined;
    if (durationSeconds !== undefined && startedAt) {
      const elapsed = (now.getTime() - Date.parse(startedAt)) / 1000;
      if (Number.isFinite(elapsed)) {
        remainingSeconds = Math.max(0, Math.round(durationSeconds - elapsed));
      }
    }
    pause = {
      reason: pauseCondition?.reason ?? 'PausedByUser',
      startedAt,
      durationSeconds,
      remainingSeconds,
    };
  }

  const node = treeNodes.find(
    n =>
      n.kind === 'Rollout' &&
      n.name === name &&
      n.namespace === rollout.metadata?.namespace,
  );
  const treeHealth = node?.health?.status as HealthStatus | undefined;
  const health =
    treeHealth && HEALTH.includes(treeHealth)
      ? { status: treeHealth, message: node?.health?.message }
      : rolloutHealth(rollout);
  const abortCondition = (status.conditions ?? []).find(
    c => c.reason === 'RolloutAborted',
  );

  return {
    instance: input.instance,
    application: input.application,
    appNamespace: input.appNamespace,
    namespace: rollout.metadata?.namespace ?? '',
    name,
    strategy,
    phase: status.phase ?? phaseFromHealth(health.status),
    health,
    message: abortCondition?.message ?? status.message,
    steps,
    currentStepIndex,
    canaryWeight,
    stableWeight,
    pause,
    stablePodHash,
    canaryPodHash,
    stableImages,
    canaryImages,
    aborted,
    abortedAt:
      status.abortedAt ??
      (aborted ? abortCondition?.lastTransitionTime : undefined),
    fullyPromoted,
    blueGreen: strategy === 'blueGreen' ? blueGreenDetails(rollout) : undefined,
    canary:
      strategy === 'canary'
        ? toCanaryDetails({
            rollout,
            steps,
            currentStepIndex,
            setWeight,
            aborted,
            fullyPromoted,
            treeNodes,
            experiment: input.experiment,
            routerObjects: input.routerObjects,
          })
        : undefined,
    analysisRuns: input.analysisRuns,
    actions: input.actions,
  };
}

const templateNames = (analysis?: RolloutAnalysisObject): string[] =>
  (analysis?.templates ?? [])
    .map(t => t.templateName)
    .filter((n): n is string => typeof n === 'string');

/**
 * A blue-green Rollout's services and promotion settings, with the
 * controller's defaults (autoPromotionEnabled true, scaleDownDelaySeconds 30).
 */
export function blueGreenDetails(
  rollout: RolloutObject,
): NonNullable<RolloutView['blueGreen']> {
  const spec = rollout.spec?.strategy?.blueGreen ?? {};
  const status = rollout.status?.blueGreen;
  const details: NonNullable<RolloutView['blueGreen']> = {
    activeService: spec.activeService,
    previewService: spec.previewService,
    activeSelector: status?.activeSelector,
    previewSelector: status?.previewSelector,
    autoPromotionEnabled: spec.autoPromotionEnabled !== false,
    scaleDownDelaySeconds: spec.scaleDownDelaySeconds ?? 30,
    prePromotionAnalysis: templateNames(spec.prePromotionAnalysis),
    postPromotionAnalysis: templateNames(spec.postPromotionAnalysis),
  };
  if (typeof spec.autoPromotionSeconds === 'number') {
    details.autoPromotionSeconds = spec.autoPromotionSeconds;
  }
  if (typeof spec.previewReplicaCount === 'number') {
    details.previewReplicaCount = spec.previewReplicaCount;
  }
  return details;
}

function phaseFromHealth(health: HealthStatus): string | undefined {
  if (health === 'Suspended') return 'Paused';
  if (health === 'Healthy' || health === 'Progressing' || health === 'Degraded')
    return health;
  return undefined;
}

/** Names of the AnalysisRuns the Rollout status points at. */
export function analysisRunNamesInStatus(rollout: RolloutObject): string[] {
  const s = rollout.status;
  return [
    s?.canary?.currentStepAnalysisRunStatus?.name,
    s?.canary?.currentBackgroundAnalysisRunStatus?.name,
    s?.blueGreen?.currentStepAnalysisRunStatus?.name,
    s?.blueGreen?.prePromotionAnalysisRunStatus?.name,
    s?.blueGreen?.postPromotionAnalysisRunStatus?.name,
  ].filter((n): n is string => typeof n === 'string' && n.length > 0);
}
