import {
  mockServices,
  registerMswTestHooks,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import type { MetricsResponse } from '@gitops-delivery/backstage-plugin-delivery-common';
import knexFactory, { type Knex } from 'knex';
import { http, passthrough } from 'msw';
import { setupServer } from 'msw/node';
import request from 'supertest';
import { createAuditStore } from '../../audit/AuditStore';
import { fakeArgoCdHandlers } from '@gitops-delivery/backstage-plugin-delivery-node/testUtils';
import { specViolations } from '../../__testUtils__/specViolations';
import {
  createWorld,
  ENTITIES,
  INSTANCES_CONFIG,
} from '../../__testUtils__/world';
import { deliveryPlugin } from '../../plugin';

// starts a whole backend: allow for a loaded machine
jest.setTimeout(60_000);

const server = setupServer(
  http.all(/^http:\/\/127\.0\.0\.1:\d+\/api\/delivery\//, () => passthrough()),
);
registerMswTestHooks(server);

describe('GET /entities/:ref/metrics step changes', () => {
  let knex: Knex;
  beforeEach(() => {
    knex = knexFactory({
      client: 'better-sqlite3',
      connection: ':memory:',
      useNullAsDefault: true,
    });
    server.use(...fakeArgoCdHandlers(createWorld(), []));
  });
  afterEach(() => knex.destroy());

  it("marks the audit trail's promotions of the rollout, and only succeeded ones", async () => {
    const { server: app } = await startTestBackend({
      features: [
        deliveryPlugin,
        catalogServiceMock.factory({ entities: ENTITIES as any }),
        mockServices.database.factory({ knex }),
        mockServices.rootConfig.factory({
          data: {
            delivery: {
              argocd: { instances: INSTANCES_CONFIG, timeoutMs: 2000 },
            },
          },
        }),
      ],
    });
    const store = createAuditStore(knex);
    const base = {
      actor: 'user:default/alice',
      entityRef: 'component:default/checkout',
      environment: 'production',
      instance: 'main',
      rollout: 'checkout',
      rolloutKey: 'main/checkout-production/checkout/checkout',
      decision: 'allowed' as const,
      outcome: 'requested' as const,
    };
    const promoted = await store.insert({
      ...base,
      action: 'promote',
      reason: 'soaked, dashboards fine',
      idempotencyKey: 'k1',
    });
    await store.complete(promoted.id, { outcome: 'succeeded' });
    const failed = await store.insert({
      ...base,
      action: 'promote-full',
      reason: 'never reached Argo CD',
      idempotencyKey: 'k2',
    });
    await store.complete(failed.id, { outcome: 'failed' });
    // another environment's record is not this chart's
    const elsewhere = await store.insert({
      ...base,
      environment: 'staging',
      action: 'abort',
      reason: 'not production',
      idempotencyKey: 'k3',
    });
    await store.complete(elsewhere.id, { outcome: 'succeeded' });

    const res = await request(app).get(
      '/api/delivery/v1/entities/default/component/checkout/metrics?environment=production&range=1h',
    );
    expect(res.status).toBe(200);
    expect(
      specViolations(
        { $ref: '#/components/schemas/MetricsResponse' },
        res.body,
      ),
    ).toEqual([]);
    const body = res.body as MetricsResponse;
    const changes = body.rollouts[0].stepChanges;
    // The world's rollout paused at step 1 (index 1) long before the
    // window: the pause is not marked, the promotion that left it is, as
    // the move to the next step.
    expect(changes).toEqual([
      expect.objectContaining({
        cause: 'promote',
        stepIndex: 2,
        detail: 'promote by user:default/alice: soaked, dashboards fine',
      }),
    ]);
    expect(changes[0].t).toBeGreaterThanOrEqual(body.start);
    // an action of the last seconds is marked although the series' end is
    // aligned down to 15 s
    expect(changes[0].t).toBeLessThanOrEqual(Math.ceil(Date.now() / 1000));
  });
});
