import type { RolloutView } from '@gitops-delivery/backstage-plugin-delivery-common';
import { blueGreenRollout, canaryRollout } from './overview';

/*
 * Views of the canary and blue-green details as the backend's toRolloutView
 * builds them from Argo Rollouts' own examples and test data in
 * packages/test-data/fixtures/argo-rollouts/ (the backend's
 * rolloutDetails.test.ts checks the same values from those files).
 */

/** rollout-canary-istio-mirror.yaml at its pause step: Istio, canary scale 50%, a 50% mirror. */
export const istioMirrorRollout: RolloutView = canaryRollout({
  name: 'istio-host-split',
  namespace: 'demo',
  steps: [
    { kind: 'setCanaryScale', weight: 50 },
    {
      kind: 'setMirrorRoute',
      name: 'mirror-route',
      percentage: 50,
      remove: false,
    },
    { kind: 'pause' },
  ],
  currentStepIndex: 2,
  canaryWeight: 0,
  stableWeight: 100,
  pause: { reason: 'CanaryPauseStep' },
  analysisRuns: [],
  canary: {
    setWeight: 0,
    routedWeight: 0,
    canaryService: 'istio-host-split-canary',
    stableService: 'istio-host-split-stable',
    trafficRouting: {
      routers: [
        {
          provider: 'istio',
          resources: [
            {
              kind: 'VirtualService',
              name: 'istio-host-split-vsvc',
              namespace: 'demo',
              found: true,
              health: { status: 'Healthy' },
              canaryWeight: 0,
            },
          ],
        },
      ],
      managedRoutes: ['mirror-route'],
    },
    canaryScale: { weight: 50 },
    mirrors: [
      { name: 'mirror-route', percentage: 50, stepIndex: 1, active: true },
    ],
    dynamicStableScale: false,
    replicas: 4,
  },
});

/** rollout-canary-traffic-weights.yaml: SMI routes 20% while its TrafficSplit is missing from the tree. */
export const smiRollout: RolloutView = canaryRollout({
  name: 'canary-demo-weights',
  steps: [
    { kind: 'setWeight', weight: 20 },
    { kind: 'pause' },
    { kind: 'setWeight', weight: 40 },
  ],
  currentStepIndex: 0,
  canaryWeight: 20,
  stableWeight: 60,
  pause: undefined,
  phase: 'Progressing',
  analysisRuns: [],
  canary: {
    setWeight: 20,
    routedWeight: 20,
    trafficRouting: {
      routers: [
        {
          provider: 'smi',
          resources: [
            {
              kind: 'TrafficSplit',
              name: 'rollout-example-traffic-split',
              namespace: 'jesse-test',
              found: false,
            },
          ],
        },
      ],
    },
    mirrors: [],
    dynamicStableScale: true,
    replicas: 5,
  },
});

/** rollout-canary-experiment-step.yaml with experiment-running.yaml read live. */
export const experimentRollout: RolloutView = canaryRollout({
  name: 'canary-demo',
  steps: [
    {
      kind: 'experiment',
      templates: [{ name: 'canary-preview', specRef: 'canary' }],
      analyses: [{ name: 'stress-test', templateName: 'stress-test' }],
    },
  ],
  currentStepIndex: 0,
  canaryWeight: 0,
  stableWeight: 100,
  pause: undefined,
  phase: 'Progressing',
  analysisRuns: [],
  canary: {
    setWeight: 0,
    mirrors: [],
    dynamicStableScale: false,
    replicas: 5,
    backgroundAnalysis: { templates: ['random-fail'], startingStep: 1 },
    experiment: {
      name: 'canary-demo-645d5dbc4c-2-0',
      phase: 'Running',
      message: 'Experiment "canary-demo-645d5dbc4c-2-0" is running.',
      availableAt: '2019-11-07T22:38:22Z',
      templates: [
        {
          name: 'canary-preview',
          replicas: 1,
          readyReplicas: 1,
          availableReplicas: 1,
          status: 'Running',
          images: ['argoproj/rollouts-demo:blue'],
        },
      ],
      analyses: [
        {
          name: 'stress-test',
          templateName: 'stress-test',
          phase: 'Running',
          analysisRun: 'canary-demo-645d5dbc4c-2-0-stress-test',
        },
      ],
    },
  },
});

/** A blue-green rollout with pre- and post-promotion analysis and timed auto-promotion. */
export const blueGreenAnalysedRollout: RolloutView = {
  ...blueGreenRollout,
  blueGreen: {
    ...blueGreenRollout.blueGreen,
    autoPromotionEnabled: true,
    autoPromotionSeconds: 600,
    scaleDownDelaySeconds: 120,
    prePromotionAnalysis: ['smoke'],
    postPromotionAnalysis: ['success-rate'],
  },
  analysisRuns: [
    {
      name: 'inventory-9c8b7a6d5e-7-pre',
      phase: 'Successful',
      type: 'PrePromotion',
      metrics: [],
    },
  ],
};
