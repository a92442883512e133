import {
  createBackendPlugin,
  type BackendFeature,
} from '@backstage/backend-plugin-api';
import { registerMswTestHooks } from '@backstage/backend-test-utils';
import eventsPlugin from '@backstage/plugin-events-backend';
import {
  eventsServiceFactory,
  eventsServiceRef,
} from '@backstage/plugin-events-node';
import type { SignalPayload } from '@backstage/plugin-signals-node';
import { http, passthrough } from 'msw';
import { setupServer } from 'msw/node';
import request from 'supertest';
import {
  ACTIONS_PATH,
  actionRecorder,
  startActionsBackend,
  worldHandlers,
} from '../actions/__testUtils__/actionsWorld';
import { postgresDatabase, type Db } from '../actions/__testUtils__/replicas';

/**
 * Two replicas on one real PostgreSQL database (127.0.0.1:5432, user
 * postgres; the suite creates and drops its own database), each with the
 * real events service and the events backend plugin, as a production
 * deployment runs them: a change replica A sees (here an action recorded
 * in the audit trail) reaches a signals subscriber of replica B through the
 * events hub's database-backed distribution. When PostgreSQL is not
 * reachable the suite fails and says so; it never skips.
 */

jest.setTimeout(240_000);

const server = setupServer();
registerMswTestHooks(server);

const CHANNEL = 'delivery:entity:component:default/checkout';

/**
 * What the signals backend does on a replica: subscribes to `signals` under
 * an id of its own (each replica's subscription gets every event).
 */
function signalsSubscriber(
  replica: string,
  received: SignalPayload[],
): BackendFeature {
  return createBackendPlugin({
    pluginId: 'signals',
    register(env) {
      env.registerInit({
        deps: { events: eventsServiceRef },
        async init({ events }) {
          await events.subscribe({
            id: `test-subscriber-${replica}`,
            topics: ['signals'],
            async onEvent({ eventPayload }) {
              received.push(eventPayload as SignalPayload);
            },
          });
        },
      });
    },
  });
}

async function until(what: string, check: () => Promise<boolean> | boolean) {
  // a bound for failure only: the replicas poll the hub with long polls
  const deadline = Date.now() + 120_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise(resolve => setTimeout(resolve, 100));
  }
}

describe('change signals across two replicas on PostgreSQL', () => {
  let db: Db;
  beforeEach(async () => {
    db = await postgresDatabase();
  });
  afterEach(async () => {
    await db?.close();
  });

  it('reach a signals subscriber of replica B when replica A records an action', async () => {
    server.use(
      // each replica's events service talks to its own events backend
      http.all(/^http:\/\/localhost:\d+\/api\/events\//, () => passthrough()),
      ...worldHandlers(actionRecorder()).handlers,
    );
    const onA: SignalPayload[] = [];
    const onB: SignalPayload[] = [];
    const start = (replica: string, received: SignalPayload[]) =>
      startActionsBackend({
        knex: db.client(),
        features: [
          eventsServiceFactory,
          eventsPlugin,
          signalsSubscriber(replica, received),
        ],
      });
    const a = await start('a', onA);
    const b = await start('b', onB);
    try {
      // B's subscription is in the hub's table before A publishes (a new
      // subscription reads from the events after its creation)
      const observer = db.client();
      await until('both subscriptions', async () => {
        const rows = await observer('event_bus_subscriptions').select('id');
        return rows.length >= 2;
      });

      const res = await request(a.server)
        .post(ACTIONS_PATH)
        .send({
          environment: 'production',
          rollout: 'checkout',
          action: 'promote',
          reason: 'canary looks good',
          idempotencyKey: `replicas-${Date.now()}`,
        });
      expect(res.status).toBe(200);

      await until('the signal on replica B', () =>
        onB.some(s => s.channel === CHANNEL),
      );
      const signal = onB.find(s => s.channel === CHANNEL)!;
      expect(signal).toEqual({
        recipients: { type: 'broadcast' },
        channel: CHANNEL,
        message: { type: 'changed', entityRef: 'component:default/checkout' },
      });
      // A's own subscriber has it from its local bus
      expect(onA.some(s => s.channel === CHANNEL)).toBe(true);
    } finally {
      await Promise.all([a.stop(), b.stop()]);
    }
  });
});
