import {
  coreServices,
  createServiceFactory,
  type BackendFeature,
  type PermissionsService,
} from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import {
  catalogServiceRef,
  type CatalogService,
} from '@backstage/plugin-catalog-node';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import type { JsonObject } from '@backstage/types';
import type { Entity } from '@backstage/catalog-model';
import type { Knex } from 'knex';
import { http, HttpResponse, passthrough, type HttpHandler } from 'msw';
import {
  fakeArgoCdHandlers,
  type FakeArgoCdCall,
} from '@gitops-delivery/backstage-plugin-delivery-node/testUtils';
import {
  ENTITIES,
  INSTANCES_CONFIG,
  createWorld,
} from '../../__testUtils__/world';
import { deliveryPlugin } from '../../plugin';

/** Test harness of the policy and actions routes: Argo CD and Prometheus over msw. */

export const PROMETHEUS_URL = 'http://prometheus.test';
export const CHECKOUT_CANARY_HASH = '8566c77b97';
export const ACTIONS_PATH =
  '/api/delivery/v1/entities/default/component/checkout/actions';

/** supertest's own calls to the test backends go through msw untouched. */
export const passthroughBackend = http.all(
  /^http:\/\/(127\.0\.0\.1|localhost|\[::1\]):\d+\//,
  () => passthrough(),
);

/** One resource action Argo CD received. */
export interface RecordedAction {
  version: 'v1' | 'v2';
  application: string;
  search: URLSearchParams;
  body: unknown;
}

/** Records Argo CD resource-action calls; `v2Status` simulates a server without v2. */
export function actionRecorder(
  options: { v2Status?: 404 | 405; delayMs?: number } = {},
) {
  const calls: RecordedAction[] = [];
  const base = `${INSTANCES_CONFIG[0].url}/api/v1/applications/:name/resource/actions`;
  const handlers: HttpHandler[] = [
    http.post(`${base}/v2`, async ({ request, params }) => {
      const url = new URL(request.url);
      calls.push({
        version: 'v2',
        application: String(params.name),
        search: url.searchParams,
        body: await request.json(),
      });
      if (options.delayMs)
        await new Promise(r => setTimeout(r, options.delayMs));
      if (options.v2Status) {
        // an Argo CD before 3.1: its router answers without the JSON error envelope
        return new HttpResponse('Not Found', { status: options.v2Status });
      }
      return HttpResponse.json({});
    }),
    http.post(base, async ({ request, params }) => {
      const url = new URL(request.url);
      calls.push({
        version: 'v1',
        application: String(params.name),
        search: url.searchParams,
        body: await request.json(),
      });
      return HttpResponse.json({});
    }),
  ];
  return { calls, handlers };
}

/** Prometheus answering every SLO query of the canary and stable. */
export function prometheusHandlers(values: {
  errorRate: number;
  latency?: number;
}): HttpHandler[] {
  const valueOf = (query: string) =>
    query.includes('code=~"5.."') ? values.errorRate : values.latency ?? 0.2;
  return [
    http.get(`${PROMETHEUS_URL}/api/v1/query`, ({ request }) => {
      const query = new URL(request.url).searchParams.get('query') ?? '';
      return HttpResponse.json({
        status: 'success',
        data: {
          resultType: 'vector',
          result: [
            { metric: {}, value: [Date.now() / 1000, String(valueOf(query))] },
          ],
        },
      });
    }),
    http.get(`${PROMETHEUS_URL}/api/v1/query_range`, ({ request }) => {
      const query = new URL(request.url).searchParams.get('query') ?? '';
      const t = Math.floor(Date.now() / 1000);
      return HttpResponse.json({
        status: 'success',
        data: {
          resultType: 'matrix',
          result: [
            {
              metric: {},
              values: [
                [t - 60, String(valueOf(query))],
                [t, String(valueOf(query))],
              ],
            },
          ],
        },
      });
    }),
  ];
}

/** The msw handlers of the world: actions first, so they win over the world's catch-all. */
export function worldHandlers(
  recorder: ReturnType<typeof actionRecorder>,
  errorRate = 0.0002,
) {
  const argocdCalls: FakeArgoCdCall[] = [];
  return {
    argocdCalls,
    handlers: [
      passthroughBackend,
      ...recorder.handlers,
      ...prometheusHandlers({ errorRate }),
      ...fakeArgoCdHandlers(createWorld(), argocdCalls),
    ],
  };
}

/** A policy the test world's checkout canary passes (no scanner in the world). */
export const PASSING_POLICY = {
  gates: [
    { kind: 'slo', slo: 'error-rate', threshold: 0.001 },
    { kind: 'soak', minutes: 10 },
    { kind: 'analysis' },
    { kind: 'upstream-environment' },
  ],
};

/** The delivery config of the world. */
export function deliveryConfig(extra: JsonObject = {}): JsonObject {
  return {
    // per-view reads; the watch has its own tests
    argocd: { instances: INSTANCES_CONFIG, timeoutMs: 2000, watch: false },
    prometheus: { instances: [{ name: 'main', url: PROMETHEUS_URL }] },
    policies: { passing: PASSING_POLICY },
    defaultPolicy: 'passing',
    ...extra,
  };
}

/** Permissions that deny the named permissions and allow the rest. */
export function permissionsDenying(...denied: string[]): PermissionsService {
  return mockServices.permissions.mock({
    authorize: async requests =>
      requests.map(r => ({
        result: denied.includes(r.permission.name)
          ? AuthorizeResult.DENY
          : AuthorizeResult.ALLOW,
      })),
    authorizeConditional: async requests =>
      requests.map(() => ({ result: AuthorizeResult.ALLOW })),
  });
}

/** Starts the plugin with the world; optionally on a given database and scheduler. */
export async function startActionsBackend(
  options: {
    delivery?: JsonObject;
    permissions?: PermissionsService;
    knex?: Knex;
    features?: BackendFeature[];
    catalogWrapper?: (catalog: CatalogService) => CatalogService;
    /** Catalog entities; default the world's. */
    entities?: Entity[];
    /** Root config besides `delivery` (e.g. `integrations`, `app`). */
    config?: JsonObject;
  } = {},
) {
  const catalog: CatalogService = catalogServiceMock({
    entities: options.entities ?? ENTITIES,
  });
  const features: BackendFeature[] = [
    deliveryPlugin,
    createServiceFactory({
      service: catalogServiceRef,
      deps: {},
      factory: () =>
        options.catalogWrapper ? options.catalogWrapper(catalog) : catalog,
    }),
    mockServices.rootConfig.factory({
      data: {
        ...options.config,
        delivery: options.delivery ?? deliveryConfig(),
      },
    }),
    mockServices.rootLogger.factory({
      level: (process.env.DELIVERY_TEST_LOG as any) ?? 'none',
    }),
    ...(options.permissions
      ? [
          createServiceFactory({
            service: coreServices.permissions,
            deps: {},
            factory: () => options.permissions!,
          }),
        ]
      : [mockServices.permissions.factory({ result: AuthorizeResult.ALLOW })]),
    ...(options.knex
      ? [mockServices.database.factory({ knex: options.knex })]
      : []),
    ...(options.features ?? []),
  ];
  return startTestBackend({ features });
}
