import { schedulerServiceFactory } from '@backstage/backend-defaults/scheduler';
import { registerMswTestHooks } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import type { AuditPage } from '@gitops-delivery/backstage-plugin-delivery-common';
import { setupServer } from 'msw/node';
import request from 'supertest';
import {
  actionRecorder,
  deliveryConfig,
  startActionsBackend,
  worldHandlers,
} from '../actions/__testUtils__/actionsWorld';
import { ENTITIES } from '../__testUtils__/world';

/**
 * A breaching canary whose Applications two entities find (the world's
 * checkout, and `checkout-web` with the same selector): the guard aborts it
 * once, and both entities' audit trails show the abort.
 */

jest.setTimeout(60_000);

const server = setupServer();
registerMswTestHooks(server);

const SHARER = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'checkout-web',
    namespace: 'default',
    annotations: {
      'argocd/app-selector': 'app=checkout',
      'argocd/instance-name': 'main',
    },
  },
  spec: { type: 'website', owner: 'team-web', lifecycle: 'production' },
};

const auditPath = (name: string) =>
  `/api/delivery/v1/entities/default/component/${name}/audit?decision=guard`;

it('records a guard abort of a shared Rollout for every entity that shares it, linked to the deciding record', async () => {
  const recorder = actionRecorder();
  server.use(...worldHandlers(recorder, 0.08).handlers);
  const backend = await startActionsBackend({
    delivery: deliveryConfig({
      guard: { enabled: true, intervalSeconds: 1 },
      // both entities may act on the Applications (no binding required)
      actions: { requireBinding: false },
    }),
    features: [schedulerServiceFactory],
    catalogWrapper: () =>
      catalogServiceMock({ entities: [...ENTITIES, SHARER] }),
  });
  try {
    const trail = async (name: string) =>
      ((await request(backend.server).get(auditPath(name))).body as AuditPage)
        .items;
    // the sharer's record is written after the abort's outcome: wait for it
    const until = Date.now() + 30_000;
    while ((await trail('checkout-web')).length === 0) {
      if (Date.now() > until) throw new Error('no guard record for the sharer');
      await new Promise(r => setTimeout(r, 50));
    }

    expect(recorder.calls).toHaveLength(1);
    expect(recorder.calls[0]).toMatchObject({ body: { action: 'abort' } });
    const [decided] = await trail('checkout');
    const [linked] = await trail('checkout-web');
    expect(decided).toMatchObject({
      entityRef: 'component:default/checkout',
      action: 'abort',
      outcome: 'succeeded',
    });
    expect(linked).toMatchObject({
      entityRef: 'component:default/checkout-web',
      environment: 'production',
      rollout: 'checkout',
      action: 'abort',
      decision: 'guard',
      outcome: 'succeeded',
      upstreamStatus: 200,
      correlationId: decided.correlationId,
      idempotencyKey: decided.idempotencyKey,
      gates: decided.gates,
    });
    expect(decided.correlationId).toEqual(expect.any(String));
    expect(linked.message).toContain(
      `the guard decided under the policy of component:default/checkout (audit record ${decided.id})`,
    );
  } finally {
    await backend.stop();
  }
});
