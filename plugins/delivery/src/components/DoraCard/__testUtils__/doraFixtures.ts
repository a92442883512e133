import type {
  DoraEnvironmentFigures,
  DoraFigure,
  DoraResponse,
} from '@gitops-delivery/backstage-plugin-delivery-common';

const DAY = 86_400;
const END = Date.parse('2026-11-27T12:00:00Z') / 1000;

function series(values: Array<number | null>) {
  return values.map((value, i) => ({
    t: END - (values.length - i) * DAY,
    value,
  }));
}

function figure(overrides: Partial<DoraFigure>): DoraFigure {
  return {
    value: null,
    unit: 'hours',
    previous: null,
    series: series([null, null, null, null, null, null, null]),
    sampleSize: 0,
    ...overrides,
  };
}

/** checkout's production over 7 days: 4 deployments, one failed and restored. */
export const checkoutProduction: DoraEnvironmentFigures = {
  environment: 'production',
  figures: {
    deploymentFrequency: figure({
      value: 4 / 7,
      unit: 'per-day',
      band: 'high',
      previous: 1 / 7,
      trend: 'better',
      series: series([0, 1, 0, 2, 0, 1, 0]),
      sampleSize: 4,
    }),
    leadTimeForChanges: figure({
      value: 3,
      band: 'elite',
      previous: 2,
      trend: 'worse',
      series: series([null, 3, null, 1, null, 5, null]),
      sampleSize: 3,
    }),
    changeFailureRate: figure({
      value: 0.25,
      unit: 'ratio',
      band: 'low',
      previous: 0,
      trend: 'worse',
      series: series([null, 0, null, 0.5, null, 0, null]),
      sampleSize: 4,
    }),
    timeToRestore: figure({
      value: 4,
      band: 'high',
      series: series([null, null, null, 4, null, null, null]),
      sampleSize: 1,
    }),
  },
  deployments: [
    {
      at: '2026-11-21T12:00:00.000Z',
      revision: '2'.repeat(40),
      images: [],
      failed: false,
    },
    {
      at: '2026-11-23T12:00:00.000Z',
      revision: '3'.repeat(40),
      images: [],
      failed: true,
      restoredAt: '2026-11-23T18:00:00.000Z',
    },
    {
      at: '2026-11-23T18:00:00.000Z',
      revision: '2'.repeat(40),
      images: [],
      failed: false,
    },
    {
      at: '2026-11-25T12:00:00.000Z',
      revision: '4'.repeat(40),
      images: ['ghcr.io/acme/checkout:4'],
      failed: false,
    },
  ],
  failures: [
    {
      at: '2026-11-23T14:00:00.000Z',
      kind: 'abort',
      source: 'audit',
      restoredAt: '2026-11-23T18:00:00.000Z',
    },
  ],
};

/** A staging environment without deployments in the window. */
export const quietStaging: DoraEnvironmentFigures = {
  environment: 'staging',
  figures: {
    deploymentFrequency: figure({
      value: 0,
      unit: 'per-day',
      band: 'low',
      previous: 0,
      trend: 'same',
    }),
    leadTimeForChanges: figure({}),
    changeFailureRate: figure({ unit: 'ratio' }),
    timeToRestore: figure({}),
  },
  deployments: [],
  failures: [],
};

/** The route's answer for checkout (the figures are of a 7-day history, asked over 30 days). */
export function doraResponse(
  overrides: Partial<DoraResponse> = {},
): DoraResponse {
  return {
    entityRef: 'component:default/checkout',
    windowDays: 30,
    generatedAt: '2026-11-27T12:00:00.000Z',
    environments: [quietStaging, checkoutProduction],
    sources: [
      { source: 'argocd:main', status: 'ok' },
      { source: 'history', status: 'ok' },
    ],
    ...overrides,
  };
}
