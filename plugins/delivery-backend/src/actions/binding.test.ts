import { schedulerServiceFactory } from '@backstage/backend-defaults/scheduler';
import { registerMswTestHooks } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import type {
  AuditPage,
  DeliveryOverview,
  RolloutActionRequest,
} from '@gitops-delivery/backstage-plugin-delivery-common';
import { setupServer } from 'msw/node';
import request from 'supertest';
import { fakeArgoCdHandlers } from '@gitops-delivery/backstage-plugin-delivery-node/testUtils';
import { type ArgoCdWorldInstance } from '../__testUtils__/argocdFixtures';
import {
  capturedLogLines,
  startOverviewBackend,
} from '../__testUtils__/startOverviewBackend';
import { ENTITIES, createWorld } from '../__testUtils__/world';
import {
  ACTIONS_PATH,
  PASSING_POLICY,
  actionRecorder,
  deliveryConfig,
  passthroughBackend,
  prometheusHandlers,
  startActionsBackend,
} from './__testUtils__/actionsWorld';
import { sqliteDatabase, tickCounter } from './__testUtils__/replicas';

/**
 * Issue 16, part 0: an entity's annotations find Applications, but only an
 * Application that names the entity back (or an owner rule) can be acted on.
 */

jest.setTimeout(30_000);

const server = setupServer();
registerMswTestHooks(server);

/**
 * Registered by someone else, owned by them, annotated with checkout's
 * selector and a strict policy, and claiming checkout's Kubernetes id: all
 * of it written by the entity's author.
 */
const INTRUDER: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'intruder',
    namespace: 'default',
    annotations: {
      'argocd/app-selector': 'app=checkout',
      'argocd/instance-name': 'main',
      'delivery.backstage.io/policy': 'strict',
      'backstage.io/kubernetes-id': 'checkout',
    },
  },
  spec: { type: 'service', owner: 'team-intruder', lifecycle: 'production' },
};
// first, so that the guard meets checkout's canary through the intruder first
const WITH_INTRUDER = [INTRUDER, ...(ENTITIES as Entity[])];
const INTRUDER_BASE = '/api/delivery/v1/entities/default/component/intruder';

// the world's error rate: the passing policy allows it, the strict one not
const ERROR_RATE = 0.0005;
const POLICIES = {
  policies: {
    passing: PASSING_POLICY,
    strict: { gates: [{ kind: 'slo', slo: 'error-rate', threshold: 0.0001 }] },
  },
};

function setup(
  edit: (world: Record<string, ArgoCdWorldInstance>) => void = () => {},
) {
  const recorder = actionRecorder();
  const world = createWorld();
  edit(world);
  server.use(
    passthroughBackend,
    ...recorder.handlers,
    ...prometheusHandlers({ errorRate: ERROR_RATE }),
    ...fakeArgoCdHandlers(world, []),
  );
  return recorder;
}

let counter = 0;
function body(
  overrides: Partial<RolloutActionRequest> = {},
): RolloutActionRequest {
  counter++;
  return {
    environment: 'production',
    rollout: 'checkout',
    action: 'abort',
    reason: 'binding test',
    idempotencyKey: `binding-${counter}-${Date.now()}`,
    ...overrides,
  };
}

function checkoutProduction(world: Record<string, ArgoCdWorldInstance>) {
  return world.main.applications.find(
    a => a.metadata.name === 'checkout-production',
  )!;
}

async function until(condition: () => boolean, what: string) {
  const deadline = Date.now() + 20_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise(resolve => setTimeout(resolve, 50));
  }
}

