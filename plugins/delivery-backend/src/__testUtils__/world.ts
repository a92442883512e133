import type { RolloutObject } from '../services/overview/rolloutTypes';
import {
  listManagedResources,
  mockApplication,
  mockRolloutTree,
  resourceKey,
  type ArgoCdWorldInstance,
} from './argocdFixtures';
import { serveListedDeployments } from './deploymentFixtures';
import { argocdSwagger, jsonFixture, yamlFixture } from './fixtures';

// The world's Applications name their entity back (binding for actions):
// checkout, inventory and payments by label, the others by annotation.
const ENTITY_REF_ANNOTATION = 'delivery.backstage.io/entity-ref';

/** Tokens of the simulated instances: they must never leak. */
export const SECRETS = {
  mainToken: 'main-secret-token-5f1c9a',
  nonprodPassword: 'nonprod-secret-password-77aa',
};

const SHA = {
  checkoutDev: 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678',
  checkoutStaging: 'b1b2c3d4e5f60718293a4b5c6d7e8f9012345678',
  checkoutProd: 'c1b2c3d4e5f60718293a4b5c6d7e8f9012345678',
  multiGit: 'd1b2c3d4e5f60718293a4b5c6d7e8f9012345678',
};

function jwt(expSeconds: number) {
  const enc = (o: object) =>
    Buffer.from(JSON.stringify(o)).toString('base64url');
  return `${enc({ alg: 'HS256' })}.${enc({
    sub: 'admin',
    exp: expSeconds,
  })}.sig`;
}

/** Catalog entities of the test world. */
export const ENTITIES = [
  entity('checkout', {
    'argocd/app-selector': 'app=checkout',
    'argocd/instance-name': 'main',
  }),
  entity('inventory', { 'argocd/app-selector': 'app=inventory' }),
  entity('search', {
    'argocd/app-name': 'search-production',
    'argocd/app-namespace': 'team-search',
  }),
  entity('charts', { 'argocd/app-name': 'charts-production' }),
  entity('multi', {
    'argocd/app-name': 'multi-production',
    'argocd/instance-name': 'main',
  }),
  entity('payments', {
    'argocd/app-selector': 'app=payments',
    'argocd/instance-name': 'main',
  }),
  entity('conflicting', {
    'argocd/app-name': 'search-production',
    'argocd/app-selector': 'app=checkout',
    'argocd/instance-name': 'main,elsewhere',
  }),
  entity('docs', {}),
];

function entity(name: string, annotations: Record<string, string>) {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name, namespace: 'default', annotations },
    spec: {
      type: 'service',
      owner: 'team-storefront',
      lifecycle: 'production',
    },
  };
}

/** Instance configuration matching the world. */
export const INSTANCES_CONFIG = [
  { name: 'main', url: 'http://argocd-main.test', token: SECRETS.mainToken },
  {
    name: 'nonprod',
    url: 'http://argocd-nonprod.test/argocd',
    username: 'admin',
    password: SECRETS.nonprodPassword,
  },
];

function checkoutRollout(): RolloutObject {
  const r: RolloutObject = yamlFixture(
    'argo-rollouts/rollout-canary-paused-step.yaml',
  );
  r.metadata!.name = 'checkout';
  r.metadata!.namespace = 'checkout';
  r.spec!.template!.spec!.containers![0].image = 'ghcr.io/acme/checkout:1.4.0';
  r.status!.canary = {
    currentStepAnalysisRunStatus: {
      name: 'checkout-8566c77b97-2-2',
      status: 'Running',
    },
  };
  return r;
}

function checkoutAnalysisRun() {
  const run = yamlFixture(
    'argo-rollouts/analysisrun-prometheus-successful.yaml',
  );
  run.metadata.name = 'checkout-8566c77b97-2-2';
  run.metadata.namespace = 'checkout';
  run.metadata.labels = {
    'rollout-type': 'Step',
    'step-index': '2',
    'rollouts-pod-template-hash': '8566c77b97',
  };
  return run;
}

