import { registerMswTestHooks } from '@backstage/backend-test-utils';
import {
  deliveryApplicationRollbackPermission,
  deliveryApplicationSyncPermission,
  deliveryOverridePermission,
  type ApplicationActionRequest,
  type AuditPage,
} from '@gitops-delivery/backstage-plugin-delivery-common';
import {
  fakeArgoCdHandlers,
  type FakeArgoCdCall,
} from '@gitops-delivery/backstage-plugin-delivery-node/testUtils';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import request from 'supertest';
import { specViolations } from '../__testUtils__/specViolations';
import { ENTITIES, createWorld } from '../__testUtils__/world';
import { spec } from '../schema/openapi/generated';
import {
  PASSING_POLICY,
  deliveryConfig,
  passthroughBackend,
  permissionsDenying,
  startActionsBackend,
} from '../actions/__testUtils__/actionsWorld';

/** The world's policy plus a change freeze that is always on. */
const FROZEN = deliveryConfig({
  policies: {
    passing: {
      gates: [
        ...PASSING_POLICY.gates,
        {
          kind: 'change-window',
          name: 'freeze',
          timeZone: 'UTC',
          freezes: [
            {
              name: 'always',
              days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'],
              from: '00:00',
              to: '23:59',
            },
          ],
        },
      ],
    },
  },
});

const server = setupServer();
registerMswTestHooks(server);

const PATH =
  '/api/delivery/v1/entities/default/component/search/applications/actions';
const AUDIT_PATH = '/api/delivery/v1/entities/default/component/search/audit';
const APP = 'search-production';

