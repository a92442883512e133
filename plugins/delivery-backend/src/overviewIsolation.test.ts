import { registerMswTestHooks } from '@backstage/backend-test-utils';
import type {
  DeliveryOverview,
  EnvironmentView,
} from '@gitops-delivery/backstage-plugin-delivery-common';
import { delay, http, HttpResponse, passthrough } from 'msw';
import { setupServer } from 'msw/node';
import request from 'supertest';
import { fakeArgoCdHandlers } from '@gitops-delivery/backstage-plugin-delivery-node/testUtils';
import {
  resourceKey,
  type ArgoCdWorldInstance,
} from './__testUtils__/argocdFixtures';
import { jsonFixture, yamlFixture } from './__testUtils__/fixtures';
import { startOverviewBackend } from './__testUtils__/startOverviewBackend';
import { createWorld, ENTITIES, INSTANCES_CONFIG } from './__testUtils__/world';

// One healthy and one hanging Argo CD instance: the hanging one degrades
// only its own part. The hang never ends, and each call's own timeout is
// far longer than the overview's budget, so only the per-instance budget
// can end it: no wall-clock threshold is needed to tell the cases apart.

const PROMETHEUS = 'http://prometheus.test';
const GITHUB = 'https://api.github.com';
const BUDGET_MS = 4_000;

jest.setTimeout(60_000);

const server = setupServer(
  http.all(/^http:\/\/127\.0\.0\.1:\d+\/api\/delivery\//, () => passthrough()),
);
registerMswTestHooks(server);

/** checkout, on whichever instance holds it, with CI and scans. */
const STOREFRONT = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'storefront',
    namespace: 'default',
    annotations: {
      'argocd/app-selector': 'app=checkout',
      'github.com/project-slug': 'acme/checkout',
    },
  },
  spec: { type: 'service', owner: 'team-storefront', lifecycle: 'production' },
};

const DELIVERY = {
  argocd: { instances: INSTANCES_CONFIG, timeoutMs: 120_000 },
  overviewTimeoutMs: BUDGET_MS,
  prometheus: { instances: [{ name: 'prom', url: PROMETHEUS }] },
};

let world: Record<string, ArgoCdWorldInstance>;

/** A Trivy Operator report of the canary's ReplicaSet, in checkout's tree. */
function addCanaryReport() {
  const report = yamlFixture(
    'trivy/vulnerabilityreport-replicaset-nginx-docs.yaml',
  );
  report.metadata.name = 'replicaset-checkout-8566c77b97-checkout';
  report.metadata.namespace = 'checkout';
  world.main.trees!['checkout-production'].nodes!.push({
    group: 'aquasecurity.github.io',
    version: 'v1alpha1',
    kind: 'VulnerabilityReport',
    namespace: 'checkout',
    name: report.metadata.name,
    parentRefs: [
      {
        group: 'apps',
        kind: 'ReplicaSet',
        namespace: 'checkout',
        name: 'checkout-8566c77b97',
      },
    ],
  });
  world.main.resources![
    resourceKey(
      'checkout-production',
      'VulnerabilityReport',
      'checkout',
      report.metadata.name,
    )
  ] = report;
}

function signalHandlers() {
  return [
    http.get(`${PROMETHEUS}/api/v1/query`, () =>
      HttpResponse.json(
        jsonFixture('prometheus/query-vector-error-ratio.json'),
      ),
    ),
    http.get(`${PROMETHEUS}/api/v1/query_range`, () =>
      HttpResponse.json(
        jsonFixture('prometheus/query-range-matrix-error-ratio.json'),
      ),
    ),
    http.get(`${GITHUB}/repos/acme/checkout/actions/runs`, ({ request: r }) =>
      HttpResponse.json({
        total_count: 1,
        workflow_runs: [
          {
            id: 7,
            name: 'ci',
            head_sha: new URL(r.url).searchParams.get('head_sha'),
            status: 'completed',
            conclusion: 'success',
            html_url: 'https://github.com/acme/checkout/actions/runs/7',
            created_at: '2026-11-27T09:00:00Z',
            updated_at: '2026-11-27T09:10:00Z',
          },
        ],
      }),
    ),
    http.get(`${GITHUB}/repos/acme/checkout/actions/runs/:id/jobs`, () =>
      HttpResponse.json({ jobs: [] }),
    ),
  ];
}

/** Every call to the nonprod instance (its login included) never answers. */
function hangNonprod() {
  server.use(
    http.all(/^http:\/\/argocd-nonprod\.test\//, async () => {
      await delay('infinite');
    }),
  );
}

beforeEach(() => {
  world = createWorld();
  addCanaryReport();
  server.use(...fakeArgoCdHandlers(world, []), ...signalHandlers());
});

