import { fakeMetrics } from '@gitops-delivery/backstage-plugin-delivery-node/testUtils';
import { createServiceFactory } from '@backstage/backend-plugin-api';
import {
  actionsRegistryServiceRef,
  metricsServiceRef,
} from '@backstage/backend-plugin-api/alpha';
import { actionsRegistryServiceMock } from '@backstage/backend-test-utils/alpha';
import {
  mockCredentials,
  registerMswTestHooks,
} from '@backstage/backend-test-utils';
import {
  deliveryAbortPermission,
  deliveryOverridePermission,
  deliveryPromotePermission,
  type AuditPage,
  type PolicyResponse,
  type RolloutActionRequest,
} from '@gitops-delivery/backstage-plugin-delivery-common';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import request from 'supertest';
import {
  ACTIONS_PATH,
  actionRecorder,
  deliveryConfig,
  permissionsDenying,
  startActionsBackend,
  worldHandlers,
} from './__testUtils__/actionsWorld';

const server = setupServer();
registerMswTestHooks(server);

const AUDIT_PATH = '/api/delivery/v1/entities/default/component/checkout/audit';
const POLICY_PATH =
  '/api/delivery/v1/entities/default/component/checkout/policy';

let counter = 0;
function body(
  overrides: Partial<RolloutActionRequest> = {},
): RolloutActionRequest {
  counter++;
  return {
    environment: 'production',
    rollout: 'checkout',
    action: 'promote',
    reason: 'canary looks good',
    idempotencyKey: `test-key-${counter}-${Date.now()}`,
    ...overrides,
  };
}

function setup(options: { v2Status?: 404 | 405; errorRate?: number } = {}) {
  const recorder = actionRecorder({ v2Status: options.v2Status });
  const world = worldHandlers(recorder, options.errorRate);
  server.use(...world.handlers);
  return { recorder, argocdCalls: world.argocdCalls };
}

