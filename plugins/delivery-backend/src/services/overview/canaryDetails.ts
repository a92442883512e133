import type {
  CanaryDetails,
  MirrorRouteView,
  RolloutStep,
} from '@gitops-delivery/backstage-plugin-delivery-common';
import type { ArgoCdResourceNode } from '@gitops-delivery/backstage-plugin-delivery-node';
import { toExperimentView } from './experimentView';
import type {
  ExperimentObject,
  RolloutObject,
  RouterObject,
} from './rolloutTypes';
import { toTrafficRoutingView } from './trafficRouting';

/** What canaryDetails needs. */
export interface CanaryDetailsInput {
  rollout: RolloutObject;
  steps: ReadonlyArray<RolloutStep>;
  currentStepIndex: number | undefined;
  /** The weight the steps set so far (currentSetWeight). */
  setWeight: number;
  aborted: boolean;
  fullyPromoted: boolean;
  treeNodes: ReadonlyArray<ArgoCdResourceNode>;
  /** The live Experiment the status names as current, when it was read. */
  experiment?: ExperimentObject;
  /** The traffic routers' resources, read live. */
  routerObjects?: ReadonlyArray<RouterObject>;
}

/**
 * The setCanaryScale in effect, as argo-rollouts' `UseSetCanaryScale`
 * finds it: the newest at or before the current step, unless that one
 * matches the traffic weight again; only with traffic routing, and not
 * once the update is aborted or done.
 */
export function canaryScaleInEffect(
  steps: ReadonlyArray<RolloutStep>,
  currentStepIndex: number | undefined,
  trafficRouted: boolean,
  settled: boolean,
): CanaryDetails['canaryScale'] {
  if (!trafficRouted || settled || currentStepIndex === undefined) {
    return undefined;
  }
  if (currentStepIndex >= steps.length) return undefined;
  for (let i = currentStepIndex; i >= 0; i--) {
    const step = steps[i];
    if (step.kind !== 'setCanaryScale') continue;
    if (step.matchTrafficWeight) return undefined;
    if (step.replicas !== undefined) return { replicas: step.replicas };
    if (step.weight !== undefined) return { weight: step.weight };
    return undefined;
  }
  return undefined;
}

/**
 * The mirror routes the steps set, in step order: a setMirrorRoute with a
 * match starts mirroring once the controller has passed it; one without a
 * match, or the end of the update (promoted or aborted), stops it.
 */
export function mirrorRoutes(
  steps: ReadonlyArray<RolloutStep>,
  currentStepIndex: number | undefined,
  settled: boolean,
): MirrorRouteView[] {
  const mirrors: MirrorRouteView[] = [];
  const done = currentStepIndex ?? 0;
  steps.forEach((step, index) => {
    if (step.kind !== 'setMirrorRoute') return;
    if (step.remove) {
      const open = mirrors.find(
        m => m.name === step.name && m.untilStepIndex === undefined,
      );
      if (open) open.untilStepIndex = index;
      return;
    }
    // A second setMirrorRoute of the same name replaces the first.
    const earlier = mirrors.find(
      m => m.name === step.name && m.untilStepIndex === undefined,
    );
    if (earlier) earlier.untilStepIndex = index;
    mirrors.push({
      name: step.name,
      percentage: step.percentage ?? 100,
      stepIndex: index,
      active: false,
    });
  });
  for (const mirror of mirrors) {
    mirror.active =
      !settled &&
      mirror.stepIndex < done &&
      (mirror.untilStepIndex === undefined || mirror.untilStepIndex >= done);
  }
  return mirrors;
}

/**
 * What a canary does beyond its steps: the weight the router actually
 * routes next to the one the steps set, the routers and their resources in
 * the tree, canary scale, shadow traffic, background analysis, the current
 * Experiment and dynamic stable scale.
 */
export function toCanaryDetails(input: CanaryDetailsInput): CanaryDetails {
  const { rollout, steps, currentStepIndex } = input;
  const spec = rollout.spec?.strategy?.canary ?? {};
  const weights = rollout.status?.canary?.weights;
  const settled = input.aborted || input.fullyPromoted;
  const details: CanaryDetails = {
    setWeight: input.setWeight,
    mirrors: mirrorRoutes(steps, currentStepIndex, settled),
    dynamicStableScale: spec.dynamicStableScale === true,
  };
  if (typeof weights?.canary?.weight === 'number') {
    details.routedWeight = weights.canary.weight;
  }
  if (typeof weights?.verified === 'boolean') {
    details.weightsVerified = weights.verified;
  }
  if (spec.canaryService) details.canaryService = spec.canaryService;
  if (spec.stableService) details.stableService = spec.stableService;
  const trafficRouting = toTrafficRoutingView(spec.trafficRouting, {
    rolloutName: rollout.metadata?.name ?? '',
    rolloutNamespace: rollout.metadata?.namespace ?? '',
    canaryService: spec.canaryService,
    treeNodes: input.treeNodes,
    routerObjects: input.routerObjects,
  });
  if (trafficRouting) details.trafficRouting = trafficRouting;
  const canaryScale = canaryScaleInEffect(
    steps,
    currentStepIndex,
    Boolean(spec.trafficRouting),
    settled,
  );
  if (canaryScale) details.canaryScale = canaryScale;
  const templates = (spec.analysis?.templates ?? [])
    .map(t => t.templateName)
    .filter((n): n is string => typeof n === 'string');
  if (templates.length) {
    details.backgroundAnalysis =
      typeof spec.analysis?.startingStep === 'number'
        ? { templates, startingStep: spec.analysis.startingStep }
        : { templates };
  }
  if (typeof rollout.spec?.replicas === 'number') {
    details.replicas = rollout.spec.replicas;
  }
  if (input.experiment) {
    details.experiment = toExperimentView(input.experiment);
  }
  return details;
}