async function overview(
  app: Awaited<ReturnType<typeof startOverviewBackend>>,
): Promise<DeliveryOverview> {
  const res = await request(app).get(
    '/api/delivery/v1/entities/default/component/storefront/overview',
  );
  expect(res.status).toBe(200);
  return res.body;
}

/** What of an environment does not depend on the time of the request. */
function partOf(environment: EnvironmentView) {
  return {
    name: environment.name,
    applications: environment.applications.map(a => ({
      name: a.name,
      instance: a.instance,
      images: a.images,
      metadata: a.history.map(h => h.metadata),
    })),
    rollouts: environment.rollouts.map(r => ({
      name: r.name,
      canaryImages: r.canaryImages,
      stableImages: r.stableImages,
      analysisRuns: r.analysisRuns.map(run => run.name),
    })),
    stages: environment.stages.map(s => [s.name, s.status]),
    summary: environment.summary,
  };
}

const statusOf = (o: DeliveryOverview) =>
  o.sources.map(s => [s.source, s.instance, s.status]);

describe('GET /entities/:ref/overview with one hanging Argo CD instance', () => {
  it('returns the healthy instance, its signals and its policy complete in each of 3 responses; the hanging part says why', async () => {
    // the same world without the hang: what "complete" means
    const baselineApp = await startOverviewBackend(DELIVERY, [
      ...ENTITIES,
      STOREFRONT,
    ]);
    const baseline = await overview(baselineApp);
    expect(baseline.sources.filter(s => s.status === 'error')).toEqual([]);
    const production = baseline.environments.find(
      e => e.name === 'production',
    )!;
    // the baseline has everything this test is about
    expect(production.rollouts.map(r => r.name)).toEqual(['checkout']);
    expect(production.applications[0].history[0].metadata?.message).toBe(
      'checkout 1.4.0\n\nbody',
    );
    expect(production.summary).toEqual({
      slo: expect.objectContaining({ status: expect.any(String) }),
      vulnerabilities: expect.objectContaining({
        counts: expect.objectContaining({ CRITICAL: expect.any(Number) }),
      }),
      ci: expect.objectContaining({ status: 'succeeded' }),
      policy: expect.objectContaining({ allowed: expect.any(Boolean) }),
    });
    expect(statusOf(baseline)).toEqual(
      expect.arrayContaining([
        ['argocd', 'main', 'ok'],
        ['argocd', 'nonprod', 'ok'],
        ['prometheus', 'prom', 'ok'],
        ['trivy-operator', undefined, 'ok'],
        ['github', undefined, 'ok'],
        ['policy', undefined, 'ok'],
      ]),
    );

    hangNonprod();
    const app = await startOverviewBackend(DELIVERY, [...ENTITIES, STOREFRONT]);
    for (let i = 0; i < 3; i++) {
      const body = await overview(app);
      expect(body.environments.map(partOf)).toEqual(
        baseline.environments.map(partOf),
      );
      // only the hanging instance is in error, and it says why
      expect(body.sources.filter(s => s.status === 'error')).toEqual([
        {
          source: 'argocd',
          instance: 'nonprod',
          status: 'error',
          message: expect.stringMatching(
            /^Argo CD instance "nonprod": listing applications: no answer within the overview's time budget/,
          ),
        },
      ]);
      expect(statusOf(body)).toEqual(
        statusOf(baseline).map(([source, instance, status]) => [
          source,
          instance,
          instance === 'nonprod' ? 'error' : status,
        ]),
      );
    }
  });

  it("keeps no policy summary from an evaluation over an environment's incomplete data, and says so", async () => {
    // the AnalysisRun of production's canary cannot be read
    server.use(
      http.get(/^http:\/\/argocd-main\.test\/.*\/resource$/, ({ request: r }) =>
        new URL(r.url).searchParams.get('resourceName') ===
        'checkout-8566c77b97-2-2'
          ? HttpResponse.json({ message: 'boom' }, { status: 500 })
          : undefined,
      ),
    );
    const app = await startOverviewBackend(DELIVERY, [...ENTITIES, STOREFRONT]);
    const body = await overview(app);
    const env = (name: string) => body.environments.find(e => e.name === name)!;
    expect(env('production').summary?.policy).toBeUndefined();
    expect(env('staging').summary?.policy).toBeDefined();
    expect(body.sources).toContainEqual({
      source: 'policy',
      status: 'error',
      message: expect.stringMatching(
        /^The policy could not be evaluated for production: its Argo CD data is incomplete \(checkout-production: .*HTTP 500/,
      ),
    });
    // the other signals of production are still there
    expect(env('production').summary?.vulnerabilities).toBeDefined();
  });
});
