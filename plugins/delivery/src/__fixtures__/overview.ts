import type {
  DeliveryOverview,
  EnvironmentView,
  PipelineStage,
  RolloutView,
  StageStatus,
} from '@gitops-delivery/backstage-plugin-delivery-common';
import { STAGE_NAMES } from '@gitops-delivery/backstage-plugin-delivery-common';

/** Fixed "now" of the fixtures. */
export const GENERATED_AT = '2026-11-27T12:00:00.000Z';

const SHA = '8f3c2a1d9e7b6c5a4f3e2d1c0b9a8f7e6d5c4b3a';
const STABLE_IMAGE = 'ghcr.io/acme/checkout:1.4.0';
const CANARY_IMAGE = 'ghcr.io/acme/checkout:1.5.0';

/** A pipeline stage of the demo's checkout service. */
export function stage(
  name: PipelineStage['name'],
  status: StageStatus,
  extra: Partial<PipelineStage> = {},
): PipelineStage {
  return {
    name,
    status,
    startedAt: '2026-11-27T11:40:00.000Z',
    finishedAt:
      status === 'succeeded' || status === 'failed'
        ? '2026-11-27T11:42:05.000Z'
        : undefined,
    revision: SHA,
    author: 'Dana Developer <dana@acme.test>',
    commitMessage: 'Faster checkout totals',
    links: [
      { title: `${name} in upstream`, url: `https://ci.acme.test/${name}` },
    ],
    ...extra,
  };
}

/** The checkout canary as the backend describes it, paused at the 10-minute step. */
export function canaryRollout(extra: Partial<RolloutView> = {}): RolloutView {
  return {
    instance: 'main',
    application: 'checkout-production',
    namespace: 'checkout',
    name: 'checkout',
    strategy: 'canary',
    phase: 'Paused',
    health: { status: 'Suspended', message: 'CanaryPauseStep' },
    message: 'CanaryPauseStep',
    steps: [
      { kind: 'setWeight', weight: 5 },
      { kind: 'pause', durationSeconds: 600 },
      { kind: 'analysis', templates: ['checkout-slo'] },
      { kind: 'setWeight', weight: 25 },
      { kind: 'pause' },
      { kind: 'setWeight', weight: 100 },
    ],
    currentStepIndex: 1,
    canaryWeight: 5,
    stableWeight: 95,
    pause: {
      reason: 'CanaryPauseStep',
      startedAt: '2026-11-27T11:57:00.000Z',
      durationSeconds: 600,
      remainingSeconds: 420,
    },
    stablePodHash: '6b566f47b7',
    canaryPodHash: '7d5979db69',
    stableImages: [STABLE_IMAGE],
    canaryImages: [CANARY_IMAGE],
    aborted: false,
    fullyPromoted: false,
    analysisRuns: [
      {
        name: 'checkout-7d5979db69-2',
        phase: 'Successful',
        type: 'Step',
        stepIndex: 2,
        podTemplateHash: '7d5979db69',
        metrics: [
          {
            name: 'error-rate',
            phase: 'Successful',
            successCondition: 'result[0] <= 0.001',
            query: 'sum(rate(http_requests_total{code=~"5.."}[5m]))',
            measurements: [
              { phase: 'Successful', value: '[0.0004]' },
              { phase: 'Successful', value: '[0.0006]' },
            ],
          },
        ],
      },
    ],
    actions: [
      { name: 'resume', disabled: false },
      { name: 'promote-full', disabled: false },
      { name: 'abort', disabled: false },
      { name: 'retry', disabled: true },
      { name: 'restart', disabled: false },
    ],
    ...extra,
  };
}

/** The canary moving on its own (analysis step, no pause). */
export const progressingRollout = canaryRollout({
  phase: 'Progressing',
  health: { status: 'Progressing' },
  message: 'more replicas need to be updated',
  currentStepIndex: 2,
  pause: undefined,
  actions: [
    { name: 'resume', disabled: true },
    { name: 'promote-full', disabled: false },
    { name: 'abort', disabled: false },
  ],
});

/** The canary aborted by an SLO breach. */
export const abortedRollout = canaryRollout({
  phase: 'Degraded',
  health: { status: 'Degraded', message: 'RolloutAborted' },
  message:
    'Metric "error-rate" assessed Failed due to failed (1) > failureLimit (0)',
  currentStepIndex: 2,
  canaryWeight: 0,
  stableWeight: 100,
  pause: undefined,
  aborted: true,
  abortedAt: '2026-11-27T11:58:30.000Z',
  actions: [
    { name: 'resume', disabled: true },
    { name: 'abort', disabled: true },
    { name: 'retry', disabled: false },
  ],
});

/** The canary after its last step. */
export const promotedRollout = canaryRollout({
  phase: 'Healthy',
  health: { status: 'Healthy' },
  message: undefined,
  currentStepIndex: 6,
  canaryWeight: 0,
  stableWeight: 100,
  pause: undefined,
  fullyPromoted: true,
  stablePodHash: '7d5979db69',
  stableImages: [CANARY_IMAGE],
  canaryImages: [CANARY_IMAGE],
  actions: [
    { name: 'promote-full', disabled: true },
    { name: 'abort', disabled: true },
  ],
});