describe('POST /entities/:ref/actions', () => {
  it('runs an allowed promote as exactly one Argo CD v2 resume call and audits it', async () => {
    const { recorder } = setup();
    const { server: app } = await startActionsBackend();
    const res = await request(app)
      .post(ACTIONS_PATH)
      .send(body())
      .set('x-correlation-id', 'corr-123');
    expect(res.status).toBe(200);
    expect(res.body.record).toMatchObject({
      actor: 'user:default/mock',
      entityRef: 'component:default/checkout',
      environment: 'production',
      instance: 'main',
      rollout: 'checkout',
      action: 'promote',
      decision: 'allowed',
      outcome: 'succeeded',
      upstreamStatus: 200,
      correlationId: 'corr-123',
    });
    expect(res.body.record.gates.map((g: any) => [g.name, g.outcome])).toEqual([
      ['slo', 'pass'],
      ['soak', 'pass'],
      ['analysis', 'pass'],
      ['upstream-environment', 'pass'],
    ]);
    expect(recorder.calls).toHaveLength(1);
    expect(recorder.calls[0]).toMatchObject({
      version: 'v2',
      application: 'checkout-production',
      body: {
        name: 'checkout-production',
        namespace: 'checkout',
        resourceName: 'checkout',
        group: 'argoproj.io',
        kind: 'Rollout',
        version: 'v1alpha1',
        action: 'resume',
      },
    });
    const audit = await request(app).get(AUDIT_PATH);
    expect(audit.status).toBe(200);
    expect((audit.body as AuditPage).items.map(r => r.id)).toEqual([
      res.body.record.id,
    ]);
  });

  it.each([404, 405] as const)(
    'falls back to the v1 endpoint when v2 answers %s',
    async status => {
      const { recorder } = setup({ v2Status: status });
      const { server: app } = await startActionsBackend();
      const res = await request(app)
        .post(ACTIONS_PATH)
        .send(body({ action: 'abort' }));
      expect(res.status).toBe(200);
      expect(recorder.calls.map(c => c.version)).toEqual(['v2', 'v1']);
      const v1 = recorder.calls[1];
      expect(v1.body).toBe('abort');
      expect(Object.fromEntries(v1.search)).toMatchObject({
        namespace: 'checkout',
        resourceName: 'checkout',
        group: 'argoproj.io',
        kind: 'Rollout',
        version: 'v1alpha1',
      });
    },
  );

  it.each([
    ['promote', deliveryPromotePermission.name],
    ['promote-full', deliveryPromotePermission.name],
    ['abort', deliveryAbortPermission.name],
    ['retry', deliveryAbortPermission.name],
  ] as const)(
    'answers 403 for %s without %s and calls nothing upstream',
    async (action, permission) => {
      const { recorder, argocdCalls } = setup();
      const { server: app } = await startActionsBackend({
        permissions: permissionsDenying(permission),
      });
      const res = await request(app).post(ACTIONS_PATH).send(body({ action }));
      expect(res.status).toBe(403);
      expect(res.body.error.name).toBe('NotAllowedError');
      expect(recorder.calls).toHaveLength(0);
      expect(argocdCalls).toHaveLength(0);
    },
  );

  it.each([
    ['promote', 'resume'],
    ['promote-full', 'promote-full'],
    ['abort', 'abort'],
    ['retry', 'retry'],
  ] as const)(
    'maps %s to the Argo CD action %s',
    async (action, argoAction) => {
      const { recorder } = setup();
      const { server: app } = await startActionsBackend();
      const res = await request(app).post(ACTIONS_PATH).send(body({ action }));
      expect(res.status).toBe(200);
      expect(recorder.calls.map(c => (c.body as any).action)).toEqual([
        argoAction,
      ]);
    },
  );

  it('answers 409 with the gate results when the policy blocks, and calls nothing', async () => {
    const { recorder } = setup({ errorRate: 0.08 });
    const { server: app } = await startActionsBackend();
    const res = await request(app).post(ACTIONS_PATH).send(body());
    expect(res.status).toBe(409);
    expect(res.body.error.name).toBe('ConflictError');
    expect(res.body.error.message).toMatch(
      /policy "passing" blocks this promotion: slo/,
    );
    expect(res.body.error.gates).toContainEqual(
      expect.objectContaining({
        name: 'slo',
        outcome: 'fail',
        blocking: true,
        reason: expect.stringContaining('8%, above the threshold: 8% > 0.1%'),
      }),
    );
    expect(res.body.error.record).toMatchObject({
      decision: 'blocked',
      outcome: 'rejected',
    });
    expect(recorder.calls).toHaveLength(0);
  });

  it('blocks by default when no scanner and no Prometheus answer (fail closed)', async () => {
    const { recorder } = setup();
    const { server: app } = await startActionsBackend({
      delivery: deliveryConfig({
        defaultPolicy: 'default',
        prometheus: { instances: [] },
      }),
    });
    const res = await request(app)
      .post(ACTIONS_PATH)
      .send(body({ action: 'promote-full' }));
    expect(res.status).toBe(409);
    const unknown = res.body.error.gates
      .filter((g: any) => g.outcome === 'unknown')
      .map((g: any) => g.name);
    expect(unknown).toEqual(['no-high-or-critical-cves', 'canary-error-rate']);
    expect(recorder.calls).toHaveLength(0);
  });

  it('lets the override permission break glass, audited as overridden', async () => {
    const { recorder } = setup({ errorRate: 0.08 });
    const { server: app } = await startActionsBackend();
    const res = await request(app)
      .post(ACTIONS_PATH)
      .send(body({ override: true, reason: 'incident 42 fix' }));
    expect(res.status).toBe(200);
    expect(res.body.record).toMatchObject({
      decision: 'overridden',
      outcome: 'succeeded',
    });
    expect(recorder.calls).toHaveLength(1);
  });

  it('refuses an override without the override permission (403), calling nothing', async () => {
    const { recorder } = setup({ errorRate: 0.08 });
    const { server: app } = await startActionsBackend({
      permissions: permissionsDenying(deliveryOverridePermission.name),
    });
    const res = await request(app)
      .post(ACTIONS_PATH)
      .send(body({ override: true }));
    expect(res.status).toBe(403);
    expect(res.body.error.message).toMatch(/override permission/);
    expect(recorder.calls).toHaveLength(0);
  });

  it('answers a repeated idempotency key with the first result, without a second call', async () => {
    const { recorder } = setup();
    const { server: app } = await startActionsBackend();
    const first = await request(app)
      .post(ACTIONS_PATH)
      .send(body({ idempotencyKey: 'same-key-0001' }));
    const again = await request(app)
      .post(ACTIONS_PATH)
      .send(body({ idempotencyKey: 'same-key-0001', action: 'abort' }));
    expect(first.status).toBe(200);
    expect(again.status).toBe(200);
    expect(again.body.record).toEqual(first.body.record);
    expect(recorder.calls).toHaveLength(1);
  });

  it('rejects a second promote from the same rollout state (a stale page), calling once', async () => {
    const { recorder } = setup();
    const { server: app } = await startActionsBackend();
    const first = await request(app).post(ACTIONS_PATH).send(body());
    const second = await request(app).post(ACTIONS_PATH).send(body());
    expect(first.status).toBe(200);
    expect(second.status).toBe(409);
    expect(second.body.error.message).toMatch(/already succeeded/);
    expect(recorder.calls).toHaveLength(1);
  });

  it('records a failed upstream call and answers 503 without leaking the token', async () => {
    setup();
    server.use(
      http.post(
        'http://argocd-main.test/api/v1/applications/:name/resource/actions/v2',
        () =>
          HttpResponse.json(
            {
              error: 'permission denied',
              code: 7,
              message: 'permission denied',
            },
            { status: 403 },
          ),
      ),
    );
    const { server: app } = await startActionsBackend();
    const res = await request(app)
      .post(ACTIONS_PATH)
      .send(body({ action: 'abort' }));
    expect(res.status).toBe(503);
    expect(res.body.error.record).toMatchObject({
      outcome: 'failed',
      upstreamStatus: 403,
    });
    expect(res.text).not.toContain('main-secret-token');
  });

  it.each([
    [{ environment: undefined }, /Invalid environment: is required/],
    [{ environment: 'Prod!' }, /Invalid environment/],
    [{ rollout: '' }, /Invalid rollout/],
    [{ action: 'delete' }, /Invalid action/],
    [{ reason: '   ' }, /Invalid reason: must not be blank/],
    [{ idempotencyKey: 'short' }, /Invalid idempotencyKey/],
    [{ idempotencyKey: 'has spaces in it' }, /Invalid idempotencyKey/],
    [{ override: 'yes' }, /Invalid override/],
    [{ extra: 1 }, /Invalid body: unknown field\(s\) extra/],
  ])('answers 400 naming the field for %j', async (patch, message) => {
    const { recorder, argocdCalls } = setup();
    const { server: app } = await startActionsBackend();
    const res = await request(app)
      .post(ACTIONS_PATH)
      .send({ ...body(), ...patch });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(message);
    expect(recorder.calls).toHaveLength(0);
    expect(argocdCalls).toHaveLength(0);
  });

  it('answers 404 for a rollout or environment the entity does not have', async () => {
    const { recorder } = setup();
    const { server: app } = await startActionsBackend();
    const noRollout = await request(app)
      .post(ACTIONS_PATH)
      .send(body({ rollout: 'other' }));
    expect(noRollout.status).toBe(404);
    const noEnv = await request(app)
      .post(ACTIONS_PATH)
      .send(body({ environment: 'qa' }));
    expect(noEnv.status).toBe(404);
    expect(recorder.calls).toHaveLength(0);
  });

  it('answers 401 without credentials', async () => {
    setup();
    const { server: app } = await startActionsBackend();
    const res = await request(app)
      .post(ACTIONS_PATH)
      .set('Authorization', mockCredentials.none.header())
      .send(body());
    expect(res.status).toBe(401);
  });
});