/** A fresh simulated world: instances `main` and `nonprod`. */
export function createWorld(): Record<string, ArgoCdWorldInstance> {
  const checkout = checkoutRollout();
  const healthy: RolloutObject = yamlFixture(
    'argo-rollouts/rollout-canary-healthy.yaml',
  );
  healthy.metadata!.namespace = 'search';
  const aborted: RolloutObject = yamlFixture(
    'argo-rollouts/rollout-canary-aborted.yaml',
  );
  aborted.metadata!.namespace = 'payments';
  const abortedRun = yamlFixture(
    'argo-rollouts/analysisrun-web-failed-aborted.yaml',
  );
  abortedRun.metadata.namespace = 'payments';
  const blueGreen: RolloutObject = {
    metadata: { name: 'inventory', namespace: 'inventory' },
    spec: {
      strategy: {
        blueGreen: {
          activeService: 'inventory',
          previewService: 'inventory-preview',
        },
      },
      template: {
        spec: {
          containers: [
            { name: 'inventory', image: 'ghcr.io/acme/inventory:2.0.0' },
          ],
        },
      },
    },
    status: {
      phase: 'Paused',
      message: 'BlueGreenPause',
      currentPodHash: '6d4f8b9c7d',
      stableRS: '5c7b9f8d6e',
      pauseConditions: [
        { reason: 'BlueGreenPause', startTime: '2026-11-27T10:00:00Z' },
      ],
      blueGreen: {
        activeSelector: '5c7b9f8d6e',
        previewSelector: '6d4f8b9c7d',
      },
    },
  };
  const metadata = {
    [SHA.checkoutDev]: {
      ...jsonFixture('argocd/revision-metadata.json'),
      message: 'dev change',
    },
    [SHA.checkoutStaging]: jsonFixture('argocd/revision-metadata.json'),
    [SHA.checkoutProd]: {
      author: 'Ada <ada@example.com>',
      date: '2026-11-27T09:00:00Z',
      message: 'checkout 1.4.0\n\nbody',
    },
    [SHA.multiGit]: { author: 'Bob', message: 'values change' },
    // the revision of the recorded guestbook application
    '6bed858de32a0e876ec49dad1a2e3c5840d3fb07': jsonFixture(
      'argocd/revision-metadata.json',
    ),
  };
  const canaryActions = [
    { name: 'resume', disabled: false },
    { name: 'promote-full', disabled: false },
    { name: 'abort', disabled: false },
    { name: 'retry', disabled: true },
  ];
  const world: Record<string, ArgoCdWorldInstance> = {
    main: {
      baseUrl: 'http://argocd-main.test',
      contract: argocdSwagger(),
      tokens: [SECRETS.mainToken],
      metadata,
      applications: [
        mockApplication({
          name: 'checkout-dev',
          labels: {
            'backstage.io/kubernetes-id': 'checkout',
            app: 'checkout',
            environment: 'dev',
          },
          images: ['ghcr.io/acme/checkout:1.5.0'],
          revision: SHA.checkoutDev,
          sync: 'OutOfSync',
        }),
        mockApplication({
          name: 'checkout-staging',
          labels: {
            'backstage.io/kubernetes-id': 'checkout',
            app: 'checkout',
            environment: 'staging',
          },
          images: ['ghcr.io/acme/checkout:1.4.0'],
          revision: SHA.checkoutStaging,
        }),
        mockApplication({
          name: 'checkout-production',
          labels: {
            'backstage.io/kubernetes-id': 'checkout',
            app: 'checkout',
            environment: 'production',
          },
          images: [
            'ghcr.io/acme/checkout:1.3.0',
            'ghcr.io/acme/checkout:1.4.0',
          ],
          revision: SHA.checkoutProd,
          health: 'Suspended',
        }),
        mockApplication({
          name: 'inventory-production',
          labels: {
            'backstage.io/kubernetes-id': 'inventory',
            app: 'inventory',
          },
          images: [
            'ghcr.io/acme/inventory:1.9.0',
            'ghcr.io/acme/inventory:2.0.0',
          ],
        }),
        mockApplication({
          name: 'search-production',
          annotations: { [ENTITY_REF_ANNOTATION]: 'component:default/search' },
          namespace: 'team-search',
          project: 'search',
          images: ['nginx:1.19'],
        }),
        mockApplication({
          name: 'charts-production',
          annotations: { [ENTITY_REF_ANNOTATION]: 'component:default/charts' },
          source: {
            repoURL: 'https://charts.example.com',
            chart: 'charts',
            targetRevision: '1.2.3',
          },
          revision: '1.2.3',
          history: [
            {
              id: 3,
              revision: '1.2.3',
              deployedAt: '2026-11-26T10:00:00Z',
              source: {
                repoURL: 'https://charts.example.com',
                chart: 'charts',
              },
            },
          ],
        }),
        mockApplication({
          name: 'multi-production',
          annotations: { [ENTITY_REF_ANNOTATION]: 'component:default/multi' },
          sources: [
            {
              repoURL: 'oci://registry.example.com/charts',
              chart: 'multi',
              targetRevision: '2.0.0',
            },
            {
              repoURL: 'https://github.com/acme/values',
              targetRevision: 'main',
              path: 'multi',
            },
          ],
          revisions: ['2.0.0', SHA.multiGit],
          history: [
            {
              id: 7,
              revisions: ['2.0.0', SHA.multiGit],
              deployedAt: '2026-11-26T10:00:00Z',
            },
          ],
        }),
        mockApplication({
          name: 'payments-production',
          labels: { 'backstage.io/kubernetes-id': 'payments', app: 'payments' },
          images: ['argoproj/rollouts-demo:yellow'],
          health: 'Degraded',
        }),
      ],
      trees: {
        'checkout-production': mockRolloutTree(checkout, {
          replicaSets: {
            '77f4f8ff97': ['ghcr.io/acme/checkout:1.3.0'],
            '8566c77b97': ['ghcr.io/acme/checkout:1.4.0'],
          },
          analysisRuns: ['checkout-8566c77b97-2-2', 'checkout-77f4f8ff97-1-2'],
          health: { status: 'Suspended', message: 'CanaryPauseStep' },
        }),
        'inventory-production': mockRolloutTree(blueGreen, {
          replicaSets: { '5c7b9f8d6e': ['ghcr.io/acme/inventory:1.9.0'] },
        }),
        'search-production': mockRolloutTree(healthy, {
          replicaSets: { '75bbd56864': ['nginx:1.19'] },
        }),
        'payments-production': mockRolloutTree(aborted, {
          analysisRuns: ['rollout-background-analysis-db976bc44-2'],
        }),
      },
      resources: {
        [resourceKey('checkout-production', 'Rollout', 'checkout', 'checkout')]:
          checkout,
        [resourceKey(
          'checkout-production',
          'AnalysisRun',
          'checkout',
          'checkout-8566c77b97-2-2',
        )]: checkoutAnalysisRun(),
        [resourceKey(
          'inventory-production',
          'Rollout',
          'inventory',
          'inventory',
        )]: blueGreen,
        [resourceKey(
          'search-production',
          'Rollout',
          'search',
          'rollout-ref-deployment',
        )]: healthy,
        [resourceKey(
          'payments-production',
          'Rollout',
          'payments',
          'rollout-background-analysis',
        )]: aborted,
        [resourceKey(
          'payments-production',
          'AnalysisRun',
          'payments',
          'rollout-background-analysis-db976bc44-2',
        )]: abortedRun,
      },
      actions: {
        [resourceKey('checkout-production', 'Rollout', 'checkout', 'checkout')]:
          canaryActions,
        [resourceKey(
          'inventory-production',
          'Rollout',
          'inventory',
          'inventory',
        )]: canaryActions,
      },
    },
    nonprod: {
      baseUrl: 'http://argocd-nonprod.test/argocd',
      contract: argocdSwagger(),
      metadata,
      users: { admin: SECRETS.nonprodPassword },
      sessionToken: jwt(Math.floor(Date.now() / 1000) + 3600),
      applications: [
        mockApplication({
          name: 'inventory-dev',
          labels: {
            'backstage.io/kubernetes-id': 'inventory',
            app: 'inventory',
          },
          images: ['ghcr.io/acme/inventory:2.1.0'],
        }),
        mockApplication({
          name: 'inventory-staging',
          labels: {
            'backstage.io/kubernetes-id': 'inventory',
            app: 'inventory',
          },
          images: ['ghcr.io/acme/inventory:2.0.0'],
        }),
      ],
    },
  };
  serveListedDeployments(world);
  listManagedResources(world);
  return world;
}
