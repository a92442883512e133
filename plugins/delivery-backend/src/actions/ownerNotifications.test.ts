import { createServiceFactory } from '@backstage/backend-plugin-api';
import { schedulerServiceFactory } from '@backstage/backend-defaults/scheduler';
import {
  mockServices,
  registerMswTestHooks,
} from '@backstage/backend-test-utils';
import {
  notificationService,
  type NotificationSendOptions,
} from '@backstage/plugin-notifications-node';
import type { AuditPage } from '@gitops-delivery/backstage-plugin-delivery-common';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import request from 'supertest';
import {
  ACTIONS_PATH,
  actionRecorder,
  deliveryConfig,
  startActionsBackend,
  worldHandlers,
} from './__testUtils__/actionsWorld';
import { tickCounter } from './__testUtils__/replicas';
import { INSTANCES_CONFIG } from '../__testUtils__/world';
import {
  createOwnerNotifier,
  deliveryTabPath,
  ownersOf,
} from './OwnerNotifier';

const server = setupServer();
registerMswTestHooks(server);

const AUDIT_PATH = '/api/delivery/v1/entities/default/component/checkout/audit';
const OWNER = 'group:default/team-storefront';
const DELIVERY_TAB = '/catalog/default/component/checkout/delivery';

/** A notification service that records what it is asked to send. */
function notifications(fail?: Error) {
  const sent: NotificationSendOptions[] = [];
  let attempts = 0;
  const feature = createServiceFactory({
    service: notificationService,
    deps: {},
    factory: () => ({
      async send(options: NotificationSendOptions) {
        attempts++;
        if (fail) throw fail;
        sent.push(options);
      },
    }),
  });
  return { feature, sent, attempts: () => attempts };
}

/** Waits until `check` holds (notifications are sent in the background). */
async function eventually(check: () => boolean, ms = 10_000) {
  const until = Date.now() + ms;
  while (!check()) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise(r => setTimeout(r, 25));
  }
}

function promote(idempotencyKey: string) {
  return {
    environment: 'production',
    rollout: 'checkout',
    action: 'promote',
    reason: 'looks fine to me',
    idempotencyKey,
  };
}

describe('owner notifications on a blocked promotion', () => {
  it('tells the entity owner which gates blocked it, once per request', async () => {
    const recorder = actionRecorder();
    server.use(...worldHandlers(recorder, 0.08).handlers);
    const sink = notifications();
    const { server: app } = await startActionsBackend({
      features: [sink.feature],
    });
    const key = `blocked-${Date.now()}`;
    const res = await request(app).post(ACTIONS_PATH).send(promote(key));
    expect(res.status).toBe(409);
    // sending starts before the action answers (it is not awaited): the
    // answer is the event a notice comes with, so the checks below that
    // nothing more was sent need no waiting
    expect(sink.attempts()).toBe(1);
    await eventually(() => sink.sent.length === 1);

    const [{ recipients, payload }] = sink.sent;
    expect(recipients).toEqual({ type: 'entity', entityRef: [OWNER] });
    expect(payload).toMatchObject({
      title: 'Promotion of checkout in production blocked by the policy',
      link: DELIVERY_TAB,
      topic: 'delivery',
      severity: 'normal',
      metadata: {
        entityRef: 'component:default/checkout',
        environment: 'production',
        rollout: 'checkout',
        action: 'promote',
        decision: 'blocked',
        auditRecordId: res.body.error.record.id,
        failingGates: [
          {
            name: 'slo',
            kind: 'slo',
            reason: expect.stringContaining(
              '8%, above the threshold: 8% > 0.1%',
            ),
          },
        ],
      },
    });
    expect(payload.description).toContain('component:default/checkout');
    expect(payload.description).toContain(
      'promote requested by user:default/mock: looks fine to me',
    );
    expect(payload.description).toMatch(
      /Failing gates: slo: Canary error-rate is 8%, above the threshold: 8% > 0\.1%/,
    );
    expect(JSON.stringify(sink.sent)).not.toMatch(/token/i);

    // a replay of the same request answers the same, without a second notice
    const replay = await request(app).post(ACTIONS_PATH).send(promote(key));
    expect(replay.status).toBe(409);
    expect(sink.attempts()).toBe(1);
    expect(sink.sent).toHaveLength(1);
    expect(recorder.calls).toHaveLength(0);
  });

  it('sends nothing for an allowed promotion', async () => {
    const recorder = actionRecorder();
    server.use(...worldHandlers(recorder).handlers);
    const sink = notifications();
    const { server: app } = await startActionsBackend({
      features: [sink.feature],
    });
    const res = await request(app)
      .post(ACTIONS_PATH)
      .send(promote(`allowed-${Date.now()}`));
    expect(res.status).toBe(200);
    // a notice would have been handed over before this answer (see above)
    expect(sink.attempts()).toBe(0);
  });

  it('answers the same 409 and keeps the audit record when sending fails', async () => {
    const recorder = actionRecorder();
    server.use(...worldHandlers(recorder, 0.08).handlers);
    const sink = notifications(
      new Error('Failed to send notifications: Request failed with status 404'),
    );
    const { server: app } = await startActionsBackend({
      features: [sink.feature],
    });
    const res = await request(app)
      .post(ACTIONS_PATH)
      .send(promote(`failing-${Date.now()}`));
    expect(res.status).toBe(409);
    expect(res.body.error.record).toMatchObject({
      decision: 'blocked',
      outcome: 'rejected',
    });
    await eventually(() => sink.attempts() === 1);
    const audit = await request(app).get(AUDIT_PATH);
    expect((audit.body as AuditPage).items.map(r => r.id)).toEqual([
      res.body.error.record.id,
    ]);
  });
});

