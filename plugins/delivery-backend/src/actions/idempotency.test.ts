import { registerMswTestHooks } from '@backstage/backend-test-utils';
import knexFactory, { type Knex } from 'knex';
import { setupServer } from 'msw/node';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import {
  ACTIONS_PATH,
  actionRecorder,
  startActionsBackend,
  worldHandlers,
} from './__testUtils__/actionsWorld';

/**
 * A request whose idempotency key is held by an execution still without an
 * outcome: it waits for that outcome (bounded by the lock's lease) and
 * answers with the execution's record, writing none of its own.
 */

const server = setupServer();
registerMswTestHooks(server);

const TABLE = 'delivery_audit_records';

let knex: Knex;
beforeEach(() => {
  knex = knexFactory({
    client: 'better-sqlite3',
    connection: ':memory:',
    useNullAsDefault: true,
  });
});
afterEach(() => knex.destroy());

function promote(idempotencyKey: string) {
  return {
    environment: 'production',
    rollout: 'checkout',
    action: 'promote',
    reason: 'ship it',
    idempotencyKey,
  };
}

/** The record of an execution on another replica, still `requested`. */
async function inFlight(idempotencyKey: string, createdAt: Date) {
  const id = randomUUID();
  await knex(TABLE).insert({
    id,
    created_at: createdAt.toISOString(),
    actor: 'user:default/other',
    entity_ref: 'component:default/checkout',
    environment: 'production',
    instance: 'main',
    rollout: 'checkout',
    action: 'promote',
    reason: 'first click',
    decision: 'allowed',
    outcome: 'requested',
    idempotency_key: idempotencyKey,
    rollout_key: 'main//checkout-production/checkout/checkout',
  });
  return id;
}

async function start() {
  const recorder = actionRecorder();
  server.use(...worldHandlers(recorder).handlers);
  const backend = await startActionsBackend({ knex });
  return { recorder, app: backend.server };
}

it('waits for the in-flight execution of its key and answers with its record', async () => {
  const { recorder, app } = await start();
  const key = `in-flight-${Date.now()}`;
  const id = await inFlight(key, new Date());
  // the execution ends once the waiting request has seen it still running
  let seen = 0;
  knex.on('query', ({ sql, bindings }) => {
    if (
      sql.includes(TABLE) &&
      sql.startsWith('select') &&
      ((bindings as unknown[]).includes(key) ||
        (bindings as unknown[]).includes(id)) &&
      ++seen === 2
    ) {
      setImmediate(() =>
        knex(TABLE)
          .where({ id })
          .update({ outcome: 'succeeded', upstream_status: 200 })
          .catch(() => {}),
      );
    }
  });

  const res = await request(app).post(ACTIONS_PATH).send(promote(key));
  expect(seen).toBeGreaterThan(2);
  expect(res.status).toBe(200);
  expect(res.body.record).toMatchObject({ id, outcome: 'succeeded' });
  expect(recorder.calls).toHaveLength(0);
  expect(await knex(TABLE).where({ idempotency_key: key })).toHaveLength(1);
});

it('answers 409 without a record of its own when the execution has had no outcome for longer than the lease', async () => {
  const { recorder, app } = await start();
  const key = `stuck-${Date.now()}`;
  const id = await inFlight(key, new Date(Date.now() - 61_000));

  const res = await request(app).post(ACTIONS_PATH).send(promote(key));
  expect(res.status).toBe(409);
  expect(res.body.error.message).toBe(
    `The action with idempotency key "${key}" has no outcome yet; retry with the same key later`,
  );
  expect(res.body.error.record).toMatchObject({ id, outcome: 'requested' });
  expect(recorder.calls).toHaveLength(0);
  expect(await knex(TABLE).where({ idempotency_key: key })).toHaveLength(1);
});

it('frees the key of an attempt that found the rollout busy, so a retry with the same key runs', async () => {
  const { recorder, app } = await start();
  const key = `busy-${Date.now()}`;
  const rolloutKey = 'main/argocd/checkout-production/checkout/checkout';
  // another action (a person's, another replica's) holds the rollout
  await knex('delivery_rollout_locks').insert({
    rollout_key: rolloutKey,
    holder: 'someone-else',
    lease_expires_at: Date.now() + 60_000,
  });

  const busy = await request(app).post(ACTIONS_PATH).send(promote(key));
  expect(busy.status).toBe(409);
  expect(busy.body.error.message).toMatch(/in progress; try again/);
  expect(recorder.calls).toHaveLength(0);

  await knex('delivery_rollout_locks')
    .where({ rollout_key: rolloutKey })
    .update({ holder: null, lease_expires_at: 0 });
  const retried = await request(app).post(ACTIONS_PATH).send(promote(key));
  expect(retried.status).toBe(200);
  expect(retried.body.record).toMatchObject({
    outcome: 'succeeded',
    idempotencyKey: key,
  });
  expect(recorder.calls).toHaveLength(1);
  // both attempts are in the audit trail; only the execution holds the key
  const rows = await knex(TABLE).where({ reason: 'ship it' });
  expect(
    rows
      .map(r => [r.outcome, r.idempotency_key, r.released_idempotency_key])
      .sort(),
  ).toEqual([
    ['rejected', null, key],
    ['succeeded', key, null],
  ]);
  // the audit route still shows the key the busy attempt was sent with
  const audit = await request(app).get(
    '/api/delivery/v1/entities/default/component/checkout/audit',
  );
  expect(
    audit.body.items.map((r: any) => [r.outcome, r.idempotencyKey]).sort(),
  ).toEqual([
    ['rejected', key],
    ['succeeded', key],
  ]);
});
