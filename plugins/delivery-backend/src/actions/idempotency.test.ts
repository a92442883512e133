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
      (bindings as unknown[]).includes(key) &&
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
