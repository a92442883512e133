import { registerMswTestHooks } from '@backstage/backend-test-utils';
import type {
  DeliveryOverview,
  PolicyResponse,
} from '@gitops-delivery/backstage-plugin-delivery-common';
import { delay, http, passthrough } from 'msw';
import { setupServer } from 'msw/node';
import request from 'supertest';
import {
  fakeArgoCdHandlers,
  type FakeArgoCdCall,
} from '@gitops-delivery/backstage-plugin-delivery-node/testUtils';
import { type ArgoCdWorldInstance } from './__testUtils__/argocdFixtures';
import {
  capturedLogLines,
  startOverviewBackend,
} from './__testUtils__/startOverviewBackend';
import { createWorld, SECRETS } from './__testUtils__/world';

// Fault injection for the policy summary tests, read lazily by the mocks.
const mockPolicy: { failIn?: string; contributorOff?: boolean } = {};
jest.mock('./policy/evaluatePolicy', () => {
  const actual = jest.requireActual('./policy/evaluatePolicy');
  return {
    ...actual,
    evaluateSelection: (...args: [any, any]) => {
      if (args[1].environment === mockPolicy.failIn) {
        throw new Error('the policy engine broke');
      }
      return actual.evaluateSelection(...args);
    },
  };
});
jest.mock('./policy/policyContributor', () => {
  const actual = jest.requireActual('./policy/policyContributor');
  return {
    ...actual,
    createPolicyContributor: (...args: [any, any]) => {
      const real = actual.createPolicyContributor(...args);
      return {
        source: real.source,
        contribute: (...c: [any, any]) =>
          mockPolicy.contributorOff
            ? Promise.resolve([])
            : real.contribute(...c),
      };
    },
  };
});

