import { registerMswTestHooks } from '@backstage/backend-test-utils';
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

// A cold overview (live-state TTL 0, nothing cached) issues its upstream
// calls with as much concurrency as their data dependencies allow. Every
// upstream answers after the same delay; the test looks only at the order
// of the calls (which started before which was answered), never at how
// long the overview took, so a loaded machine does not make it flaky.

const PROMETHEUS = 'http://prometheus.test';
const GITHUB = 'https://api.github.com';
/**
 * Long against the work between two calls, also on a loaded machine. The
 * chain of 4 CI saw with 1 s (and most likely the one with 400 ms) was an
 * SLO query window ending during the overview: the first test places one
 * there now.
 */
const DELAY_MS = 1_000;
/** The SLO query windows' alignment (queryWindow). */
const WINDOW_MS = 15_000;

jest.setTimeout(60_000);

const server = setupServer(
  http.all(/^http:\/\/127\.0\.0\.1:\d+\/api\/delivery\//, () => passthrough()),
);
registerMswTestHooks(server);

/** checkout on instance main, with CI (GitHub Actions) and scans. */
const SHOP = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'shop',
    namespace: 'default',
    annotations: {
      'argocd/app-selector': 'app=checkout',
      'argocd/instance-name': 'main',
      'github.com/project-slug': 'acme/checkout',
    },
  },
  spec: { type: 'service', owner: 'team-storefront', lifecycle: 'production' },
};

interface Call {
  what: string;
  receivedAt: number;
  answeredAt?: number;
}

let world: Record<string, ArgoCdWorldInstance>;
let calls: Call[];
/** Extra delay of some calls, by a part of their URL. */
let slower: Array<{ match: string; ms: number }>;

const realNow = Date.now;
/** How far a test has moved the clock (Date.now) ahead. */
let clockOffset: number;
/**
 * When set, the first upstream call moves the clock so that a query window
 * ends this long after it.
 */
let windowEndsAfterMs: number | undefined;

/** Records a call, answers it after DELAY_MS (or its own delay). */
async function upstream(url: string) {
  if (windowEndsAfterMs !== undefined) {
    const phase = (realNow() + windowEndsAfterMs) % WINDOW_MS;
    clockOffset = WINDOW_MS - phase;
    windowEndsAfterMs = undefined;
  }
  const u = new URL(url);
  const call: Call = {
    what: `${u.hostname}${u.pathname}${
      u.searchParams.get('kind') ? ` ${u.searchParams.get('kind')}` : ''
    }`,
    receivedAt: Date.now(),
  };
  calls.push(call);
  const extra = slower.find(s => url.includes(s.match))?.ms ?? 0;
  await delay(DELAY_MS + extra);
  call.answeredAt = Date.now();
}

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

beforeEach(() => {
  world = createWorld();
  addCanaryReport();
  calls = [];
  slower = [];
  clockOffset = 0;
  server.use(
    ...fakeArgoCdHandlers(world, []),
    http.get(`${PROMETHEUS}/api/v1/query`, async ({ request: r }) => {
      await upstream(r.url);
      return HttpResponse.json(
        jsonFixture('prometheus/query-vector-error-ratio.json'),
      );
    }),
    http.get(`${PROMETHEUS}/api/v1/query_range`, async ({ request: r }) => {
      await upstream(r.url);
      return HttpResponse.json(
        jsonFixture('prometheus/query-range-matrix-error-ratio.json'),
      );
    }),
    http.get(
      `${GITHUB}/repos/acme/checkout/actions/runs`,
      async ({ request: r }) => {
        await upstream(r.url);
        return HttpResponse.json({
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
        });
      },
    ),
    http.get(
      `${GITHUB}/repos/acme/checkout/actions/runs/:id/jobs`,
      async ({ request: r }) => {
        await upstream(r.url);
        return HttpResponse.json({ jobs: [] });
      },
    ),
  );
  // prepended: records and delays every Argo CD call, then falls through
  server.use(
    http.all(
      /^http:\/\/argocd-(main|nonprod)\.test\//,
      async ({ request: r }) => upstream(r.url),
    ),
  );
});

afterEach(() => jest.restoreAllMocks());

