import type {
  ApplicationView,
  EnvironmentView,
  ImageVulnerabilities,
  RolloutView,
  SecurityLayerView,
  SeverityCounts,
  SloMetricView,
} from '@gitops-delivery/backstage-plugin-delivery-common';
import { SECURITY_LAYERS } from '@gitops-delivery/backstage-plugin-delivery-common';
import type { PolicyInput } from '../PolicyInput';

/** Test data builders for policy inputs: a healthy production canary by default. */

export const NOW = new Date('2026-11-27T12:00:00Z');
export const CANARY_IMAGE = 'ghcr.io/acme/checkout:1.4.0';
export const STABLE_IMAGE = 'ghcr.io/acme/checkout:1.3.2';

/** Severity counts with the given overrides. */
export function counts(
  overrides: Partial<SeverityCounts> = {},
): SeverityCounts {
  return { CRITICAL: 0, HIGH: 0, MEDIUM: 0, LOW: 0, UNKNOWN: 0, ...overrides };
}

/** An Argo CD application view. */
export function app(overrides: Partial<ApplicationView> = {}): ApplicationView {
  return {
    instance: 'main',
    name: 'checkout-staging',
    project: 'default',
    destination: { namespace: 'checkout' },
    sourceType: 'git',
    sync: { status: 'Synced', revision: 'abc123' },
    health: { status: 'Healthy' },
    images: [CANARY_IMAGE],
    history: [],
    links: [],
    binding: { bound: true, by: 'label', enforced: true },
    ...overrides,
  };
}

/** A canary rollout paused at step 1 (after setWeight 5) for 15 minutes. */
export function rollout(overrides: Partial<RolloutView> = {}): RolloutView {
  return {
    instance: 'main',
    application: 'checkout-production',
    namespace: 'checkout',
    name: 'checkout',
    strategy: 'canary',
    phase: 'Paused',
    health: { status: 'Suspended' },
    steps: [
      { kind: 'setWeight', weight: 5 },
      { kind: 'pause', durationSeconds: 600 },
      { kind: 'analysis', templates: ['error-rate'] },
      { kind: 'setWeight', weight: 25 },
      { kind: 'pause' },
      { kind: 'setWeight', weight: 100 },
    ],
    currentStepIndex: 4,
    canaryWeight: 25,
    stableWeight: 75,
    pause: { reason: 'CanaryPauseStep', startedAt: '2026-11-27T11:45:00Z' },
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
        startedAt: '2026-11-27T11:40:00Z',
        metrics: [
          {
            name: 'error-rate',
            phase: 'Successful',
            measurements: [{ phase: 'Successful', value: '0.0002' }],
          },
        ],
      },
    ],
    actions: [{ name: 'resume', disabled: false }],
    ...overrides,
  };
}

/** An SLO measurement of canary and stable. */
export function slo(
  name: string,
  canary: number | null,
  stable: number | null = 0.0001,
  threshold = name === 'error-rate' ? 0.001 : 0.5,
): SloMetricView {
  return {
    name,
    unit: name === 'error-rate' ? 'ratio' : 'seconds',
    threshold,
    comparison: 'below',
    canary: { current: canary, series: [] },
    stable: { current: stable, series: [] },
    status: sloStatusOf(canary, threshold),
  };
}

function sloStatusOf(value: number | null, threshold: number) {
  if (value === null) return 'unknown' as const;
  return value <= threshold ? ('ok' as const) : ('breach' as const);
}

/** The scan of one image. */
export function scan(
  image: string,
  severities: Partial<SeverityCounts> = {},
  fixable: Partial<SeverityCounts> = severities,
): ImageVulnerabilities {
  return {
    image,
    counts: counts(severities),
    fixableCounts: counts(fixable),
    findings: [],
    reportFound: true,
    sources: [{ source: 'trivy', status: 'ok' }],
  };
}

/** dev, staging and production, production running the canary. */
export function environments(
  overrides: {
    staging?: Partial<ApplicationView>;
    production?: Partial<ApplicationView>;
  } = {},
): EnvironmentView[] {
  return [
    {
      name: 'dev',
      applications: [app({ name: 'checkout-dev' })],
      stages: [],
      rollouts: [],
    },
    {
      name: 'staging',
      applications: [app(overrides.staging)],
      stages: [],
      rollouts: [],
    },
    {
      name: 'production',
      applications: [
        app({
          name: 'checkout-production',
          health: { status: 'Suspended' },
          images: [STABLE_IMAGE, CANARY_IMAGE],
          ...overrides.production,
        }),
      ],
      stages: [],
      rollouts: [rollout()],
    },
  ];
}

/**
 * The five security layers as an installation with only an image scanner
 * sees them: the image layer clean, the others without a source.
 */
export function imageOnlyLayers(): SecurityLayerView[] {
  return SECURITY_LAYERS.map(layer => ({
    layer,
    state: layer === 'image' ? 'clean' : 'unknown',
    ...(layer === 'image'
      ? {}
      : { message: `No ${layer} source is configured` }),
    sources:
      layer === 'image' ? [{ source: 'trivy', status: 'ok' as const }] : [],
    counts: counts(),
    newInCanaryCounts: counts(),
    findings: [],
    newInCanary: [],
    links: [],
  }));
}

/** A policy input in which every default gate passes. */
export function input(overrides: Partial<PolicyInput> = {}): PolicyInput {
  return {
    now: NOW,
    environment: 'production',
    environments: environments(),
    rollout: rollout(),
    slos: [slo('error-rate', 0.0002), slo('latency-p99', 0.2, 0.25)],
    images: [scan(CANARY_IMAGE, { MEDIUM: 3, LOW: 7 })],
    security: imageOnlyLayers(),
    ...overrides,
  };
}
