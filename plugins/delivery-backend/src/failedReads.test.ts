import { registerMswTestHooks } from '@backstage/backend-test-utils';
import type { DeliveryOverview } from '@gitops-delivery/backstage-plugin-delivery-common';
import { http, HttpResponse, passthrough } from 'msw';
import { setupServer } from 'msw/node';
import request from 'supertest';
import {
  fakeArgoCdHandlers,
  type FakeArgoCdCall,
} from '@gitops-delivery/backstage-plugin-delivery-node/testUtils';
import { type ArgoCdWorldInstance } from './__testUtils__/argocdFixtures';
import { startOverviewBackend } from './__testUtils__/startOverviewBackend';
import { createWorld, INSTANCES_CONFIG } from './__testUtils__/world';

// Failed reads are remembered (delivery.cache.failureTtl, notFoundTtl): a
// second view right after the first asks nothing that failed again, and
// still says it failed.

const TRIVY = 'http://trivy.test/reports';
const SNYK = 'http://snyk.test/rest';
const STAGING_SHA = 'b1b2c3d4e5f60718293a4b5c6d7e8f9012345678';

jest.setTimeout(30_000);

const server = setupServer(
  http.all(/^http:\/\/127\.0\.0\.1:\d+\/api\/delivery\//, () => passthrough()),
);
registerMswTestHooks(server);

let world: Record<string, ArgoCdWorldInstance>;
let calls: FakeArgoCdCall[];
let snykCalls: number;

beforeEach(() => {
  world = createWorld();
  calls = [];
  snykCalls = 0;
  server.use(
    ...fakeArgoCdHandlers(world, calls),
    http.get(`${SNYK}/orgs/:org/projects`, () => {
      snykCalls++;
      return HttpResponse.json(
        { errors: [{ detail: 'down' }] },
        { status: 500 },
      );
    }),
  );
});

async function twoViews(delivery: object = {}) {
  const app = await startOverviewBackend({
    argocd: { instances: [INSTANCES_CONFIG[0]], timeoutMs: 2000 },
    cache: { failureTtl: '1m', notFoundTtl: { hours: 1 } },
    ...delivery,
  });
  const views: DeliveryOverview[] = [];
  const snykCallsAfter: number[] = [];
  for (let i = 0; i < 2; i++) {
    const res = await request(app).get(
      '/api/delivery/v1/entities/default/component/checkout/overview',
    );
    expect(res.status).toBe(200);
    views.push(res.body);
    snykCallsAfter.push(snykCalls);
  }
  return {
    views,
    snykCallsAfter,
    /** Argo CD calls of both views whose path and query match. */
    count: (match: RegExp) =>
      calls.filter(c => match.test(`${c.path}${c.search}`)).length,
  };
}

describe('failed reads are not requested again on every view', () => {
  it('a 404 of revision metadata', async () => {
    delete world.main.metadata![STAGING_SHA];
    const { views, count } = await twoViews();
    expect(count(new RegExp(`/revisions/${STAGING_SHA}/metadata`))).toBe(1);
    for (const view of views) {
      const staging = view.environments.find(e => e.name === 'staging')!;
      expect(staging.applications[0].history[0].metadata).toBeUndefined();
      expect(view.sources).toContainEqual({
        source: 'argocd',
        instance: 'main',
        status: 'error',
        message: expect.stringContaining('HTTP 404: revision not found'),
      });
    }
  });

  it('a Pod that cannot be read for its image digest', async () => {
    // the world's Pods are in the tree but not readable (Argo CD answers 400)
    const { views, count } = await twoViews({
      trivy: { reportStoreUrl: TRIVY, timeoutMs: 500 },
    });
    const podReads = count(/\/resource\?.*kind=Pod/);
    expect(podReads).toBeGreaterThan(0);
    // every Pod read once, in the first view only
    const distinct = new Set(
      calls
        .filter(c => /kind=Pod/.test(c.search))
        .map(c => `${c.path}${c.search}`),
    );
    expect(podReads).toBe(distinct.size);
    for (const view of views) {
      expect(view.sources).toContainEqual(
        expect.objectContaining({ source: 'trivy', status: 'error' }),
      );
    }
  });

  it('a Snyk failure', async () => {
    const { views, snykCallsAfter } = await twoViews({
      snyk: {
        url: SNYK,
        token: 'snyk-token-1234',
        orgId: 'sandbox-org',
        timeoutMs: 500,
      },
    });
    // project lookups in the first view, none in the second
    expect(snykCallsAfter[0]).toBeGreaterThan(0);
    expect(snykCallsAfter[1]).toBe(snykCallsAfter[0]);
    for (const view of views) {
      expect(view.sources).toContainEqual(
        expect.objectContaining({ source: 'snyk', status: 'error' }),
      );
    }
  });
});