describe('an entity annotated for another team’s Application', () => {
  it('reads it, marked as not bound, with actions disabled', async () => {
    setup();
    const { server: app } = await startActionsBackend({
      entities: WITH_INTRUDER,
      delivery: deliveryConfig(POLICIES),
    });
    const res = await request(app).get(`${INTRUDER_BASE}/overview`);
    expect(res.status).toBe(200);
    const production = (res.body as DeliveryOverview).environments.find(
      e => e.name === 'production',
    )!;
    const expected = {
      bound: false,
      enforced: true,
      reason: expect.stringContaining(
        'Argo CD Application "checkout-production" on "main" does not name component:default/intruder',
      ),
    };
    expect(production.applications[0].binding).toEqual(expected);
    expect(production.rollouts[0]).toMatchObject({
      name: 'checkout',
      binding: expected,
    });
    // checkout's own entity is bound by the Application's label
    const own = await request(app).get(
      '/api/delivery/v1/entities/default/component/checkout/overview',
    );
    expect(
      (own.body as DeliveryOverview).environments.map(e =>
        e.applications.map(a => a.binding),
      ),
    ).toEqual([
      [{ bound: true, by: 'label', enforced: true }],
      [{ bound: true, by: 'label', enforced: true }],
      [{ bound: true, by: 'label', enforced: true }],
    ]);
  });

  it('is told by "can I promote?" what the action route would answer: not allowed, the binding named', async () => {
    setup();
    const { server: app } = await startActionsBackend({
      entities: WITH_INTRUDER,
      delivery: deliveryConfig(POLICIES),
    });
    const intruder = await request(app).get(
      `${INTRUDER_BASE}/policy?environment=production`,
    );
    expect(intruder.status).toBe(200);
    const [evaluation] = intruder.body.evaluations;
    expect(evaluation.allowed).toBe(false);
    expect(evaluation.gates).toContainEqual({
      name: 'binding',
      kind: 'binding',
      outcome: 'fail',
      blocking: true,
      reason: expect.stringContaining(
        'does not name component:default/intruder',
      ),
      evidence: [],
    });
    // the bound entity's dry run has no binding gate
    const own = await request(app).get(
      '/api/delivery/v1/entities/default/component/checkout/policy?environment=production',
    );
    expect(own.status).toBe(200);
    expect(
      own.body.evaluations[0].gates.map((g: { kind: string }) => g.kind),
    ).not.toContain('binding');
  });

  it.each([
    ['promote', {}],
    ['promote-full', {}],
    ['abort', {}],
    ['retry', {}],
    ['promote', { override: true }],
  ] as const)(
    'cannot %s it %o: 403 with the reason, nothing sent to Argo CD, refused in its own trail',
    async (action, extra) => {
      const recorder = setup();
      const { server: app } = await startActionsBackend({
        entities: WITH_INTRUDER,
        delivery: deliveryConfig(POLICIES),
      });
      const res = await request(app)
        .post(`${INTRUDER_BASE}/actions`)
        .send(body({ action, ...extra }));
      expect(res.status).toBe(403);
      expect(res.body.error.message).toBe(
        `Actions on checkout are not allowed for this entity: Argo CD Application "checkout-production" on "main" does not name component:default/intruder: its backstage.io/kubernetes-id label is "checkout" (component:default/checkout), and no delivery.actions.ownerProjects rule ties its project "default" to the entity's owner (group:default/team-intruder)`,
      );
      expect(recorder.calls).toEqual([]);
      const trail = await request(app).get(`${INTRUDER_BASE}/audit`);
      expect((trail.body as AuditPage).items).toEqual([
        expect.objectContaining({
          entityRef: 'component:default/intruder',
          action,
          decision: 'blocked',
          outcome: 'rejected',
        }),
      ]);
    },
  );

  it('is never acted on by the canary guard under its strict policy', async () => {
    const recorder = setup();
    const db = await sqliteDatabase();
    const { ticks, wrap } = tickCounter();
    const backend = await startActionsBackend({
      entities: WITH_INTRUDER,
      knex: db.client(),
      delivery: deliveryConfig({
        ...POLICIES,
        guard: { enabled: true, intervalSeconds: 1 },
      }),
      features: [schedulerServiceFactory],
      catalogWrapper: wrap(0),
    });
    try {
      // a third tick starts only after two whole ticks judged every entity
      await until(() => ticks.length >= 3, 'three guard ticks');
      expect(recorder.calls).toEqual([]);
      expect(await db.client()('delivery_audit_records').select()).toEqual([]);
    } finally {
      await backend.stop();
      await db.close();
    }
  });
});

