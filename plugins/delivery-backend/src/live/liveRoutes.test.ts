import { createServiceFactory } from '@backstage/backend-plugin-api';
import { registerMswTestHooks } from '@backstage/backend-test-utils';
import {
  signalsServiceRef,
  type SignalPayload,
} from '@backstage/plugin-signals-node';
import { setupServer } from 'msw/node';
import request from 'supertest';
import {
  ACTIONS_PATH,
  actionRecorder,
  deliveryConfig,
  startActionsBackend,
  worldHandlers,
} from '../actions/__testUtils__/actionsWorld';

/**
 * The plugin with its routes: the overview's ETag and 304, and the change
 * signals its audit records publish (through the signals service the
 * backend provides, here a recording one).
 */

const server = setupServer();
registerMswTestHooks(server);

const OVERVIEW_PATH =
  '/api/delivery/v1/entities/default/component/checkout/overview';

function recordingSignals() {
  const published: SignalPayload[] = [];
  const factory = createServiceFactory({
    service: signalsServiceRef,
    deps: {},
    factory: () => ({
      async publish(signal: SignalPayload) {
        published.push(signal);
      },
    }),
  });
  return { published, factory };
}

describe('the overview route', () => {
  it('answers with an ETag and honours If-None-Match with a 304 without a body', async () => {
    server.use(...worldHandlers(actionRecorder()).handlers);
    const { server: app } = await startActionsBackend();
    const first = await request(app).get(OVERVIEW_PATH);
    expect(first.status).toBe(200);
    const etag = first.headers.etag;
    expect(etag).toMatch(/^W\/"[A-Za-z0-9_-]{32}"$/);
    expect(first.headers['cache-control']).toBe('private, no-cache');

    const again = await request(app)
      .get(OVERVIEW_PATH)
      .set('If-None-Match', etag);
    expect(again.status).toBe(304);
    expect(again.text ?? '').toBe('');
    expect(again.headers.etag).toBe(etag);

    const other = await request(app)
      .get(OVERVIEW_PATH)
      .set('If-None-Match', 'W/"something-else"');
    expect(other.status).toBe(200);
    expect(other.body.entityRef).toBe('component:default/checkout');
  });

  it('gives the same view the same ETag on two replicas', async () => {
    server.use(...worldHandlers(actionRecorder()).handlers);
    const [a, b] = await Promise.all([
      startActionsBackend(),
      startActionsBackend(),
    ]);
    const fromA = await request(a.server).get(OVERVIEW_PATH);
    const fromB = await request(b.server)
      .get(OVERVIEW_PATH)
      .set('If-None-Match', fromA.headers.etag);
    expect(fromB.status).toBe(304);
  });
});

describe('change signals of audit records', () => {
  it('publishes "changed" for the entity when an action is recorded and when it ends', async () => {
    server.use(...worldHandlers(actionRecorder()).handlers);
    const signals = recordingSignals();
    const { server: app } = await startActionsBackend({
      // no coalescing window: both signals go out during the request
      delivery: deliveryConfig({ live: { signals: { coalesce: 0 } } }),
      features: [signals.factory],
    });
    const res = await request(app)
      .post(ACTIONS_PATH)
      .send({
        environment: 'production',
        rollout: 'checkout',
        action: 'promote',
        reason: 'canary looks good',
        idempotencyKey: `signal-${Date.now()}`,
      });
    expect(res.status).toBe(200);
    // recorded, then completed
    expect(signals.published.map(s => s.channel)).toEqual([
      'delivery:entity:component:default/checkout',
      'delivery:entity:component:default/checkout',
    ]);
    for (const signal of signals.published) {
      expect(signal.recipients).toEqual({ type: 'broadcast' });
      expect(signal.message).toEqual({
        type: 'changed',
        entityRef: 'component:default/checkout',
      });
    }
  });
});