describe('GET /entities/:ref/policy', () => {
  it('evaluates every gate without acting', async () => {
    const { recorder } = setup({ errorRate: 0.08 });
    const { server: app } = await startActionsBackend();
    const res = await request(app)
      .get(POLICY_PATH)
      .query({ environment: 'production' });
    expect(res.status).toBe(200);
    const policy: PolicyResponse = res.body;
    expect(policy.evaluations).toHaveLength(1);
    expect(policy.evaluations[0]).toMatchObject({
      policy: 'passing',
      rollout: 'checkout',
      allowed: false,
    });
    expect(
      policy.evaluations[0].gates.find(g => g.kind === 'slo')?.outcome,
    ).toBe('fail');
    expect(recorder.calls).toHaveLength(0);
  });

  it('answers 400 without an environment and 404 for an unknown one', async () => {
    setup();
    const { server: app } = await startActionsBackend();
    const missing = await request(app).get(POLICY_PATH);
    expect(missing.status).toBe(400);
    expect(missing.body.error.message).toMatch(/Invalid environment/);
    const unknown = await request(app)
      .get(POLICY_PATH)
      .query({ environment: 'qa' });
    expect(unknown.status).toBe(404);
  });
});

describe('GET /entities/:ref/audit', () => {
  it('pages newest first with filters, and validates its query', async () => {
    setup();
    const { server: app } = await startActionsBackend();
    for (const action of ['abort', 'retry', 'abort'] as const) {
      expect(
        (await request(app).post(ACTIONS_PATH).send(body({ action }))).status,
      ).toBe(200);
    }
    const page1 = await request(app).get(AUDIT_PATH).query({ limit: 2 });
    expect(page1.body.items.map((r: any) => r.action)).toEqual([
      'abort',
      'retry',
    ]);
    const page2 = await request(app)
      .get(AUDIT_PATH)
      .query({ limit: 2, cursor: page1.body.nextCursor });
    expect(page2.body.items.map((r: any) => r.action)).toEqual(['abort']);
    expect(page2.body.nextCursor).toBeUndefined();
    const aborts = await request(app)
      .get(AUDIT_PATH)
      .query({ action: 'abort' });
    expect(aborts.body.items).toHaveLength(2);
    expect(
      (await request(app).get(AUDIT_PATH).query({ limit: 0 })).status,
    ).toBe(400);
    expect(
      (await request(app).get(AUDIT_PATH).query({ outcome: 'maybe' })).body
        .error.message,
    ).toMatch(/Invalid outcome/);
    expect(
      (await request(app).get(AUDIT_PATH).query({ cursor: 'bm9wZQ' })).status,
    ).toBe(400);
    expect((await request(app).get(AUDIT_PATH).query({ foo: 1 })).status).toBe(
      400,
    );
  });
});

