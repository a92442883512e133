/* eslint-disable @backstage/no-relative-monorepo-imports -- the plugin's
   fixtures are not exported */
import type { Entity } from '@backstage/catalog-model';
import type { DeliveryApi } from '@gitops-delivery/backstage-plugin-delivery';
// The plugin's own fixtures of a large view (10 environments with 10-step
// canaries) and of n findings, so the benchmarks render what its tests render.
import { largeOverview } from '../../../plugins/delivery/src/__fixtures__/overview';
import {
  auditPage,
  manyFindings,
  metricsResponse,
  policyResponse,
} from '../../../plugins/delivery/src/__fixtures__/signals';
/* eslint-enable @backstage/no-relative-monorepo-imports */

/** Findings in the large view. */
export const FINDINGS = 200;

/** What the render benchmarks draw, in words. */
export const LARGE_VIEW = `10 environments with 10-step canaries, ${FINDINGS} findings`;

/** The entity of the large view. */
export const entity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'checkout',
    namespace: 'default',
    annotations: { 'argocd/app-selector': 'app=checkout' },
  },
  spec: {},
};

// Calls the tab never makes, spread in so the mock also fits the API
// before and after such a method is added to it.
const unused = {
  getChoices: async () => ({ policies: [], argocdInstances: [] }),
  getFleet: async () => {
    throw new Error('no fleet in the benchmark');
  },
  getDora: async () => {
    throw new Error('no DORA card in the benchmark');
  },
  getDrift: async () => {
    throw new Error('no drift in the benchmark');
  },
  getChanges: async () => {
    throw new Error('no promotion changes in the benchmark');
  },
  postApplicationAction: async () => {
    throw new Error('no actions in the benchmark');
  },
};

/** Answers at once from memory: the measurement is React's work, not I/O. */
export const largeViewApi: DeliveryApi = {
  ...unused,
  getAnnotations: async () => ({
    entityRef: 'component:default/checkout',
    annotations: { appSelector: 'app=checkout', instances: [], projects: [] },
    warnings: [],
  }),
  getOverview: async () => largeOverview(),
  getMetrics: async () => metricsResponse,
  getVulnerabilities: async () => manyFindings(FINDINGS),
  getPolicy: async () => policyResponse,
  postAction: async () => {
    throw new Error('no actions in the benchmark');
  },
  getAudit: async () => auditPage,
};