/** inventory's blue-green rollout waiting for promotion. */
export const blueGreenRollout: RolloutView = canaryRollout({
  application: 'inventory-production',
  namespace: 'inventory',
  name: 'inventory',
  strategy: 'blueGreen',
  phase: 'Paused',
  health: { status: 'Suspended', message: 'BlueGreenPause' },
  message: 'BlueGreenPause',
  steps: [],
  currentStepIndex: undefined,
  canaryWeight: 0,
  stableWeight: 100,
  pause: { reason: 'BlueGreenPause', startedAt: '2026-11-27T11:50:00.000Z' },
  blueGreen: {
    activeService: 'inventory-active',
    previewService: 'inventory-preview',
    activeSelector: '5f7d8c9b6a',
    previewSelector: '9c8b7a6d5e',
  },
  stableImages: ['ghcr.io/acme/inventory:2.0.0'],
  canaryImages: ['ghcr.io/acme/inventory:2.1.0'],
  analysisRuns: [],
  actions: [
    { name: 'resume', disabled: false },
    { name: 'promote-full', disabled: false },
    { name: 'abort', disabled: false },
  ],
});

/** Stages of a row about another environment: where the row's change is there. */
type Elsewhere = Partial<
  Record<PipelineStage['name'], { environment: string; message: string }>
>;

function environment(
  name: string,
  statuses: StageStatus[],
  rollouts: RolloutView[] = [],
  elsewhere: Elsewhere = {},
): EnvironmentView {
  return {
    name,
    applications: [
      {
        instance: 'main',
        name: `checkout-${name}`,
        project: 'default',
        destination: { namespace: 'checkout' },
        sourceType: 'git',
        repoURL: 'https://github.com/acme/gitops.git',
        sync: { status: 'Synced', revision: SHA },
        health: { status: rollouts.length ? 'Suspended' : 'Healthy' },
        images: [rollouts.length ? CANARY_IMAGE : STABLE_IMAGE],
        history: [],
        links: [
          {
            title: 'Argo CD',
            url: `https://argocd.acme.test/applications/checkout-${name}`,
          },
        ],
        binding: { bound: true, by: 'label', enforced: true },
      },
    ],
    stages: STAGE_NAMES.map((n, i) => stage(n, statuses[i], elsewhere[n])),
    rollouts,
    summary: rollouts.length
      ? {
          policy: { allowed: false, failing: ['soak-time'] },
          slo: {
            status: 'ok',
            worst: { name: 'error-rate', value: 0.0006, threshold: 0.001 },
          },
        }
      : { policy: { allowed: true, failing: [] } },
  };
}

/** checkout's whole view: dev and staging done, production canary paused at step 2. */
export function checkoutOverview(
  rollout: RolloutView = canaryRollout(),
): DeliveryOverview {
  return {
    entityRef: 'component:default/checkout',
    generatedAt: GENERATED_AT,
    annotations: {
      appSelector: 'app=checkout',
      instances: ['main'],
      projects: [],
      prometheusServiceName: 'checkout',
      githubProjectSlug: 'acme/checkout',
    },
    warnings: [],
    sources: [
      { source: 'argocd', instance: 'main', status: 'ok' },
      { source: 'github', status: 'ok' },
    ],
    environments: [
      environment(
        'dev',
        [
          'succeeded',
          'succeeded',
          'succeeded',
          'succeeded',
          'succeeded',
          'succeeded',
          'running',
        ],
        [],
        {
          staging: {
            environment: 'staging',
            message: 'Runs in staging, healthy',
          },
          production: {
            environment: 'production',
            message: 'Canary in production: 5% at step 2/6, paused',
          },
        },
      ),
      environment(
        'staging',
        [
          'succeeded',
          'succeeded',
          'succeeded',
          'succeeded',
          'succeeded',
          'succeeded',
          'running',
        ],
        [],
        {
          production: {
            environment: 'production',
            message: 'Canary in production: 5% at step 2/6, paused',
          },
        },
      ),
      environment(
        'production',
        [
          'succeeded',
          'succeeded',
          'succeeded',
          'succeeded',
          'succeeded',
          'succeeded',
          'running',
        ],
        [rollout],
        {
          staging: {
            environment: 'staging',
            message: 'Runs in staging, healthy',
          },
        },
      ),
    ],
  };
}

/** An overview with every stage status once, for the ladder tests. */
export function allStatusesOverview(): DeliveryOverview {
  const overview = checkoutOverview(promotedRollout);
  overview.environments = [
    environment('dev', [
      'succeeded',
      'running',
      'failed',
      'waiting',
      'unknown',
      'not-configured',
      'not-configured',
    ]),
  ];
  return overview;
}

/** A large view: 10 environments with 10-step canaries, for the render-time test. */
export function largeOverview(): DeliveryOverview {
  const overview = checkoutOverview();
  overview.environments = Array.from({ length: 10 }, (_, i) =>
    environment(
      `env-${i}`,
      STAGE_NAMES.map(() => 'succeeded' as StageStatus),
      [
        canaryRollout({
          name: `checkout-${i}`,
          pause: undefined,
          phase: 'Healthy',
          health: { status: 'Healthy' },
          steps: Array.from({ length: 10 }, (__, s) =>
            s % 2 === 0
              ? { kind: 'setWeight' as const, weight: (s + 1) * 10 }
              : { kind: 'pause' as const, durationSeconds: 60 },
          ),
          currentStepIndex: 4,
        }),
      ],
    ),
  );
  return overview;
}