// supertest's own calls to the test backend go through untouched
const server = setupServer(
  http.all(/^http:\/\/127\.0\.0\.1:\d+\/api\/delivery\//, () => passthrough()),
);
registerMswTestHooks(server);

const responseBodies: string[] = [];
let calls: FakeArgoCdCall[];
let world: Record<string, ArgoCdWorldInstance>;

beforeEach(() => {
  calls = [];
  world = createWorld();
  server.use(...fakeArgoCdHandlers(world, calls));
});

async function overview(
  app: Awaited<ReturnType<typeof startOverviewBackend>>,
  name: string,
) {
  const res = await request(app).get(
    `/api/delivery/v1/entities/default/component/${name}/overview`,
  );
  responseBodies.push(res.text);
  return res;
}

// Other sources (signals, policy) add their own statuses; these tests are
// about Argo CD's.
const argocdSources = (o: DeliveryOverview) =>
  o.sources.filter(s => s.source === 'argocd');

const env = (o: DeliveryOverview, name: string) =>
  o.environments.find(e => e.name === name)!;

describe('GET /entities/:ref/overview', () => {
  it('shows a selector entity: environments in order, apps, stages and a paused canary', async () => {
    const app = await startOverviewBackend();
    const res = await overview(app, 'checkout');
    expect(res.status).toBe(200);
    const body: DeliveryOverview = res.body;
    expect(body.entityRef).toBe('component:default/checkout');
    expect(body.environments.map(e => e.name)).toEqual([
      'dev',
      'staging',
      'production',
    ]);
    expect(argocdSources(body)).toEqual([
      { source: 'argocd', instance: 'main', status: 'ok' },
    ]);
    // only the annotated instance is searched
    expect(calls.every(c => c.instance === 'main')).toBe(true);

    const dev = env(body, 'dev');
    expect(dev.applications[0]).toMatchObject({
      name: 'checkout-dev',
      instance: 'main',
      sync: { status: 'OutOfSync' },
      sourceType: 'git',
      links: [
        { url: 'http://argocd-main.test/applications/argocd/checkout-dev' },
      ],
    });
    expect(dev.applications[0].history[0].metadata?.message).toBe('dev change');
    expect(dev.stages.map(s => s.name)).toEqual([
      'commit',
      'ci',
      'image',
      'manifest',
      'reconcile',
      'staging',
      'production',
    ]);
    const devStage = (n: string) => dev.stages.find(s => s.name === n)!;
    expect(devStage('commit')).toMatchObject({
      status: 'succeeded',
      author: 'testuser <testuser@test.com>',
      links: [
        {
          url: expect.stringContaining(
            'github.com/argoproj/argocd-example-apps/commit/',
          ),
        },
      ],
    });
    expect(devStage('reconcile')).toMatchObject({
      status: 'waiting',
      message: expect.stringContaining('OutOfSync'),
    });
    expect(devStage('staging').status).toBe('waiting');

    const prod = env(body, 'production');
    expect(prod.rollouts).toHaveLength(1);
    expect(prod.rollouts[0]).toMatchObject({
      name: 'checkout',
      namespace: 'checkout',
      application: 'checkout-production',
      strategy: 'canary',
      phase: 'Paused',
      currentStepIndex: 1,
      canaryWeight: 21,
      canaryPodHash: '8566c77b97',
      stablePodHash: '77f4f8ff97',
      canaryImages: ['ghcr.io/acme/checkout:1.4.0'],
      stableImages: ['ghcr.io/acme/checkout:1.3.0'],
      health: { status: 'Suspended' },
      pause: { reason: 'CanaryPauseStep' },
      actions: expect.arrayContaining([{ name: 'resume', disabled: false }]),
    });
    // only the current revision's AnalysisRun is fetched and shown
    expect(prod.rollouts[0].analysisRuns.map(r => r.name)).toEqual([
      'checkout-8566c77b97-2-2',
    ]);
    expect(prod.rollouts[0].analysisRuns[0]).toMatchObject({
      type: 'Step',
      stepIndex: 2,
      phase: 'Successful',
    });
    expect(calls.some(c => c.search.includes('checkout-77f4f8ff97-1-2'))).toBe(
      false,
    );
    const prodStage = prod.stages.find(s => s.name === 'production')!;
    expect(prodStage).toMatchObject({
      status: 'running',
      message: expect.stringContaining('paused at step 2/8'),
    });
    // staging's image is production's canary image: staging stage done
    expect(prod.stages.find(s => s.name === 'staging')!.status).toBe(
      'succeeded',
    );
  });

  it('searches every instance when none is annotated, logging in once with username/password', async () => {
    const app = await startOverviewBackend();
    const first = await overview(app, 'inventory');
    await overview(app, 'inventory');
    expect(first.status).toBe(200);
    const body: DeliveryOverview = first.body;
    expect(argocdSources(body)).toEqual([
      { source: 'argocd', instance: 'main', status: 'ok' },
      { source: 'argocd', instance: 'nonprod', status: 'ok' },
    ]);
    expect(
      body.environments.map(e => [e.name, e.applications.map(a => a.instance)]),
    ).toEqual([
      ['dev', ['nonprod']],
      ['staging', ['nonprod']],
      ['production', ['main']],
    ]);
    const rollout = env(body, 'production').rollouts[0];
    expect(rollout).toMatchObject({
      strategy: 'blueGreen',
      pause: { reason: 'BlueGreenPause' },
      canaryImages: ['ghcr.io/acme/inventory:2.0.0'],
      stableImages: ['ghcr.io/acme/inventory:1.9.0'],
      blueGreen: { previewService: 'inventory-preview' },
    });
    const logins = calls.filter(c => c.path === '/api/v1/session');
    expect(logins).toHaveLength(1);
    expect(
      calls
        .filter(c => c.instance === 'nonprod' && c.path !== '/api/v1/session')
        .every(c => c.authorization === `Bearer ${world.nonprod.sessionToken}`),
    ).toBe(true);
  });

  it('logs in again when the session token is rejected', async () => {
    const app = await startOverviewBackend({ cache: { ttlSeconds: 0 } });
    await overview(app, 'inventory');
    // a new fake knows none of the sessions issued so far: they expired
    world.nonprod.sessionToken = 'renewed.session.token';
    server.use(...fakeArgoCdHandlers({ nonprod: world.nonprod }, calls));
    const res = await overview(app, 'inventory');
    expect(argocdSources(res.body)[1]).toEqual({
      source: 'argocd',
      instance: 'nonprod',
      status: 'ok',
    });
    expect(calls.filter(c => c.path === '/api/v1/session')).toHaveLength(2);
  });

  it('finds an app by name in a non-default namespace and always sends appNamespace', async () => {
    const app = await startOverviewBackend();
    const res = await overview(app, 'search');
    expect(res.status).toBe(200);
    const prod = env(res.body, 'production');
    expect(prod.applications[0]).toMatchObject({
      name: 'search-production',
      appNamespace: 'team-search',
      project: 'search',
      links: [
        {
          url: 'http://argocd-main.test/applications/team-search/search-production',
        },
      ],
    });
    expect(prod.rollouts[0]).toMatchObject({
      phase: 'Healthy',
      fullyPromoted: true,
      canaryImages: ['nginx:1.19'],
    });
    const perApp = calls.filter(c =>
      c.path.startsWith('/api/v1/applications/'),
    );
    expect(perApp.length).toBeGreaterThan(0);
    for (const c of perApp) {
      expect(new URLSearchParams(c.search).get('appNamespace')).toBe(
        'team-search',
      );
      expect(new URLSearchParams(c.search).get('project')).toBe('search');
    }
    const list = calls.find(c => c.path === '/api/v1/applications')!;
    expect(new URLSearchParams(list.search).get('name')).toBe(
      'search-production',
    );
  });

  it('handles a Helm application without any revision metadata call', async () => {
    const app = await startOverviewBackend();
    const res = await overview(app, 'charts');
    expect(res.status).toBe(200);
    const prod = env(res.body, 'production');
    expect(prod.applications[0].sourceType).toBe('helm');
    expect(prod.applications[0].history[0]).toMatchObject({
      id: 3,
      revision: '1.2.3',
    });
    expect(prod.applications[0].history[0].metadata).toBeUndefined();
    expect(prod.stages[0]).toMatchObject({
      name: 'commit',
      status: 'not-configured',
    });
    expect(calls.some(c => c.path.includes('/revisions/'))).toBe(false);
  });

  it('handles a multi-source (OCI chart + git values) application with sourceIndex and versionId', async () => {
    const app = await startOverviewBackend();
    const res = await overview(app, 'multi');
    expect(res.status).toBe(200);
    const appView = env(res.body, 'production').applications[0];
    expect(appView.sourceType).toBe('multi-source');
    expect(appView.history[0].metadata).toMatchObject({
      message: 'values change',
    });
    const metadataCalls = calls.filter(c => c.path.includes('/revisions/'));
    expect(metadataCalls.map(c => c.path)).toEqual([
      '/api/v1/applications/multi-production/revisions/d1b2c3d4e5f60718293a4b5c6d7e8f9012345678/metadata',
    ]);
    const history = metadataCalls.map(c => new URLSearchParams(c.search));
    expect(
      history.map(q => [q.get('sourceIndex'), q.get('versionId')]),
    ).toEqual([['1', '7']]);
  });

  it('shows an aborted canary with its failed analysis', async () => {
    const app = await startOverviewBackend();
    const res = await overview(app, 'payments');
    const prod = env(res.body, 'production');
    expect(prod.rollouts[0]).toMatchObject({
      aborted: true,
      canaryWeight: 0,
      analysisRuns: [{ phase: 'Failed', type: 'Background' }],
    });
    expect(prod.stages.find(s => s.name === 'production')).toMatchObject({
      status: 'failed',
      message: expect.stringContaining('aborted'),
    });
  });

  it('turns conflicting and unknown annotations into warnings', async () => {
    const app = await startOverviewBackend();
    const res = await overview(app, 'conflicting');
    expect(res.status).toBe(200);
    expect(res.body.warnings).toEqual(
      expect.arrayContaining([
        expect.stringContaining('Both argocd/app-name and argocd/app-selector'),
        expect.stringContaining('"elsewhere", which is not a configured'),
      ]),
    );
    expect(res.body.environments.length).toBe(3);
  });

  it('reports an entity without Argo CD annotations as not configured', async () => {
    const app = await startOverviewBackend();
    const res = await overview(app, 'docs');
    expect(res.status).toBe(200);
    expect(argocdSources(res.body)).toEqual([
      expect.objectContaining({ source: 'argocd', status: 'not-configured' }),
    ]);
    expect(calls).toHaveLength(0);
  });

  it('answers 404 for an unknown entity and 400 for a bad ref', async () => {
    const app = await startOverviewBackend();
    expect((await overview(app, 'missing')).status).toBe(404);
    expect((await overview(app, 'bad%20name')).status).toBe(400);
  });
});

describe('GET /entities/:ref/overview policy summary', () => {
  afterEach(() => {
    delete mockPolicy.failIn;
    delete mockPolicy.contributorOff;
  });

  async function policyOf(
    app: Awaited<ReturnType<typeof startOverviewBackend>>,
    environment: string,
  ): Promise<PolicyResponse> {
    const res = await request(app).get(
      `/api/delivery/v1/entities/default/component/checkout/policy?environment=${environment}`,
    );
    expect(res.status).toBe(200);
    return res.body;
  }

  it('fills every environment with the verdict of the policy route, from the data already fetched', async () => {
    const app = await startOverviewBackend();
    const res = await overview(app, 'checkout');
    expect(res.status).toBe(200);
    const body: DeliveryOverview = res.body;
    expect(body.sources).toContainEqual({ source: 'policy', status: 'ok' });
    for (const environment of body.environments) {
      const route = await policyOf(app, environment.name);
      const blocking = [
        ...new Set(
          route.evaluations.flatMap(e =>
            e.gates.filter(g => g.blocking).map(g => g.name),
          ),
        ),
      ];
      expect(environment.summary?.policy).toEqual({
        allowed: route.evaluations.every(e => e.allowed),
        failing: blocking,
        pending: route.evaluations.some(e => e.promotionPending !== false),
      });
    }
    // no scanner and no Prometheus in this world: the built-in policy's
    // vulnerability and SLO gates are unknown, so they fail closed
    expect(env(body, 'production').summary?.policy).toMatchObject({
      allowed: false,
      failing: expect.arrayContaining([
        'no-high-or-critical-cves',
        'canary-error-rate',
      ]),
    });
    expect(env(body, 'production').summary?.policy?.failing).not.toContain(
      'analysis',
    );
  });

  it("makes no Argo CD call beyond the overview's own", async () => {
    const key = (c: FakeArgoCdCall) => `${c.method} ${c.path}${c.search}`;
    mockPolicy.contributorOff = true;
    const without = await startOverviewBackend();
    const baselineRes = await overview(without, 'checkout');
    expect(env(baselineRes.body, 'production').summary?.policy).toBeUndefined();
    const baseline = calls.map(key).sort();
    mockPolicy.contributorOff = false;
    calls.length = 0;
    const app = await startOverviewBackend();
    const res = await overview(app, 'checkout');
    expect(env(res.body, 'production').summary?.policy).toBeDefined();
    expect(calls.map(key).sort()).toEqual(baseline);
  });

  it('degrades only the summary of the environment whose evaluation fails', async () => {
    mockPolicy.failIn = 'staging';
    const app = await startOverviewBackend();
    const res = await overview(app, 'checkout');
    expect(res.status).toBe(200);
    const body: DeliveryOverview = res.body;
    expect(env(body, 'staging').summary?.policy).toBeUndefined();
    expect(env(body, 'dev').summary?.policy).toBeDefined();
    expect(env(body, 'production').summary?.policy).toBeDefined();
    expect(body.sources).toContainEqual({
      source: 'policy',
      status: 'error',
      message:
        'The policy could not be evaluated for staging: the policy engine broke',
    });
    expect(argocdSources(body)).toEqual([
      { source: 'argocd', instance: 'main', status: 'ok' },
    ]);
    expect(env(body, 'production').rollouts).toHaveLength(1);
  });
});

describe('GET /entities/:ref/overview when an upstream fails', () => {
  const faults: Array<[string, ArgoCdWorldInstance['faults'], RegExp]> = [
    [
      'HTTP 500',
      [{ match: /./, fault: { kind: 'status', status: 500 } }],
      /Argo CD instance "nonprod": login failed: HTTP 500/,
    ],
    [
      'HTTP 401',
      [
        {
          match: /^POST \/api\/v1\/session/,
          fault: { kind: 'status', status: 401 },
        },
      ],
      /Argo CD instance "nonprod": login failed: HTTP 401/,
    ],
    [
      'malformed JSON',
      [
        {
          match: /^GET \/api\/v1\/applications$/,
          fault: { kind: 'malformed' },
        },
      ],
      /Argo CD instance "nonprod": GET \/api\/v1\/applications: the response is not valid JSON/,
    ],
    [
      'down',
      [{ match: /./, fault: { kind: 'network' } }],
      /Argo CD instance "nonprod": .*unreachable/,
    ],
  ];

  it.each(faults)(
    'degrades only the failing instance (%s)',
    async (_name, instanceFaults, message) => {
      world.nonprod.faults = instanceFaults;
      const app = await startOverviewBackend();
      const res = await overview(app, 'inventory');
      expect(res.status).toBe(200);
      expect(argocdSources(res.body)).toEqual([
        { source: 'argocd', instance: 'main', status: 'ok' },
        {
          source: 'argocd',
          instance: 'nonprod',
          status: 'error',
          message: expect.stringMatching(message),
        },
      ]);
      expect(env(res.body, 'production').rollouts).toHaveLength(1);
      expect(res.body.environments.map((e: any) => e.name)).toEqual([
        'production',
      ]);
    },
  );

  it('degrades one application part when its resource tree fails', async () => {
    world.main.faults = [
      {
        match: /resource-tree$/,
        fault: {
          kind: 'status',
          status: 403,
          body: '{"error":"permission denied","code":7,"message":"permission denied"}',
        },
      },
    ];
    const app = await startOverviewBackend();
    const res = await overview(app, 'checkout');
    expect(res.status).toBe(200);
    expect(res.body.environments).toHaveLength(3);
    expect(env(res.body, 'production').rollouts).toEqual([]);
    expect(argocdSources(res.body)[0]).toMatchObject({
      status: 'error',
      message: expect.stringContaining('HTTP 403: permission denied'),
    });
  });

  it('answers while an instance hangs, once the per-call timeout ends its calls', async () => {
    // The hang never ends, and Argo CD's share of the overview's budget
    // (7.5 s of 15 s) is far above the 500 ms timeout: the answer can only
    // come from the call's timeout.
    server.use(
      http.all(/^http:\/\/argocd-nonprod\.test\//, async () => {
        await delay('infinite');
      }),
    );
    const app = await startOverviewBackend({
      argocd: {
        instances: [
          {
            name: 'main',
            url: 'http://argocd-main.test',
            token: SECRETS.mainToken,
          },
          {
            name: 'nonprod',
            url: 'http://argocd-nonprod.test/argocd',
            token: 'x-nonprod-token',
          },
        ],
        timeoutMs: 500,
        // per-view reads; the watch has its own tests
        watch: false,
      },
    });
    const res = await overview(app, 'inventory');
    expect(res.status).toBe(200);
    expect(argocdSources(res.body)[1]).toEqual({
      source: 'argocd',
      instance: 'nonprod',
      status: 'error',
      message: expect.stringMatching(/nonprod.*no answer within 500 ms/),
    });
    expect(env(res.body, 'production').rollouts).toHaveLength(1);
  });

  it('keeps the whole view inside the overview budget even when each call is just under its timeout', async () => {
    // The reads never answer and their timeout (60 s) is far above the
    // budget: only the budget can end them.
    server.use(
      http.all(/^http:\/\/argocd-main\.test\/.*\/resource/, async () => {
        await delay('infinite');
      }),
    );
    const app = await startOverviewBackend({
      argocd: {
        instances: [
          {
            name: 'main',
            url: 'http://argocd-main.test',
            token: SECRETS.mainToken,
          },
        ],
        timeoutMs: 60_000,
        // per-view reads; the watch has its own tests
        watch: false,
      },
      overviewTimeoutMs: 700,
    });
    const res = await overview(app, 'checkout');
    expect(res.status).toBe(200);
    expect(argocdSources(res.body)[0]).toMatchObject({
      status: 'error',
      message: expect.stringContaining("overview's time budget"),
    });
  });
});