describe('a bound Application', () => {
  it('is acted on when it carries the entity-ref annotation instead of the label', async () => {
    const recorder = setup(world => {
      const app = checkoutProduction(world);
      delete app.metadata.labels!['backstage.io/kubernetes-id'];
      app.metadata.annotations = {
        'delivery.backstage.io/entity-ref': 'component:default/checkout',
      };
    });
    const { server: app } = await startActionsBackend({
      delivery: deliveryConfig(POLICIES),
    });
    const res = await request(app).post(ACTIONS_PATH).send(body());
    expect(res.status).toBe(200);
    expect(recorder.calls.map(c => c.body)).toEqual([
      expect.objectContaining({ action: 'abort' }),
    ]);
  });

  it('is acted on when an owner rule lists its project for the entity’s owner', async () => {
    const unlabelled = (world: Record<string, ArgoCdWorldInstance>) => {
      delete checkoutProduction(world).metadata.labels![
        'backstage.io/kubernetes-id'
      ];
    };
    const refused = setup(unlabelled);
    const without = await startActionsBackend({
      delivery: deliveryConfig(POLICIES),
    });
    expect(
      (await request(without.server).post(ACTIONS_PATH).send(body())).status,
    ).toBe(403);
    expect(refused.calls).toEqual([]);
    await without.stop();

    const recorder = setup(unlabelled);
    const { server: app } = await startActionsBackend({
      delivery: deliveryConfig({
        ...POLICIES,
        actions: {
          ownerProjects: [
            { owner: 'group:default/team-storefront', projects: ['default'] },
          ],
        },
      }),
    });
    const res = await request(app).post(ACTIONS_PATH).send(body());
    expect(res.status).toBe(200);
    expect(recorder.calls).toHaveLength(1);
  });
});

describe('delivery.actions.requireBinding: false', () => {
  it('restores the old behaviour: the intruder aborts checkout’s canary', async () => {
    const recorder = setup();
    const { server: app } = await startActionsBackend({
      entities: WITH_INTRUDER,
      delivery: deliveryConfig({
        ...POLICIES,
        actions: { requireBinding: false },
      }),
    });
    const overview = await request(app).get(`${INTRUDER_BASE}/overview`);
    expect(
      (overview.body as DeliveryOverview).environments.find(
        e => e.name === 'production',
      )!.applications[0].binding,
    ).toMatchObject({ bound: false, enforced: false });
    const res = await request(app)
      .post(`${INTRUDER_BASE}/actions`)
      .send(body());
    expect(res.status).toBe(200);
    expect(recorder.calls).toHaveLength(1);
  });

  it('lets the guard abort under the intruder’s strict policy', async () => {
    const recorder = setup();
    const db = await sqliteDatabase();
    const backend = await startActionsBackend({
      entities: WITH_INTRUDER,
      knex: db.client(),
      delivery: deliveryConfig({
        ...POLICIES,
        actions: { requireBinding: false },
        guard: { enabled: true, intervalSeconds: 1 },
      }),
      features: [schedulerServiceFactory],
    });
    try {
      await until(() => recorder.calls.length > 0, 'the guard’s abort');
      expect(recorder.calls[0].body).toMatchObject({ action: 'abort' });
    } finally {
      await backend.stop();
      await db.close();
    }
  });

  it('warns at start-up', async () => {
    setup();
    await startOverviewBackend({ actions: { requireBinding: false } });
    expect(capturedLogLines).toContainEqual(
      expect.stringMatching(
        /^warn Delivery: delivery\.actions\.requireBinding is false: actions .* reach every Argo CD Application/,
      ),
    );
  });
});