/**
 * The longest chain of calls each of which started only after the one
 * before it was answered: how many round trips the overview waited for
 * one after the other.
 */
function longestChain(all: Call[]): Call[] {
  const sorted = [...all].sort((a, b) => a.receivedAt - b.receivedAt);
  const best = new Map<Call, Call[]>();
  for (const call of sorted) {
    let chain: Call[] = [];
    for (const before of sorted) {
      if (
        before.answeredAt !== undefined &&
        before.answeredAt <= call.receivedAt &&
        (best.get(before)?.length ?? 0) > chain.length
      ) {
        chain = best.get(before)!;
      }
    }
    best.set(call, [...chain, call]);
  }
  return [...best.values()].reduce((a, b) => (b.length > a.length ? b : a), []);
}

const show = (chain: Call[]) => chain.map(c => c.what);

async function coldOverview() {
  const app = await startOverviewBackend(
    {
      argocd: { instances: INSTANCES_CONFIG, timeoutMs: 30_000, watch: false },
      cache: { ttlSeconds: 0 },
      overviewTimeoutMs: 60_000,
      prometheus: { instances: [{ name: 'prom', url: PROMETHEUS }] },
    },
    [...ENTITIES, SHOP],
  );
  const res = await request(app).get(
    '/api/delivery/v1/entities/default/component/shop/overview',
  );
  expect(res.status).toBe(200);
  return res.body;
}

const find = (what: string) => {
  const call = calls.find(c => c.what.includes(what));
  if (!call) throw new Error(`no call of ${what}: ${show(calls).join(', ')}`);
  return call;
};

describe('a cold overview', () => {
  it('waits for three round trips one after the other: the list, then the tree and the Rollout, then everything they name', async () => {
    // once before, on another backend, so no module is loaded on the way
    await coldOverview();
    calls = [];
    // SLO query windows end on multiples of 15 s: one ends during the third
    // round trip, between the SLO queries the Rollout starts and the summary
    // that reads them, which must not query a second window
    windowEndsAfterMs = 2.5 * DELAY_MS;
    jest.spyOn(Date, 'now').mockImplementation(() => realNow() + clockOffset);
    const body = await coldOverview();
    const production = body.environments.find(
      (e: any) => e.name === 'production',
    );
    // the view is complete: the Rollout with its AnalysisRun, its SLOs,
    // its scans, its CI and its policy
    expect(production.rollouts[0].analysisRuns).toEqual([
      expect.objectContaining({ name: 'checkout-8566c77b97-2-2' }),
    ]);
    expect(production.summary).toEqual(
      expect.objectContaining({
        slo: expect.objectContaining({ status: expect.any(String) }),
        vulnerabilities: expect.anything(),
        ci: expect.objectContaining({ status: 'succeeded' }),
        policy: expect.anything(),
      }),
    );
    expect(body.sources.filter((s: any) => s.status === 'error')).toEqual([]);
    // Applications list → tree and Rollout → AnalysisRuns, scan reports,
    // SLO queries and CI runs, all in the third round trip
    expect(show(longestChain(calls))).toHaveLength(3);
  });

  it("reads a Rollout's AnalysisRuns and starts its SLO queries as soon as the Rollout is read, while a slow tree is still on its way", async () => {
    slower.push({ match: 'checkout-production/resource-tree', ms: 1_500 });
    await coldOverview();
    const tree = find('checkout-production/resource-tree');
    const run = find('resource AnalysisRun');
    expect(tree.answeredAt).toBeDefined();
    // named in the Rollout's status: read before the tree confirms it
    expect(run.receivedAt).toBeLessThan(tree.answeredAt!);
  });

  it("does not wait for a Rollout's actions before the reads the Rollout and its tree name", async () => {
    slower.push({ match: '/resource/actions', ms: 1_500 });
    await coldOverview();
    const actions = find('resource/actions');
    expect(actions.answeredAt).toBeDefined();
    for (const what of [
      'resource AnalysisRun',
      'resource VulnerabilityReport',
      'prometheus.test/api/v1/query',
    ]) {
      expect({
        what,
        before: find(what).receivedAt < actions.answeredAt!,
      }).toEqual({ what, before: true });
    }
  });
});