describe('the can-promote action in the actions registry', () => {
  it('answers the same question as the policy route', async () => {
    setup({ errorRate: 0.08 });
    const registry = actionsRegistryServiceMock();
    await startActionsBackend({
      features: [
        createServiceFactory({
          service: actionsRegistryServiceRef,
          deps: {},
          factory: () => registry,
        }),
      ],
    });
    const { output } = await registry.invoke({
      id: 'test:can-promote',
      input: {
        entityRef: 'component:default/checkout',
        environment: 'production',
      },
      credentials: mockCredentials.user(),
    });
    expect(output).toMatchObject({
      entityRef: 'component:default/checkout',
      environment: 'production',
      allowed: false,
      evaluations: [{ policy: 'passing', rollout: 'checkout', allowed: false }],
    });
    await expect(
      registry.invoke({
        id: 'test:can-promote',
        input: {
          entityRef: 'component:default/checkout',
          environment: 'Prod!',
        },
        credentials: mockCredentials.user(),
      }),
    ).rejects.toThrow();
  });
});

describe('operability', () => {
  it('counts actions by decision and outcome in the metrics service', async () => {
    setup({ errorRate: 0.08 });
    const { metrics, records } = fakeMetrics();
    const { server: app } = await startActionsBackend({
      features: [
        createServiceFactory({
          service: metricsServiceRef,
          deps: {},
          factory: () => metrics,
        }),
      ],
    });
    await request(app).post(ACTIONS_PATH).send(body());
    await request(app)
      .post(ACTIONS_PATH)
      .send(body({ action: 'abort' }));
    expect(records.filter(r => r.name === 'delivery.actions')).toEqual([
      {
        name: 'delivery.actions',
        value: 1,
        attributes: {
          action: 'promote',
          decision: 'blocked',
          outcome: 'rejected',
        },
      },
      {
        name: 'delivery.actions',
        value: 1,
        attributes: {
          action: 'abort',
          decision: 'allowed',
          outcome: 'succeeded',
        },
      },
    ]);
  });
});
