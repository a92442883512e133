import request from 'supertest';
import {
  replicaRun,
  startReplicaProcess,
  type ReplicaProcess,
  type ReplicaRun,
} from './__testUtils__/replicaProcesses';

/**
 * Two replicas as a production deployment runs them: two backend
 * processes (each the delivery, events and signals plugins on Backstage's
 * own database and cache factories) on one real PostgreSQL
 * (127.0.0.1:5432; the run's databases are created by the replicas and
 * dropped afterwards) and one real Redis (127.0.0.1:6379,
 * `backend.cache.store: redis` under the run's namespace, deleted
 * afterwards). Replica A (the only one watching Argo CD) sees an
 * Application change on its stream, then records an action in the audit
 * trail; a browser's connection to replica B's signals endpoint, subscribed
 * to the entity's channel as the signals frontend does, receives each. Nothing but
 * the events hub's database-backed distribution joins the two processes.
 * When PostgreSQL or Redis is not reachable the suite fails and says so.
 */

// ~50 s alone; the bound leaves room for a loaded machine (npm test runs
// suites side by side on two cores)
jest.setTimeout(240_000);

const ENTITY_REF = 'component:default/checkout';
const CHANNEL = `delivery:entity:${ENTITY_REF}`;
const ACTIONS_PATH =
  '/api/delivery/v1/entities/default/component/checkout/actions';

async function until(what: string, check: () => Promise<boolean> | boolean) {
  // a bound for failure only
  const deadline = Date.now() + 60_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise(resolve => setTimeout(resolve, 100));
  }
}

/** One WebSocket to a replica's signals endpoint; undefined when it did not open within 3 s. */
function openSocket(port: number): Promise<WebSocket | undefined> {
  const socket = new WebSocket(`ws://localhost:${port}/api/signals`);
  return new Promise(done => {
    const timer = setTimeout(() => {
      socket.close();
      done(undefined);
    }, 3000);
    socket.addEventListener('open', () => {
      clearTimeout(timer);
      done(socket);
    });
    socket.addEventListener('error', () => {
      clearTimeout(timer);
      done(undefined);
    });
  });
}

/**
 * What the signals frontend does: a WebSocket to /api/signals (connecting
 * again when one does not open: the signals backend starts handling
 * upgrades at the first upgrade request it sees, which itself is left
 * unanswered), then one subscribe message per channel.
 */
async function subscribe(port: number, channel: string) {
  const received: Array<{ channel: string; message: unknown }> = [];
  let socket: WebSocket | undefined;
  for (let attempt = 0; !socket && attempt < 5; attempt++) {
    socket = await openSocket(port);
  }
  if (!socket)
    throw new Error('the signals WebSocket of replica B did not open');
  socket.addEventListener('message', event => {
    received.push(JSON.parse(String(event.data)));
  });
  socket.send(JSON.stringify({ action: 'subscribe', channel }));
  return { received, close: () => socket!.close() };
}

describe('change signals across two backend processes on PostgreSQL and Redis', () => {
  let run: ReplicaRun | undefined;
  const replicas: ReplicaProcess[] = [];

  afterEach(async () => {
    await Promise.all(replicas.splice(0).map(r => r.stop()));
    await run?.close();
  });

  it('reach a signals subscriber of replica B when replica A sees an Argo CD change or records an action', async () => {
    run = await replicaRun();
    // one after the other, as a rolling deployment starts them (the first
    // creates the databases); only A watches Argo CD, so only A sees its
    // changes
    const a = await startReplicaProcess('a', {
      backend: run.backend,
      watch: true,
    });
    replicas.push(a);
    const b = await startReplicaProcess('b', { backend: run.backend });
    replicas.push(b);
    const on = (port: number) => request(`http://localhost:${port}`);

    const tab = await subscribe(b.port, CHANNEL);
    try {
      // each replica's signals backend has its subscription in the hub's
      // table before A publishes (a new one reads from the events after it)
      const events = run.eventsDatabase();
      await until('both signals subscriptions', async () => {
        const rows = await events('event_bus_subscriptions')
          .select('id')
          .whereLike('id', 'signals.%');
        return rows.length >= 2;
      });
      // B read the subscribe message before anything is published
      await new Promise(resolve => setTimeout(resolve, 200));
      const signalled = () => tab.received.some(s => s.channel === CHANNEL);
      const expected = {
        channel: CHANNEL,
        message: { type: 'changed', entityRef: ENTITY_REF },
      };

      // 1. Argo CD streams a change of checkout's Application to A: a view
      // on A opens the stream; once it is current, a change is a signal
      expect(
        (
          await on(a.port).get(
            '/api/delivery/v1/entities/default/component/checkout/overview',
          )
        ).status,
      ).toBe(200);
      // (a change sent before the stream is current is part of its fill)
      let sentAt = 0;
      await until(
        'the Argo CD change on the tab connected to replica B',
        () => {
          if (!signalled() && Date.now() - sentAt > 1000) {
            a.send({ type: 'argocd-change' });
            sentAt = Date.now();
          }
          return signalled();
        },
      );
      expect(tab.received.find(s => s.channel === CHANNEL)).toEqual(expected);

      // 2. A records an action in the audit trail (once the signals of the
      // changes have all arrived, so only the action's can count)
      let count = -1;
      await until('no more signals of the changes', async () => {
        const before = count;
        count = tab.received.length;
        if (before !== count) {
          await new Promise(resolve => setTimeout(resolve, 2000));
          return false;
        }
        return true;
      });
      tab.received.length = 0;
      const res = await on(a.port)
        .post(ACTIONS_PATH)
        .send({
          environment: 'production',
          rollout: 'checkout',
          action: 'promote',
          reason: 'canary looks good',
          idempotencyKey: `two-processes-${Date.now()}`,
        });
      expect(res.status).toBe(200);
      await until('the action on the tab connected to replica B', signalled);
      expect(tab.received.find(s => s.channel === CHANNEL)).toEqual(expected);

      // the replicas' caches are Redis: their reads were cached there
      expect((await run.redisKeys()).some(k => k.includes(':delivery:'))).toBe(
        true,
      );
    } finally {
      tab.close();
    }
  });
});