describe('owner notifications on a guard abort', () => {
  async function startGuard(sink: ReturnType<typeof notifications>) {
    const recorder = actionRecorder();
    server.use(...worldHandlers(recorder, 0.08).handlers);
    const ticks = tickCounter();
    const backend = await startActionsBackend({
      delivery: deliveryConfig({
        guard: { enabled: true, intervalSeconds: 1 },
      }),
      features: [sink.feature, schedulerServiceFactory],
      catalogWrapper: ticks.wrap(0),
    });
    return { recorder, backend, ticks };
  }

  it('tells the owner that the guard aborted the canary, with the failing SLO gate', async () => {
    const sink = notifications();
    const { recorder, backend } = await startGuard(sink);
    try {
      await eventually(() => sink.sent.length > 0);
      expect(recorder.calls).toHaveLength(1);
      expect(recorder.calls[0]).toMatchObject({ body: { action: 'abort' } });
      expect(sink.sent).toHaveLength(1);
      const [{ recipients, payload }] = sink.sent;
      expect(recipients).toEqual({ type: 'entity', entityRef: [OWNER] });
      expect(payload).toMatchObject({
        title: 'Canary guard aborted checkout in production',
        severity: 'high',
        link: DELIVERY_TAB,
        metadata: {
          entityRef: 'component:default/checkout',
          environment: 'production',
          rollout: 'checkout',
          action: 'abort',
          decision: 'guard',
          outcome: 'succeeded',
          failingGates: [
            expect.objectContaining({
              kind: 'slo',
              reason: expect.stringContaining('8% > 0.1%'),
            }),
          ],
        },
      });
      expect(payload.description).toMatch(
        /Failing gates: slo: Canary error-rate is 8%, above the threshold: 8% > 0\.1%/,
      );
    } finally {
      await backend.stop();
    }
  });

  it('tells the owner once when Argo CD refuses the abort, however many ticks retry', async () => {
    const sink = notifications();
    const { recorder, backend, ticks } = await startGuard(sink);
    server.use(
      http.post(
        `${INSTANCES_CONFIG[0].url}/api/v1/applications/:name/resource/actions/v2`,
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
    try {
      await eventually(() => sink.sent.length > 0);
      // later ticks replay the failed record of the same canary revision:
      // wait until the next tick has run to its end (the one after started)
      await ticks.reached(ticks.ticks.length + 2);
      expect(recorder.calls).toHaveLength(0);
      expect(sink.sent).toHaveLength(1);
      expect(sink.sent[0].payload).toMatchObject({
        title: 'Canary guard could not abort checkout in production',
        severity: 'high',
        metadata: { decision: 'guard', outcome: 'failed' },
      });
      expect(sink.sent[0].payload.description).toContain(
        'Argo CD did not run abort',
      );
    } finally {
      await backend.stop();
    }
  });

  it('still aborts when the notifications backend is missing', async () => {
    const sink = notifications(
      new Error('Failed to send notifications: Request failed with status 404'),
    );
    const { recorder, backend } = await startGuard(sink);
    try {
      await eventually(() => sink.attempts() > 0);
      expect(recorder.calls).toHaveLength(1);
      const audit = await request(backend.server).get(
        `${AUDIT_PATH}?decision=guard`,
      );
      expect((audit.body as AuditPage).items).toEqual([
        expect.objectContaining({ action: 'abort', outcome: 'succeeded' }),
      ]);
    } finally {
      await backend.stop();
    }
  });
});

describe('ownersOf', () => {
  const base = {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name: 'checkout', namespace: 'shop' },
  };

  it('prefers the ownedBy relations, else reads spec.owner as a group in the entity namespace', () => {
    expect(
      ownersOf({
        ...base,
        spec: { owner: 'ignored' },
        relations: [
          { type: 'ownedBy', targetRef: 'group:default/a' },
          { type: 'ownedBy', targetRef: 'group:default/a' },
          { type: 'dependsOn', targetRef: 'component:default/b' },
        ],
      }),
    ).toEqual(['group:default/a']);
    expect(ownersOf({ ...base, spec: { owner: 'team-a' } })).toEqual([
      'group:shop/team-a',
    ]);
    expect(ownersOf({ ...base, spec: { owner: 'user:default/jo' } })).toEqual([
      'user:default/jo',
    ]);
    expect(ownersOf({ ...base, spec: {} })).toEqual([]);
  });

  it('links to the lower-cased catalog route of the entity', () => {
    expect(deliveryTabPath({ ...base, metadata: { name: 'Check' } })).toBe(
      '/catalog/default/component/Check/delivery',
    );
  });
});

describe('createOwnerNotifier', () => {
  const entity = {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name: 'checkout', namespace: 'default' },
    spec: { owner: 'team-storefront' },
  };
  const record = {
    id: 'r1',
    createdAt: '2026-11-27T12:00:00.000Z',
    actor: 'user:default/jo',
    entityRef: 'component:default/checkout',
    environment: 'production',
    rollout: 'checkout',
    action: 'promote' as const,
    reason: 'ship it',
    decision: 'blocked' as const,
    outcome: 'rejected' as const,
  };

  it('logs a warning naming the failure, and resolves, when sending throws', async () => {
    const logger = mockServices.logger.mock();
    const notifier = createOwnerNotifier({
      logger,
      notifications: {
        send: async () => {
          throw new Error('Request failed with status 404');
        },
      },
    });
    await expect(
      notifier.notify({ kind: 'blocked', entity, record, gates: [] }),
    ).resolves.toBeUndefined();
    expect(logger.warn).toHaveBeenCalledWith(
      'Delivery: could not notify the owner of component:default/checkout of the blocked promote of checkout: Request failed with status 404',
    );
  });

  it('does nothing without a notification service, and warns when the entity has no owner', async () => {
    const logger = mockServices.logger.mock();
    await createOwnerNotifier({ logger }).notify({
      kind: 'blocked',
      entity,
      record,
      gates: [],
    });
    expect(logger.warn).not.toHaveBeenCalled();
    const send = jest.fn();
    await createOwnerNotifier({ logger, notifications: { send } }).notify({
      kind: 'blocked',
      entity: { ...entity, spec: {} },
      record,
      gates: [],
    });
    expect(send).not.toHaveBeenCalled();
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringContaining('has no owner to notify'),
    );
  });
});