describe('GET /entities/:ref/overview under load', () => {
  it('makes exactly one upstream call per distinct resource for 50 concurrent requests', async () => {
    const app = await startOverviewBackend();
    const responses = await Promise.all(
      Array.from({ length: 50 }, () => overview(app, 'checkout')),
    );
    expect(responses.every(r => r.status === 200)).toBe(true);
    expect(
      responses.every(
        r =>
          JSON.stringify(r.body.environments) ===
          JSON.stringify(responses[0].body.environments),
      ),
    ).toBe(true);
    // A resource is the same whatever project param a caller sent.
    const keys = calls.map(c => {
      const q = new URLSearchParams(c.search);
      q.delete('project');
      return `${c.method} ${c.path}?${q}`;
    });
    const distinct = new Set(keys);
    // list + 3 metadata + the tree of the one app with a Rollout + rollout
    // + actions + analysis run
    expect(distinct.size).toBeGreaterThanOrEqual(8);
    expect(keys).toHaveLength(distinct.size);
  });
});

// Runs last: every response body and log line of the suite is checked.
describe('secrets', () => {
  it('never shows a configured token or password in a response or a log line', () => {
    const secrets = [
      SECRETS.mainToken,
      SECRETS.nonprodPassword,
      'x-nonprod-token',
    ];
    expect(responseBodies.length).toBeGreaterThan(20);
    expect(capturedLogLines.length).toBeGreaterThan(0);
    for (const secret of secrets) {
      for (const body of responseBodies) expect(body).not.toContain(secret);
      for (const line of capturedLogLines) expect(line).not.toContain(secret);
    }
  });
});