/** Violations of a response against the route's documented answer for its status. */
function conforms(res: request.Response): string[] {
  const doc: any = spec;
  let answer =
    doc.paths['/v1/entities/{namespace}/{kind}/{name}/applications/actions']
      .post.responses[String(res.status)];
  if (answer?.$ref) {
    answer = answer.$ref
      .replace(/^#\//, '')
      .split('/')
      .reduce((o: any, k: string) => o?.[k], doc);
  }
  const schema = answer?.content?.['application/json']?.schema;
  if (!schema) return [`no documented ${res.status}`];
  return specViolations(schema, res.body);
}

let counter = 0;
function body(
  overrides: Partial<ApplicationActionRequest> = {},
): ApplicationActionRequest {
  counter++;
  return {
    environment: 'production',
    application: APP,
    action: 'sync',
    reason: '  drifted replicas  ',
    idempotencyKey: `app-key-${counter}-${Date.now()}`,
    ...overrides,
  };
}

/**
 * The test world's Argo CD (the contract-checked fake: every call must be
 * an operation of the swagger, with its query and body), optionally with
 * auto-sync on for search-production, or with its writes failing.
 */
function setup(options: { autoSync?: boolean; writeStatus?: number } = {}) {
  const world = createWorld();
  const app = world.main.applications!.find(a => a.metadata.name === APP)!;
  // a second deployment to roll back to
  const status = app.status as { history: Array<Record<string, unknown>> };
  status.history = [
    { ...status.history[0], id: 3 },
    { ...status.history[0], id: 4 },
  ];
  if (options.autoSync) {
    // on a Git host no integrations.github entry reaches: no pull request
    // can restore it (gitopsRollback.test.ts has the GitHub one)
    app.spec = {
      ...app.spec,
      source: {
        repoURL: 'https://git.example.com/acme/search.git',
        path: 'deploy',
        targetRevision: 'main',
      },
      syncPolicy: { automated: { prune: true } },
    };
  }
  const calls: FakeArgoCdCall[] = [];
  server.use(
    passthroughBackend,
    ...(options.writeStatus
      ? [
          http.post(
            'http://argocd-main.test/api/v1/applications/:name/:op',
            () =>
              new HttpResponse('upstream connect error', {
                status: options.writeStatus,
              }),
          ),
        ]
      : []),
    ...fakeArgoCdHandlers(world, calls),
  );
  const writes = () =>
    calls.filter(c => c.method === 'POST' && c.path.startsWith('/api/v1/app'));
  const refreshes = () =>
    calls.filter(c => new URLSearchParams(c.search).has('refresh'));
  return { calls, writes, refreshes };
}

describe('POST /entities/:ref/applications/actions', () => {
  it('syncs with prune and the picked resources, audits it and answers the running operation', async () => {
    const { writes } = setup();
    const { server: app } = await startActionsBackend();
    const res = await request(app)
      .post(PATH)
      .set('x-correlation-id', 'corr-sync-1')
      .send(
        body({
          prune: true,
          resources: [
            {
              group: 'argoproj.io',
              kind: 'Rollout',
              namespace: 'search',
              name: 'rollout-ref-deployment',
            },
          ],
        }),
      );
    expect(res.body.error?.message).toBeUndefined();
    expect(res.status).toBe(200);
    expect(res.headers['x-correlation-id']).toBe('corr-sync-1');
    expect(res.body.record).toMatchObject({
      actor: 'user:default/mock',
      entityRef: 'component:default/search',
      environment: 'production',
      instance: 'main',
      rollout: APP,
      action: 'sync',
      reason: 'drifted replicas',
      decision: 'allowed',
      outcome: 'succeeded',
      upstreamStatus: 200,
      correlationId: 'corr-sync-1',
      message:
        'sync with prune of 1 resource: Rollout/rollout-ref-deployment: operation Running',
    });
    expect(res.body.operation).toMatchObject({
      phase: 'Running',
      initiatedBy: 'admin',
    });
    expect(writes().map(c => [c.path, c.body])).toEqual([
      [
        `/api/v1/applications/${APP}/sync`,
        {
          name: APP,
          appNamespace: 'team-search',
          project: 'search',
          prune: true,
          dryRun: false,
          resources: [
            {
              group: 'argoproj.io',
              kind: 'Rollout',
              name: 'rollout-ref-deployment',
              namespace: 'search',
            },
          ],
        },
      ],
    ]);
    const audit = await request(app).get(`${AUDIT_PATH}?action=sync`);
    expect((audit.body as AuditPage).items.map(r => r.id)).toEqual([
      res.body.record.id,
    ]);
  });

  it.each([
    [false, 'normal'],
    [true, 'hard'],
  ])('refreshes (hard: %s) through GET ?refresh=%s', async (hard, mode) => {
    const { refreshes, writes } = setup();
    const { server: app } = await startActionsBackend();
    const res = await request(app)
      .post(PATH)
      .send(body({ action: 'refresh', hard }));
    expect(res.status).toBe(200);
    expect(res.body.record).toMatchObject({
      action: 'refresh',
      outcome: 'succeeded',
      message: hard ? 'hard refresh' : 'refresh',
    });
    expect(
      refreshes().map(c => new URLSearchParams(c.search).get('refresh')),
    ).toEqual([mode]);
    expect(writes()).toEqual([]);
  });

  it('rolls back to a history entry where auto-sync is off', async () => {
    const { writes } = setup();
    const { server: app } = await startActionsBackend();
    const res = await request(app)
      .post(PATH)
      .send(body({ action: 'rollback', historyId: 3 }));
    expect(res.status).toBe(200);
    expect(res.body.record).toMatchObject({
      action: 'rollback',
      outcome: 'succeeded',
      message: expect.stringMatching(/^rollback to history 3 \(revision /),
    });
    expect(writes().map(c => [c.path, c.body])).toEqual([
      [
        `/api/v1/applications/${APP}/rollback`,
        {
          name: APP,
          appNamespace: 'team-search',
          project: 'search',
          id: 3,
          prune: false,
          dryRun: false,
        },
      ],
    ]);
  });

  it("records Argo CD's refusal of a rollback with auto-sync on that no pull request can restore as rejected (409)", async () => {
    setup({ autoSync: true });
    const { server: app } = await startActionsBackend();
    const res = await request(app)
      .post(PATH)
      .send(body({ action: 'rollback', historyId: 3 }));
    expect(res.status).toBe(409);
    expect(res.body.error.name).toBe('ConflictError');
    expect(res.body.error.message).toContain(
      'rollback cannot be initiated when auto-sync is enabled',
    );
    expect(res.body.error.record).toMatchObject({
      action: 'rollback',
      outcome: 'rejected',
      upstreamStatus: 400,
    });
  });

  it.each([
    ['sync', deliveryApplicationSyncPermission.name, {}],
    ['refresh', deliveryApplicationSyncPermission.name, {}],
    ['rollback', deliveryApplicationRollbackPermission.name, { historyId: 3 }],
  ] as const)(
    'answers 403 for %s without %s, recording and calling nothing',
    async (action, permission, extra) => {
      const { writes, refreshes } = setup();
      const { server: app } = await startActionsBackend({
        permissions: permissionsDenying(permission),
      });
      const res = await request(app)
        .post(PATH)
        .send(body({ action, ...extra }));
      expect(res.status).toBe(403);
      expect(res.body.error.message).toBe(
        `You are not allowed to ${action} Argo CD applications of component:default/search`,
      );
      expect(writes()).toEqual([]);
      expect(refreshes()).toEqual([]);
      const audit = await request(app).get(AUDIT_PATH);
      expect(audit.body.items).toEqual([]);
    },
  );

  it('refuses an Application that does not name the entity back with 403, recorded as blocked', async () => {
    const { writes } = setup();
    const intruder = {
      ...ENTITIES[0],
      metadata: {
        ...ENTITIES[0].metadata,
        name: 'intruder',
        annotations: {
          'argocd/app-name': APP,
          'argocd/app-namespace': 'team-search',
        },
      },
    };
    const { server: app } = await startActionsBackend({
      entities: [...ENTITIES, intruder],
    });
    const res = await request(app)
      .post(PATH.replace('/search/', '/intruder/'))
      .send(body());
    expect(res.status).toBe(403);
    expect(res.body.error.record).toMatchObject({
      decision: 'blocked',
      outcome: 'rejected',
    });
    expect(writes()).toEqual([]);
  });

  it('replays a repeated idempotency key with the first result, calling Argo CD once', async () => {
    const { writes } = setup();
    const { server: app } = await startActionsBackend();
    const first = body();
    const a = await request(app).post(PATH).send(first);
    const b = await request(app).post(PATH).send(first);
    expect(a.status).toBe(200);
    expect(b.status).toBe(200);
    expect(b.body.record.id).toBe(a.body.record.id);
    expect(writes()).toHaveLength(1);
  });

  it("records Argo CD's failure as failed (503) and replays it the same way", async () => {
    setup({ writeStatus: 502 });
    const { server: app } = await startActionsBackend();
    const first = body();
    const a = await request(app).post(PATH).send(first);
    expect(a.status).toBe(503);
    expect(a.body.error.record).toMatchObject({
      outcome: 'failed',
      upstreamStatus: 502,
    });
    const b = await request(app).post(PATH).send(first);
    expect(b.status).toBe(503);
    expect(b.body.error.record.id).toBe(a.body.error.record.id);
  });

  it.each([
    [{ action: 'rollback' }, 'Invalid historyId'],
    [{ action: 'sync', historyId: 3 }, 'Invalid historyId'],
    [{ action: 'refresh', prune: true }, 'Invalid prune'],
    [{ action: 'sync', hard: true }, 'Invalid hard'],
    [
      {
        action: 'sync',
        resources: [{ kind: 'Deployment', name: 'not-there' }],
      },
      'Invalid resources',
    ],
    [{ action: 'sync', application: 'Bad Name' }, 'Invalid application'],
    [{ action: 'teleport' }, 'Invalid action'],
    [{ reason: '   ' }, 'Invalid reason'],
  ] as const)(
    'answers 400 for %j naming the field',
    async (overrides, text) => {
      const { writes } = setup();
      const { server: app } = await startActionsBackend();
      const res = await request(app)
        .post(PATH)
        .send(body(overrides as Partial<ApplicationActionRequest>));
      expect(res.status).toBe(400);
      expect(res.body.error.message).toContain(text);
      expect(writes()).toEqual([]);
    },
  );

  it('answers 404 for an unknown history entry or Application', async () => {
    setup();
    const { server: app } = await startActionsBackend();
    const noEntry = await request(app)
      .post(PATH)
      .send(body({ action: 'rollback', historyId: 99 }));
    expect(noEntry.status).toBe(404);
    expect(noEntry.body.error.message).toContain('no history entry 99');
    const noApp = await request(app)
      .post(PATH)
      .send(body({ application: 'checkout-production' }));
    expect(noApp.status).toBe(404);
  });

  describe('the policy on a rollback', () => {
    it('blocks a rollback inside a change freeze with 409 and the gates, recorded, calling nothing', async () => {
      const { writes } = setup();
      const { server: app } = await startActionsBackend({ delivery: FROZEN });
      const res = await request(app)
        .post(PATH)
        .send(body({ action: 'rollback', historyId: 3 }));
      expect(res.status).toBe(409);
      expect(res.body.error.message).toBe(
        'The policy "passing" blocks this rollback: freeze',
      );
      // only the change windows judge a rollback, not the canary's gates
      expect(res.body.error.gates.map((g: any) => [g.name, g.outcome])).toEqual(
        [['freeze', 'fail']],
      );
      expect(res.body.error.record).toMatchObject({
        decision: 'blocked',
        outcome: 'rejected',
      });
      expect(writes()).toEqual([]);
    });

    it('does not gate a sync by the freeze', async () => {
      setup();
      const { server: app } = await startActionsBackend({ delivery: FROZEN });
      const res = await request(app).post(PATH).send(body());
      expect(res.status).toBe(200);
    });

    it('rolls back inside the freeze as break glass with the override permission, recorded as overridden', async () => {
      const { writes } = setup();
      const { server: app } = await startActionsBackend({ delivery: FROZEN });
      const res = await request(app)
        .post(PATH)
        .send(body({ action: 'rollback', historyId: 3, override: true }));
      expect(res.status).toBe(200);
      expect(res.body.record).toMatchObject({
        decision: 'overridden',
        outcome: 'succeeded',
      });
      expect(res.body.record.gates.map((g: any) => g.name)).toEqual(['freeze']);
      expect(writes()).toHaveLength(1);
    });

    it('refuses the override without its permission with 403, recorded as blocked', async () => {
      const { writes } = setup();
      const { server: app } = await startActionsBackend({
        delivery: FROZEN,
        permissions: permissionsDenying(deliveryOverridePermission.name),
      });
      const res = await request(app)
        .post(PATH)
        .send(body({ action: 'rollback', historyId: 3, override: true }));
      expect(res.status).toBe(403);
      expect(res.body.error.message).toMatch(/^Override refused/);
      expect(res.body.error.record.decision).toBe('blocked');
      expect(writes()).toEqual([]);
    });
  });

  it('answers only as the spec documents: 200, 400, 403, 404, 409 and 503', async () => {
    setup();
    const { server: app } = await startActionsBackend({
      delivery: FROZEN,
      permissions: permissionsDenying(deliveryOverridePermission.name),
    });
    const post = (b: object) => request(app).post(PATH).send(b);
    const answers = [
      await post(body()),
      await post(body({ action: 'refresh', hard: true })),
      await post(body({ action: 'rollback' })),
      await post(body({ extra: true } as object)),
      await post(body({ action: 'rollback', historyId: 3, override: true })),
      await post(body({ application: 'nope' })),
      await post(body({ action: 'rollback', historyId: 3 })),
    ];
    expect(answers.map(a => a.status)).toEqual([
      200, 200, 400, 400, 403, 404, 409,
    ]);
    for (const a of answers) expect(conforms(a)).toEqual([]);

    setup({ writeStatus: 503 });
    const failed = await post(body());
    expect(failed.status).toBe(503);
    expect(conforms(failed)).toEqual([]);
  });
});
