import { registerMswTestHooks } from '@backstage/backend-test-utils';
import type {
  FleetResponse,
  FleetRow,
} from '@gitops-delivery/backstage-plugin-delivery-common';
import { http, HttpResponse, passthrough } from 'msw';
import { setupServer } from 'msw/node';
import request from 'supertest';
import {
  fakeArgoCdHandlers,
  type FakeArgoCdCall,
} from '@gitops-delivery/backstage-plugin-delivery-node/testUtils';
import { type ArgoCdWorldInstance } from '../__testUtils__/argocdFixtures';
import { startOverviewBackend } from '../__testUtils__/startOverviewBackend';
import { specViolations } from '../__testUtils__/specViolations';
import { createWorld, ENTITIES } from '../__testUtils__/world';

// The fleet route against the simulated Argo CD instances of the overview
// tests: what it shows, its filters, its input checks, a failing instance,
// and the upstream calls it costs (one Application list per instance).

const server = setupServer(
  http.all(/^http:\/\/127\.0\.0\.1:\d+\/api\/delivery\//, () => passthrough()),
);
registerMswTestHooks(server);

let calls: FakeArgoCdCall[];
let world: Record<string, ArgoCdWorldInstance>;

beforeEach(() => {
  world = createWorld();
  calls = [];
  server.use(...fakeArgoCdHandlers(world, calls));
});

// the world's components, placed in systems and lifecycles for the filters
const entities = ENTITIES.map(e => ({
  ...e,
  spec: {
    ...e.spec,
    system: ['checkout', 'payments'].includes(e.metadata.name)
      ? 'shop'
      : 'platform',
    lifecycle: e.metadata.name === 'search' ? 'experimental' : 'production',
    owner:
      e.metadata.name === 'charts'
        ? 'group:default/team-charts'
        : 'team-storefront',
  },
}));

const fleet = async (query = '', options: { cold?: boolean } = {}) => {
  const app = await startOverviewBackend(
    options.cold === false ? {} : { cache: { ttlSeconds: 0 } },
    entities,
  );
  return { app, res: await request(app).get(`/api/delivery/v1/fleet${query}`) };
};

const rowOf = (body: FleetResponse, name: string): FleetRow =>
  body.rows.find(r => r.name === name)!;
const cellOf = (row: FleetRow, environment: string) =>
  row.cells.find(c => c.environment === environment)!;
const listCalls = () =>
  calls.filter(c => c.method === 'GET' && c.path === '/api/v1/applications');

describe('GET /v1/fleet', () => {
  it('shows a row per delivery-annotated component and a cell per environment, as the spec says', async () => {
    const { res } = await fleet();
    expect(res.status).toBe(200);
    expect(specViolations('FleetResponse', res.body)).toEqual([]);
    const body = res.body as FleetResponse;
    // docs has no delivery annotation
    expect(body.rows.map(r => r.name)).toEqual([
      'charts',
      'checkout',
      'conflicting',
      'inventory',
      'multi',
      'payments',
      'search',
    ]);
    expect(body.total).toBe(7);
    expect(body.environments.slice(0, 3)).toEqual([
      'dev',
      'staging',
      'production',
    ]);
    const checkout = rowOf(body, 'checkout');
    expect(checkout).toMatchObject({
      entityRef: 'component:default/checkout',
      owner: 'group:default/team-storefront',
      system: 'system:default/shop',
      lifecycle: 'production',
    });
    expect(cellOf(checkout, 'dev')).toMatchObject({
      applications: ['main/checkout-dev'],
      version: { image: 'ghcr.io/acme/checkout:1.5.0', tag: '1.5.0' },
      sync: 'OutOfSync',
      drifted: true,
    });
    expect(cellOf(checkout, 'production')).toMatchObject({
      health: 'Suspended',
      drifted: false,
      canary: {
        rollout: 'checkout',
        aborted: false,
        image: 'ghcr.io/acme/checkout:1.4.0',
      },
    });
    const canary = cellOf(checkout, 'production').canary!;
    expect(canary.step).toBeGreaterThan(0);
    expect(canary.step).toBeLessThanOrEqual(canary.steps!);
    expect(canary.canaryWeight).toBeGreaterThan(0);
    expect(checkout.states).toEqual(
      expect.arrayContaining(['canary', 'drifted']),
    );
    expect(rowOf(body, 'payments').states).toContain('aborted');
    expect(cellOf(rowOf(body, 'payments'), 'production').canary).toMatchObject({
      aborted: true,
      phase: 'Aborted',
    });
    expect(body.sources).toEqual([
      { source: 'argocd', instance: 'main', status: 'ok' },
      { source: 'argocd', instance: 'nonprod', status: 'ok' },
    ]);
  });

  it('lists each Argo CD instance once for the whole page, never per entity, and reads only unsettled Rollouts', async () => {
    const { res } = await fleet();
    expect(res.status).toBe(200);
    const lists = listCalls();
    expect(lists.map(c => `${c.instance}${c.search}`).sort()).toEqual([
      'main',
      'nonprod',
    ]);
    // besides the lists: the Rollouts of cells that show a canary, the
    // trees of their Applications (the scan targets of the canary's
    // signals, where its AnalysisRuns are found) and those runs; no
    // revision metadata, no Application read per entity
    const others = calls.filter(
      c => !listCalls().includes(c) && c.path !== '/api/v1/session',
    );
    const resources = others.filter(c => c.path.endsWith('/resource'));
    const rollouts = resources.filter(c => c.search.includes('kind=Rollout'));
    const runs = resources.filter(c => c.search.includes('kind=AnalysisRun'));
    expect(rollouts.length + runs.length).toBe(resources.length);
    const trees = others.filter(c => c.path.endsWith('/resource-tree'));
    expect(resources.length + trees.length).toBe(others.length);
    // a tree only of an Application whose Rollout was read
    const withRollout = new Set(
      rollouts.map(c => c.path.replace(/\/resource$/, '')),
    );
    for (const tree of trees) {
      expect(withRollout).toContain(tree.path.replace(/\/resource-tree$/, ''));
    }
    // AnalysisRuns only of the Rollouts in progress that run analyses: the
    // aborted canary of payments (a background analysis); none of a settled
    // cell (search's healthy canary) or of a Rollout without analyses
    // (inventory's blue-green)
    expect(
      [...new Set(runs.map(c => c.path.replace(/\/resource$/, '')))].map(p =>
        p.split('/').pop(),
      ),
    ).toEqual(['payments-production']);
  });

  it("keeps a caller's answer for the live-state TTL", async () => {
    const { app, res } = await fleet('?state=canary', { cold: false });
    const again = await request(app).get('/api/delivery/v1/fleet?state=canary');
    expect(again.body.generatedAt).toBe(res.body.generatedAt);
    const other = await request(app).get('/api/delivery/v1/fleet');
    expect(other.body.rows.length).toBeGreaterThan(res.body.rows.length);
  });

  it('serves a warm answer as it was serialized, gzipped for a client that accepts it', async () => {
    const { app, res } = await fleet('', { cold: false });
    expect(res.status).toBe(200);
    const gzipped = await request(app)
      .get('/api/delivery/v1/fleet')
      .set('accept-encoding', 'gzip');
    expect(gzipped.headers['content-encoding']).toBe('gzip');
    expect(gzipped.headers['content-type']).toMatch(/^application\/json/);
    expect(gzipped.body).toEqual(res.body);
    const plain = await request(app)
      .get('/api/delivery/v1/fleet')
      .set('accept-encoding', 'identity');
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body).toEqual(res.body);
  });

  it('costs no upstream call on a warm cache', async () => {
    const { app, res } = await fleet('', { cold: false });
    expect(res.status).toBe(200);
    const before = calls.length;
    const again = await request(app).get('/api/delivery/v1/fleet?state=canary');
    expect(again.status).toBe(200);
    expect(calls.length).toBe(before);
  });

  it.each([
    ['?owner=team-charts', ['charts']],
    ['?owner=group:default/team-charts,nobody', ['charts']],
    ['?system=shop', ['checkout', 'payments']],
    ['?system=system:default/shop&lifecycle=experimental', []],
    ['?lifecycle=experimental', ['search']],
    // conflicting's selector finds checkout's Applications too
    ['?state=canary', ['checkout', 'conflicting']],
    ['?state=aborted', ['payments']],
    ['?state=canary,aborted&system=shop', ['checkout', 'payments']],
  ])('filters %s', async (query, names) => {
    const { res } = await fleet(query);
    expect(res.status).toBe(200);
    expect((res.body as FleetResponse).rows.map(r => r.name)).toEqual(names);
  });

  it.each([
    ['?state=bogus', 'Invalid state: "bogus" is not one of canary, blocked'],
    ['?owner=team%20a', 'owner'],
    ['?owner=group:', 'Invalid owner: "group:" is not an entity ref'],
    ['?lifecycle=,', 'lifecycle'],
    [
      `?owner=${Array.from({ length: 21 }, (_, i) => `t${i}`).join(',')}`,
      'Invalid owner: at most 20 values, got 21',
    ],
  ])('answers 400 for %s, naming the parameter', async (query, message) => {
    const { res } = await fleet(query);
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain(message);
  });

  it('degrades the cells of a failing instance, not the page', async () => {
    server.use(
      http.get('http://argocd-nonprod.test/argocd/api/v1/applications', () =>
        HttpResponse.json({ error: 'boom', code: 13 }, { status: 500 }),
      ),
    );
    const { res } = await fleet();
    expect(res.status).toBe(200);
    const body = res.body as FleetResponse;
    expect(body.sources).toContainEqual(
      expect.objectContaining({
        source: 'argocd',
        instance: 'nonprod',
        status: 'error',
      }),
    );
    // checkout searches main only: complete
    expect(rowOf(body, 'checkout').cells.every(c => !c.error)).toBe(true);
    // inventory searches both: its cells say nonprod could not be read
    const inventory = rowOf(body, 'inventory');
    expect(inventory.cells.length).toBeGreaterThan(0);
    expect(inventory.cells.every(c => /nonprod/.test(c.error ?? ''))).toBe(
      true,
    );
  });

  it("computes each cell's signals with the overview's own contributors, the same verdict as the tab's", async () => {
    // TTL 0: neither the page's answer nor the signals are kept
    const app = await startOverviewBackend(
      { cache: { ttlSeconds: 0 } },
      entities,
    );
    // no entity tab was opened before: the page computes its signals itself
    const page = await request(app).get('/api/delivery/v1/fleet');
    expect(page.status).toBe(200);
    expect(specViolations('FleetResponse', page.body)).toEqual([]);
    const cell = cellOf(rowOf(page.body, 'checkout'), 'production');
    expect(cell.signalsStatus).toBe('ready');
    expect(cell.signalsAt).toEqual(expect.any(String));
    const overview = await request(app).get(
      '/api/delivery/v1/entities/default/component/checkout/overview',
    );
    expect(overview.status).toBe(200);
    const production = overview.body.environments.find(
      (e: any) => e.name === 'production',
    );
    expect(cell.policy).toEqual({
      allowed: production.summary.policy.allowed,
      failing: production.summary.policy.failing,
      ...(production.summary.policy.pending !== undefined
        ? { pending: production.summary.policy.pending }
        : {}),
    });
    // payments' aborted canary runs a background analysis: its cell has the
    // tab's verdict, with the blocking gates, read over the same AnalysisRuns
    const paymentsCell = cellOf(rowOf(page.body, 'payments'), 'production');
    const paymentsTab = await request(app).get(
      '/api/delivery/v1/entities/default/component/payments/overview',
    );
    const paymentsPolicy = paymentsTab.body.environments.find(
      (e: any) => e.name === 'production',
    ).summary.policy;
    expect(paymentsPolicy.failing.length).toBeGreaterThan(0);
    expect(paymentsCell.signalsMessage).toBeUndefined();
    expect(paymentsCell.policy).toEqual({
      allowed: paymentsPolicy.allowed,
      failing: paymentsPolicy.failing,
      ...(paymentsPolicy.pending !== undefined
        ? { pending: paymentsPolicy.pending }
        : {}),
    });
    // every cell with Applications has its signals' status
    const cells = (page.body as FleetResponse).rows.flatMap(r => r.cells);
    for (const c of cells.filter(x => x.applications.length > 0)) {
      expect(c.signalsStatus).toBe('ready');
    }
  });
});
