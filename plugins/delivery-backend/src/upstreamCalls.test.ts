import { registerMswTestHooks } from '@backstage/backend-test-utils';
import { delay, http, HttpResponse, passthrough } from 'msw';
import { setupServer } from 'msw/node';
import request from 'supertest';
import {
  fakeArgoCdHandlers,
  type FakeArgoCdCall,
} from '@gitops-delivery/backstage-plugin-delivery-node/testUtils';
import { type ArgoCdWorldInstance } from './__testUtils__/argocdFixtures';
import { startOverviewBackend } from './__testUtils__/startOverviewBackend';
import { createWorld, ENTITIES, INSTANCES_CONFIG } from './__testUtils__/world';

// How many upstream calls the overview costs: the benchmark's targets (one
// call per resource per TTL whatever the number of viewers, nothing upstream
// for a warm cache) as assertions on what the mocked Argo CD receives.

const server = setupServer(
  http.all(/^http:\/\/127\.0\.0\.1:\d+\/api\/delivery\//, () => passthrough()),
);
registerMswTestHooks(server);

const ARGOCD_LATENCY_MS = 150;

interface TimedCall extends FakeArgoCdCall {
  receivedAt: number;
  answeredAt?: number;
}

let calls: TimedCall[];
let world: Record<string, ArgoCdWorldInstance>;
let latencyMs: number;

/** Every Argo CD request is answered after `ms` (ARGOCD_LATENCY_MS by default). */
function useLatency(ms = ARGOCD_LATENCY_MS) {
  latencyMs = ms;
}

beforeEach(() => {
  world = createWorld();
  calls = [];
  latencyMs = 0;
  // The world's handlers record a call when they handle it, i.e. after the
  // latency: that is when it is answered.
  const answered: FakeArgoCdCall[] = [];
  answered.push = (...items: FakeArgoCdCall[]) => {
    for (const item of items) {
      const open = calls.find(
        c =>
          c.answeredAt === undefined &&
          c.method === item.method &&
          c.path === item.path &&
          c.search === item.search,
      );
      if (open) open.answeredAt = Date.now();
    }
    return 0;
  };
  server.use(...fakeArgoCdHandlers(world, answered));
  // prepended: runs first, then falls through to the world's handlers
  server.use(
    http.all(
      /^http:\/\/argocd-(main|nonprod)\.test\//,
      async ({ request: r }) => {
        const url = new URL(r.url);
        calls.push({
          instance: url.hostname.startsWith('argocd-main') ? 'main' : 'nonprod',
          method: r.method,
          path: url.pathname.replace(/^\/argocd/, ''),
          search: url.search,
          receivedAt: Date.now(),
        });
        if (latencyMs > 0) await delay(latencyMs);
      },
    ),
  );
});

const overviewOf = (
  app: Awaited<ReturnType<typeof startOverviewBackend>>,
  name: string,
) =>
  request(app).get(
    `/api/delivery/v1/entities/default/component/${name}/overview`,
  );

/** A call without the `project` parameter some callers add. */
const resourceOf = (c: FakeArgoCdCall) => {
  const q = new URLSearchParams(c.search);
  q.delete('project');
  return `${c.method} ${c.path}?${q}`;
};

describe('upstream calls of the overview', () => {
  it('reads each Argo CD resource once for 20 concurrent identical cold requests (TTL 0)', async () => {
    // Long enough that all 20 requests reach the backend while the first
    // reads are still in flight, also on a loaded machine (with 150 ms, a
    // run under load 20 saw the 20th request arrive after the first tree
    // read had been answered, and read it again, as it should).
    useLatency(1_500);
    const app = await startOverviewBackend({ cache: { ttlSeconds: 0 } });
    const responses = await Promise.all(
      Array.from({ length: 20 }, () => overviewOf(app, 'checkout')),
    );
    expect(responses.every(r => r.status === 200)).toBe(true);
    expect(
      responses[0].body.environments.find((e: any) => e.name === 'production')
        .rollouts,
    ).toHaveLength(1);
    const keys = calls.map(resourceOf);
    // the production tree is read once: the scanners reuse the overview's
    expect(
      keys.filter(k => k.includes('checkout-production/resource-tree')),
    ).toHaveLength(1);
    expect(keys).toHaveLength(new Set(keys).size);
  });

  it('reads the tree and the live Deployment of an Application that manages a plain Deployment', async () => {
    const app = await startOverviewBackend({ cache: { ttlSeconds: 0 } });
    const res = await overviewOf(app, 'checkout');
    expect(res.status).toBe(200);
    const dev = calls.filter(c =>
      c.path.startsWith('/api/v1/applications/checkout-dev/'),
    );
    expect(dev.map(c => c.path).sort()).toEqual([
      '/api/v1/applications/checkout-dev/resource',
      '/api/v1/applications/checkout-dev/resource-tree',
      '/api/v1/applications/checkout-dev/revisions/a1b2c3d4e5f60718293a4b5c6d7e8f9012345678/metadata',
    ]);
    const env = res.body.environments.find((e: any) => e.name === 'dev');
    expect(env.deployments).toEqual([
      expect.objectContaining({
        name: 'guestbook-ui',
        strategy: 'rollingUpdate',
        state: 'complete',
        replicas: expect.objectContaining({ desired: 1, available: 1 }),
        newImages: ['ghcr.io/acme/checkout:1.5.0'],
      }),
    ]);
    // a Rollout's environment has no plain Deployment
    expect(
      res.body.environments.find((e: any) => e.name === 'production')
        .deployments,
    ).toBeUndefined();
  });

  it('reads no resource tree of an Application that manages no Rollout and no Deployment', async () => {
    for (const a of world.main.applications) {
      if (!a.metadata.name.endsWith('-production')) {
        a.status!.resources = a.status!.resources!.filter(
          r => r.kind !== 'Deployment',
        );
      }
    }
    const app = await startOverviewBackend({ cache: { ttlSeconds: 0 } });
    const res = await overviewOf(app, 'checkout');
    expect(res.status).toBe(200);
    const trees = calls.filter(c => c.path.endsWith('/resource-tree'));
    expect(trees.map(c => c.path)).toEqual([
      '/api/v1/applications/checkout-production/resource-tree',
    ]);
    // dev and staging are still shown, with their stages
    expect(res.body.environments.map((e: any) => e.name)).toEqual([
      'dev',
      'staging',
      'production',
    ]);
  });

  it('reads the tree of an Application that does not list what it manages', async () => {
    for (const a of world.main.applications) delete a.status!.resources;
    const app = await startOverviewBackend({ cache: { ttlSeconds: 0 } });
    const res = await overviewOf(app, 'checkout');
    expect(res.status).toBe(200);
    expect(calls.filter(c => c.path.endsWith('/resource-tree')).length).toBe(3);
    expect(
      res.body.environments.find((e: any) => e.name === 'production').rollouts,
    ).toHaveLength(1);
  });

  it('reads the Rollout an Application manages alongside its resource tree, not after it', async () => {
    useLatency();
    // the world lists the Rollout among checkout-production's resources
    const app = await startOverviewBackend({ cache: { ttlSeconds: 0 } });
    const res = await overviewOf(app, 'checkout');
    expect(res.status).toBe(200);
    const tree = calls.find(c =>
      c.path.endsWith('/checkout-production/resource-tree'),
    )!;
    const rollout = calls.find(
      c =>
        c.path.endsWith('/checkout-production/resource') &&
        c.search.includes('kind=Rollout'),
    )!;
    const actions = calls.find(c =>
      c.path.endsWith('/checkout-production/resource/actions'),
    )!;
    expect(tree.answeredAt).toBeDefined();
    expect(rollout.receivedAt).toBeLessThan(tree.answeredAt!);
    expect(actions.receivedAt).toBeLessThan(tree.answeredAt!);
    // and the view is the same as when the Rollout is found in the tree
    const production2 = res.body.environments.find(
      (e: any) => e.name === 'production',
    );
    expect(production2.rollouts[0]).toMatchObject({
      name: 'checkout',
      analysisRuns: [
        expect.objectContaining({ name: 'checkout-8566c77b97-2-2' }),
      ],
    });
  });

  it("reads a Rollout's scan reports while its AnalysisRuns are read, not after the view is built", async () => {
    useLatency();
    const main = world.main;
    const tree = main.trees!['checkout-production'];
    tree.nodes!.push({
      group: 'aquasecurity.github.io',
      version: 'v1alpha1',
      kind: 'VulnerabilityReport',
      namespace: 'checkout',
      name: 'replicaset-checkout-8566c77b97-checkout',
      uid: 'vr-canary',
      parentRefs: [
        {
          group: 'apps',
          kind: 'ReplicaSet',
          namespace: 'checkout',
          name: 'checkout-8566c77b97',
          uid: 'checkout-8566c77b97-uid',
        },
      ],
    });
    const app = await startOverviewBackend({ cache: { ttlSeconds: 0 } });
    const res = await overviewOf(app, 'checkout');
    expect(res.status).toBe(200);
    const report = calls.filter(c => c.search.includes('VulnerabilityReport'));
    const run = calls.find(c => c.search.includes('kind=AnalysisRun'))!;
    // read once (prefetched, then handed to the scanners), and started
    // before the AnalysisRun was answered
    expect(report).toHaveLength(1);
    expect(run.answeredAt).toBeDefined();
    expect(report[0].receivedAt).toBeLessThan(run.answeredAt!);
  });

  it('makes no upstream call for a warm request over 50 entities (TTL 1 h)', async () => {
    const main = world.main;
    const template = main.applications.filter(
      a => a.metadata.labels?.app === 'checkout',
    );
    const entities = [...ENTITIES];
    for (let i = 0; i < 50; i++) {
      const name = `svc-${i}`;
      entities.push({
        ...ENTITIES[0],
        metadata: {
          name,
          namespace: 'default',
          annotations: {
            'argocd/app-selector': `app=${name}`,
            'argocd/instance-name': 'main',
          },
        },
      });
      for (const t of template) {
        const appName = t.metadata.name.replace('checkout', name);
        main.applications.push({
          ...t,
          metadata: {
            ...t.metadata,
            name: appName,
            labels: { ...t.metadata.labels, app: name },
          },
        });
        const tree = main.trees?.[t.metadata.name];
        if (tree) main.trees![appName] = tree;
      }
      for (const [key, value] of Object.entries(main.resources ?? {})) {
        // the Rollout and its AnalysisRuns; dev's and staging's Deployments
        if (/^checkout-(dev|staging|production)\//.test(key)) {
          main.resources![key.replace('checkout', name)] = value;
        }
      }
      for (const [key, value] of Object.entries(main.actions ?? {})) {
        if (key.startsWith('checkout-production/')) {
          main.actions![key.replace('checkout', name)] = value;
        }
      }
    }
    const app = await startOverviewBackend(
      { cache: { ttlSeconds: 3600 } },
      entities,
    );
    const names = Array.from({ length: 50 }, (_, i) => `svc-${i}`);
    const first = await Promise.all(names.map(n => overviewOf(app, n)));
    expect(first.every(r => r.status === 200)).toBe(true);
    expect(
      first.every(
        r =>
          r.body.environments.find((e: any) => e.name === 'production')
            ?.rollouts.length === 1,
      ),
    ).toBe(true);
    // list + 3 trees + Rollout + its actions + analysis run per entity, and
    // the shared revision metadata
    expect(calls.length).toBeGreaterThanOrEqual(50 * 7);
    calls.length = 0;
    const warm = await Promise.all(names.map(n => overviewOf(app, n)));
    expect(warm.every(r => r.status === 200)).toBe(true);
    const shape = (r: { body: any }) =>
      r.body.environments.map((e: any) => [
        e.name,
        e.applications.map((a: any) => a.name),
        e.rollouts.map((x: any) => x.name),
      ]);
    expect(warm.map(shape)).toEqual(first.map(shape));
    expect(calls).toEqual([]);
  });

  it('serves the overview from the watch streams: no Application list and no tree read, however many viewers', async () => {
    const encoder = new TextEncoder();
    const instanceOf = (url: string) =>
      new URL(url).hostname.startsWith('argocd-main') ? 'main' : 'nonprod';
    const open: ReadableStreamDefaultController[] = [];
    // Argo CD's watch endpoints over the test world: every Application as
    // ADDED, then quiet (nothing changes); a tree stream sends only changes
    server.use(
      http.get(
        /^http:\/\/argocd-(main|nonprod)\.test(\/argocd)?\/api\/v1\/stream\/applications$/,
        ({ request: r }) =>
          new HttpResponse(
            new ReadableStream({
              start(c) {
                open.push(c);
                for (const application of world[instanceOf(r.url)]
                  .applications) {
                  c.enqueue(
                    encoder.encode(
                      `${JSON.stringify({
                        result: { type: 'ADDED', application },
                      })}\n`,
                    ),
                  );
                }
              },
            }),
            { headers: { 'content-type': 'application/json' } },
          ),
      ),
      http.get(
        /^http:\/\/argocd-(main|nonprod)\.test(\/argocd)?\/api\/v1\/stream\/applications\/[^/]+\/resource-tree$/,
        () =>
          new HttpResponse(
            new ReadableStream({
              start(c) {
                open.push(c);
              },
            }),
            { headers: { 'content-type': 'application/json' } },
          ),
      ),
    );
    const app = await startOverviewBackend({
      cache: { ttlSeconds: 0 },
      argocd: { instances: INSTANCES_CONFIG, timeoutMs: 2000, watch: true },
    });
    const cold = await overviewOf(app, 'checkout');
    expect(cold.status).toBe(200);
    const listOrTree = () =>
      calls.filter(
        c =>
          c.path === '/api/v1/applications' ||
          c.path.endsWith('/resource-tree'),
      );
    // the first views read as before while the streams open and sync
    for (let i = 0; i < 200; i++) {
      calls.length = 0;
      const r = await overviewOf(app, 'checkout');
      expect(r.status).toBe(200);
      if (listOrTree().length === 0) break;
      await delay(10);
    }
    expect(listOrTree()).toEqual([]);
    calls.length = 0;
    const views = await Promise.all(
      Array.from({ length: 20 }, () => overviewOf(app, 'checkout')),
    );
    expect(views.every(r => r.status === 200)).toBe(true);
    // nothing changed, so nothing is read: not the Applications, not the
    // tree, not the Rollout or its AnalysisRuns (invalidated by tree events)
    expect(calls).toEqual([]);
    const shape = (r: { body: any }) =>
      r.body.environments.map((e: any) => [
        e.name,
        e.applications.map((a: any) => [a.name, a.health]),
        e.rollouts.map((x: any) => [
          x.name,
          x.analysisRuns.map((run: any) => run.name),
        ]),
      ]);
    expect(views.map(shape)).toEqual(views.map(() => shape(cold)));
    for (const c of open) {
      try {
        c.close();
      } catch {
        // already cancelled by the client
      }
    }
  });
});
