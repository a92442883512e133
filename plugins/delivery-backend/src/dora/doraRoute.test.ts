import {
  mockCredentials,
  registerMswTestHooks,
} from '@backstage/backend-test-utils';
import type { DoraResponse } from '@gitops-delivery/backstage-plugin-delivery-common';
import { http, passthrough } from 'msw';
import { setupServer } from 'msw/node';
import request from 'supertest';
import { fakeArgoCdHandlers } from '@gitops-delivery/backstage-plugin-delivery-node/testUtils';
import { type ArgoCdWorldInstance } from '../__testUtils__/argocdFixtures';
import { specViolations } from '../__testUtils__/specViolations';
import { createWorld } from '../__testUtils__/world';
import { createAuditStore } from '../audit/AuditStore';
import { startDoraBackend } from './__testUtils__/startDoraBackend';
import { spec as openapi } from '../schema/openapi/generated';

const doraSchema =
  openapi.paths['/v1/entities/{namespace}/{kind}/{name}/dora']?.get?.responses[
    '200'
  ].content['application/json'].schema;

const server = setupServer(
  http.all(/^http:\/\/127\.0\.0\.1:\d+\/api\/delivery\//, () => passthrough()),
);
registerMswTestHooks(server);

const iso = (ms: number) => new Date(ms).toISOString();
const DAY = 86_400_000;
const HOUR = 3_600_000;
const sha = (n: number) => String(n).repeat(40).slice(0, 40);
const R = { r1: sha(1), r2: sha(2), r3: sha(3), r4: sha(4) };

/**
 * checkout's production history, by hand (newest first, as Argo CD lists it):
 * r1 10 days ago (the previous 7-day window), r2 6 days ago, r3 4 days ago,
 * an audited abort of r3 2 h later, a rollback to r2 6 h after r3 (started
 * 5 h after), r4 2 days ago and a re-sync of r4 a day ago.
 */
function checkoutHistory(now: number) {
  return [
    { id: 6, revision: R.r4, deployedAt: iso(now - DAY) },
    { id: 5, revision: R.r4, deployedAt: iso(now - 2 * DAY) },
    {
      id: 4,
      revision: R.r2,
      deployStartedAt: iso(now - 4 * DAY + 5 * HOUR),
      deployedAt: iso(now - 4 * DAY + 6 * HOUR),
    },
    { id: 3, revision: R.r3, deployedAt: iso(now - 4 * DAY) },
    { id: 2, revision: R.r2, deployedAt: iso(now - 6 * DAY) },
    { id: 1, revision: R.r1, deployedAt: iso(now - 10 * DAY) },
  ];
}
function worldAt(now: number): Record<string, ArgoCdWorldInstance> {
  const world = createWorld();
  const prod = world.main.applications.find(
    a => a.metadata.name === 'checkout-production',
  )!;
  prod.status!.sync!.revision = R.r4;
  prod.status!.history = checkoutHistory(now);
  world.main.metadata = {
    ...world.main.metadata,
    [R.r2]: {
      author: 'Ada',
      date: iso(now - 6 * DAY - 3 * HOUR),
      message: 'r2',
    },
    [R.r3]: {
      author: 'Ada',
      date: iso(now - 4 * DAY - 1 * HOUR),
      message: 'r3',
    },
    [R.r4]: {
      author: 'Ada',
      date: iso(now - 2 * DAY - 5 * HOUR),
      message: 'r4',
    },
  };
  // payments: two deployments this week and its Rollout aborted after the second
  const payments = world.main.applications.find(
    a => a.metadata.name === 'payments-production',
  )!;
  payments.status!.history = [
    { id: 2, revision: sha(8), deployedAt: iso(now - 3 * DAY) },
    { id: 1, revision: sha(7), deployedAt: iso(now - 5 * DAY) },
  ];
  for (const object of Object.values(world.main.resources ?? {}) as any[]) {
    if (object.status?.abort)
      object.status.abortedAt = iso(now - 3 * DAY + HOUR);
  }
  return world;
}

async function seedAbort(knex: any, at: number) {
  const audit = createAuditStore(knex);
  const record = await audit.insert({
    actor: 'user:default/ada',
    entityRef: 'component:default/checkout',
    environment: 'production',
    instance: 'main',
    rollout: 'checkout',
    rolloutKey: 'main/argocd/checkout-production/checkout/checkout',
    action: 'abort',
    reason: 'error rate',
    decision: 'allowed',
    outcome: 'requested',
  });
  await audit.complete(record.id, {
    outcome: 'succeeded',
    upstreamStatus: 200,
  });
  await knex('delivery_audit_records')
    .where('id', record.id)
    .update({ created_at: iso(at) });
}

describe('GET /entities/:ref/dora', () => {
  it('gives the four figures of a component from its Argo CD history and audit trail, exactly', async () => {
    const now = Date.now();
    server.use(...fakeArgoCdHandlers(worldAt(now), []));
    const { server: app, knex } = await startDoraBackend();
    await seedAbort(knex, now - 4 * DAY + 2 * HOUR);

    const res = await request(app).get(
      '/api/delivery/v1/entities/default/component/checkout/dora?window=7d&environment=production',
    );
    expect(res.status).toBe(200);
    expect(doraSchema).toBeDefined();
    expect(specViolations(doraSchema, res.body)).toEqual([]);
    const body = res.body as DoraResponse;
    expect(body).toMatchObject({
      entityRef: 'component:default/checkout',
      windowDays: 7,
    });
    expect(body.environments.map(e => e.environment)).toEqual(['production']);
    const [prod] = body.environments;
    // r2, r3, the rollback to r2, r4 (the re-sync of r4 is none)
    expect(prod.deployments.map(d => [d.revision, d.failed])).toEqual([
      [R.r2, false],
      [R.r3, true],
      [R.r2, false],
      [R.r4, false],
    ]);
    expect(prod.figures.deploymentFrequency).toMatchObject({
      value: 4 / 7,
      band: 'high',
      previous: 1 / 7,
      trend: 'better',
      sampleSize: 4,
    });
    // commits 3 h, 1 h and 5 h before their deployment; the rollback has none
    expect(prod.figures.leadTimeForChanges).toMatchObject({
      value: 3,
      band: 'elite',
      sampleSize: 3,
    });
    expect(prod.figures.changeFailureRate).toMatchObject({
      value: 0.25,
      band: 'low',
      previous: 0,
      trend: 'worse',
    });
    // from the audited abort (2 h after r3) to the rollback (6 h after r3);
    // the rollback seen in Argo CD is the same incident
    expect(prod.figures.timeToRestore).toMatchObject({
      value: 4,
      band: 'high',
      sampleSize: 1,
    });
    expect(prod.failures).toEqual([
      {
        at: iso(now - 4 * DAY + 2 * HOUR),
        kind: 'abort',
        source: 'audit',
        restoredAt: iso(now - 4 * DAY + 6 * HOUR),
      },
    ]);
    expect(prod.figures.deploymentFrequency.series).toHaveLength(7);

    // Argo CD forgets (it keeps about ten entries): what was recorded stays
    const forgetful = worldAt(now);
    forgetful.main.applications.find(
      a => a.metadata.name === 'checkout-production',
    )!.status!.history = checkoutHistory(now).slice(0, 2);
    server.use(...fakeArgoCdHandlers(forgetful, []));
    const again = await request(app).get(
      '/api/delivery/v1/entities/default/component/checkout/dora?window=7d&environment=production',
    );
    // (the window ends a moment later, so compare what does not move)
    const values = (figures: DoraResponse['environments'][number]['figures']) =>
      Object.values(figures).map(f => [f.value, f.previous, f.sampleSize]);
    expect(values(again.body.environments[0].figures)).toEqual(
      values(prod.figures),
    );
    const [{ n }] = await knex('delivery_deployment_events')
      .where('entity_ref', 'component:default/checkout')
      .count({ n: '*' });
    // the first call recorded every environment; the second added nothing
    const rows = await knex('delivery_deployment_events').where({
      entity_ref: 'component:default/checkout',
      environment: 'production',
    });
    expect(rows.map((r: any) => r.kind).sort()).toEqual([
      'abort',
      'deployment',
      'deployment',
      'deployment',
      'deployment',
      'deployment',
      'deployment',
      'rollback',
    ]);
    expect(Number(n)).toBeGreaterThanOrEqual(rows.length);
  });

  it('lists every environment in promotion order without environment=, and reads the 30-day default window', async () => {
    const now = Date.now();
    server.use(...fakeArgoCdHandlers(worldAt(now), []));
    const { server: app } = await startDoraBackend();
    const res = await request(app).get(
      '/api/delivery/v1/entities/default/component/checkout/dora',
    );
    expect(res.status).toBe(200);
    expect(specViolations(doraSchema, res.body)).toEqual([]);
    expect(res.body.windowDays).toBe(30);
    expect(res.body.environments.map((e: any) => e.environment)).toEqual([
      'dev',
      'staging',
      'production',
    ]);
    expect(
      res.body.environments[2].figures.deploymentFrequency.series,
    ).toHaveLength(30);
  });

  it('aggregates a System over its components (spec.system and hasPart)', async () => {
    const now = Date.now();
    server.use(...fakeArgoCdHandlers(worldAt(now), []));
    const { server: app, knex } = await startDoraBackend();
    await seedAbort(knex, now - 4 * DAY + 2 * HOUR);
    const res = await request(app).get(
      '/api/delivery/v1/entities/default/system/storefront/dora?window=7d&environment=production',
    );
    expect(res.status).toBe(200);
    expect(specViolations(doraSchema, res.body)).toEqual([]);
    const body = res.body as DoraResponse;
    expect(body.entityRef).toBe('system:default/storefront');
    expect(body.components).toEqual([
      'component:default/checkout',
      'component:default/ghost',
      'component:default/payments',
    ]);
    // the component that could not be read is named; the others still count
    expect(body.sources).toContainEqual({
      source: 'component:default/ghost',
      status: 'error',
      message: 'No entity component:default/ghost found',
    });
    const [prod] = body.environments;
    // checkout's 4 and payments' 2 deployments; failures: checkout's r3
    // (audit) and payments' second deployment (its Rollout aborted)
    expect(prod.figures.deploymentFrequency).toMatchObject({
      value: 6 / 7,
      sampleSize: 6,
    });
    expect(prod.figures.changeFailureRate.value).toBe(2 / 6);
    // each failure is matched within its own component's history
    expect(prod.failures.map(f => [f.kind, f.source, f.component])).toEqual([
      ['abort', 'audit', 'component:default/checkout'],
      ['abort', 'argocd', 'component:default/payments'],
    ]);
    expect(
      prod.deployments.filter(d => d.failed).map(d => d.component),
    ).toEqual(['component:default/checkout', 'component:default/payments']);

    const empty = await request(app).get(
      '/api/delivery/v1/entities/default/system/empty/dora?window=7d',
    );
    expect(empty.status).toBe(200);
    expect(empty.body).toMatchObject({ components: [], environments: [] });
  });

  it.each([
    ['window=1d', /Invalid window: must be one of 7d, 30d, 90d/],
    [
      'window=7d&environment=Prod!',
      /Invalid environment: must not contain reserved characters/,
    ],
    ['window=7d&environment=a&environment=b', /Invalid environment/],
  ])(
    'rejects %s with a 400 that names the parameter',
    async (query, message) => {
      server.use(...fakeArgoCdHandlers(createWorld(), []));
      const { server: app } = await startDoraBackend();
      const res = await request(app).get(
        `/api/delivery/v1/entities/default/component/checkout/dora?${query}`,
      );
      expect(res.status).toBe(400);
      expect(res.body.error.message).toMatch(message);
    },
  );

  it('answers 404 for an entity the caller cannot see', async () => {
    server.use(...fakeArgoCdHandlers(createWorld(), []));
    const { server: app } = await startDoraBackend();
    const res = await request(app).get(
      '/api/delivery/v1/entities/default/component/nobody/dora',
    );
    expect(res.status).toBe(404);
  });

  it('answers 401 without credentials', async () => {
    server.use(...fakeArgoCdHandlers(createWorld(), []));
    const { server: app } = await startDoraBackend();
    const res = await request(app)
      .get('/api/delivery/v1/entities/default/component/checkout/dora')
      .set('authorization', mockCredentials.none.header());
    expect(res.status).toBe(401);
  });

  it('records what every overview shows, and reuses a computed response while it is fresh', async () => {
    const now = Date.now();
    server.use(...fakeArgoCdHandlers(worldAt(now), []));
    const { server: app, knex } = await startDoraBackend({
      dora: { cacheTtlSeconds: 60, recordIntervalMinutes: 0 },
    });
    const overview = await request(app).get(
      '/api/delivery/v1/entities/default/component/checkout/overview',
    );
    expect(overview.status).toBe(200);
    const rows = await knex('delivery_deployment_events').where({
      entity_ref: 'component:default/checkout',
      environment: 'production',
      kind: 'deployment',
    });
    expect(rows).toHaveLength(6);

    const first = await request(app).get(
      '/api/delivery/v1/entities/default/component/checkout/dora?window=7d',
    );
    await knex('delivery_deployment_events').delete();
    const second = await request(app).get(
      '/api/delivery/v1/entities/default/component/checkout/dora?window=7d',
    );
    expect(second.body).toEqual(first.body);
    // another window is another computation (and records again)
    const other = await request(app).get(
      '/api/delivery/v1/entities/default/component/checkout/dora?window=30d',
    );
    expect(other.body.windowDays).toBe(30);
    expect(
      other.body.environments.find((e: any) => e.environment === 'production')
        .deployments,
    ).toHaveLength(5);
  });
});
