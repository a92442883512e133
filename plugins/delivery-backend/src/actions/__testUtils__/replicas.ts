import { schedulerServiceFactory } from '@backstage/backend-defaults/scheduler';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import type { AuditRecord } from '@gitops-delivery/backstage-plugin-delivery-common';
import knexFactory, { type Knex } from 'knex';
import type { SetupServer } from 'msw/node';
import request from 'supertest';
import {
  ACTIONS_PATH,
  actionRecorder,
  deliveryConfig,
  startActionsBackend,
  worldHandlers,
} from './actionsWorld';

/**
 * Helpers of the replica suites: replicas of the plugin on one database
 * (each with its own client, like real replicas), with the real scheduler,
 * against the msw world.
 */

const PG = { host: '127.0.0.1', port: 5432, user: 'postgres' };
export const CONCURRENT = 100;

export type Backend = Awaited<ReturnType<typeof startActionsBackend>>;

export interface Db {
  /** A new client on the suite's database (one per replica, like real replicas). */
  client(): Knex;
  close(): Promise<void>;
}

export async function postgresDatabase(): Promise<Db> {
  const admin = knexFactory({
    client: 'pg',
    connection: { ...PG, database: 'postgres' },
  });
  try {
    await admin.raw('select 1');
  } catch (error) {
    await admin.destroy();
    throw new Error(
      `The multi-replica suite needs PostgreSQL at ${PG.host}:${
        PG.port
      } (user ${PG.user}, trust auth), which is not reachable: ${
        (error as Error).message
      }`,
    );
  }
  const name = `delivery_test_${process.pid}_${Date.now()}`;
  await admin.raw('create database ??', [name]);
  const clients: Knex[] = [];
  return {
    client() {
      const client = knexFactory({
        client: 'pg',
        connection: { ...PG, database: name },
        pool: { min: 0, max: 10 },
      });
      clients.push(client);
      return client;
    },
    async close() {
      await Promise.all(clients.map(c => c.destroy()));
      await admin.raw('drop database if exists ?? with (force)', [name]);
      await admin.destroy();
    },
  };
}

export async function sqliteDatabase(): Promise<Db> {
  const knex = knexFactory({
    client: 'better-sqlite3',
    connection: ':memory:',
    useNullAsDefault: true,
  });
  return { client: () => knex, close: () => knex.destroy() };
}

/**
 * Counts guard ticks per replica: only the guard lists entities. A tick's
 * start is also the end of the tick before it (one replica runs a global
 * task at a time), so `reached(n)` means n - 1 whole ticks have run.
 */
export function tickCounter() {
  const ticks: Array<{ replica: number; at: number }> = [];
  const waiters: Array<{ count: number; resolve: () => void }> = [];
  const reached = (count: number) =>
    new Promise<void>(resolve => {
      if (ticks.length >= count) resolve();
      else waiters.push({ count, resolve });
    });
  const wrap =
    (replica: number) =>
    (catalog: CatalogService): CatalogService =>
      new Proxy(catalog, {
        get(target, property) {
          if (property === 'getEntities') {
            return (...args: Parameters<CatalogService['getEntities']>) => {
              ticks.push({ replica, at: Date.now() });
              for (const w of waiters.filter(x => ticks.length >= x.count)) {
                w.resolve();
              }
              return target.getEntities(...args);
            };
          }
          const value = Reflect.get(target, property);
          return typeof value === 'function' ? value.bind(target) : value;
        },
      });
  return { ticks, wrap, reached };
}

export async function startReplicas(
  db: Db,
  count: number,
  options: {
    guard?: boolean;
    wrap?: (replica: number) => (c: CatalogService) => CatalogService;
  } = {},
): Promise<Backend[]> {
  const replicas: Backend[] = [];
  // one after the other, as a rolling deployment starts them
  for (let i = 0; i < count; i++) {
    replicas.push(
      await startActionsBackend({
        knex: db.client(),
        delivery: deliveryConfig(
          options.guard ? { guard: { enabled: true, intervalSeconds: 1 } } : {},
        ),
        features: [schedulerServiceFactory],
        catalogWrapper: options.wrap?.(i),
      }),
    );
  }
  return replicas;
}

export async function auditRows(db: Db): Promise<AuditRecord[]> {
  const rows = await db.client()('delivery_audit_records').select();
  return rows.map(r => ({
    id: r.id,
    decision: r.decision,
    entityRef: r.entity_ref,
    createdAt: r.created_at,
    outcome: r.outcome,
    // a busy attempt freed its key for a retry; it still shows the key
    idempotencyKey: r.idempotency_key ?? r.released_idempotency_key,
    gates: r.gates ? JSON.parse(r.gates) : undefined,
  })) as AuditRecord[];
}

export async function concurrentPromotes(
  server: SetupServer,
  db: Db,
  replicas: Backend[],
) {
  const recorder = actionRecorder({ delayMs: 50 });
  server.use(...worldHandlers(recorder).handlers);
  const keys = Array.from(
    { length: CONCURRENT },
    (_, i) => `concurrent-${i}-${Date.now()}`,
  );
  const responses = await Promise.all(
    keys.map((idempotencyKey, i) =>
      request(replicas[i % replicas.length].server)
        .post(ACTIONS_PATH)
        .send({
          environment: 'production',
          rollout: 'checkout',
          action: 'promote',
          reason: `click ${i}`,
          idempotencyKey,
        }),
    ),
  );
  const statuses = responses.map(r => r.status);
  expect(statuses.filter(s => s === 200)).toHaveLength(1);
  expect(statuses.filter(s => s === 409)).toHaveLength(CONCURRENT - 1);
  expect(recorder.calls).toHaveLength(1);
  expect(recorder.calls[0]).toMatchObject({
    version: 'v2',
    body: { action: 'resume' },
  });

  const rows = await auditRows(db);
  expect(rows).toHaveLength(CONCURRENT);
  // none lost: every request left exactly its own record
  expect(rows.map(r => r.idempotencyKey).sort()).toEqual([...keys].sort());
  expect(rows.filter(r => r.outcome === 'succeeded')).toHaveLength(1);
  expect(rows.filter(r => r.outcome === 'rejected')).toHaveLength(
    CONCURRENT - 1,
  );
  expect(rows.filter(r => r.outcome === 'requested')).toHaveLength(0);
}

/**
 * `count` concurrent promotes with one idempotency key, spread over the
 * replicas: exactly one reaches Argo CD, every request answers with that
 * execution's record, the key holds exactly that record, and a later retry
 * with the key replays it.
 */
export async function concurrentSameKey(
  server: SetupServer,
  db: Db,
  replicas: Backend[],
  count: number,
) {
  // Argo CD answers slowly, so the other requests arrive while the key's one execution runs
  const recorder = actionRecorder({ delayMs: 100 });
  server.use(...worldHandlers(recorder).handlers);
  const idempotencyKey = `same-key-${count}-${Date.now()}`;
  const send = (i: number) =>
    request(replicas[i % replicas.length].server)
      .post(ACTIONS_PATH)
      .send({
        environment: 'production',
        rollout: 'checkout',
        action: 'promote',
        reason: `click ${i}`,
        idempotencyKey,
      });
  const responses = await Promise.all(
    Array.from({ length: count }, (_, i) => send(i)),
  );

  expect(recorder.calls).toHaveLength(1);
  expect(responses.map(r => r.status)).toEqual(
    Array.from({ length: count }, () => 200),
  );
  const ids = new Set(responses.map(r => r.body.record.id));
  expect(ids.size).toBe(1);
  // the execution's outcome, not its in-flight `requested` record
  for (const response of responses) {
    expect(response.body.record.outcome).toBe('succeeded');
  }
  const rows = (await auditRows(db)).filter(
    r => r.idempotencyKey === idempotencyKey,
  );
  expect(rows).toEqual([
    expect.objectContaining({ id: [...ids][0], outcome: 'succeeded' }),
  ]);

  // the key is not poisoned: a retry replays the execution, calling nothing
  const retry = await send(count);
  expect(retry.status).toBe(200);
  expect(retry.body.record.id).toBe(rows[0].id);
  expect(recorder.calls).toHaveLength(1);
}

export async function guardRunsOncePerTick(
  server: SetupServer,
  db: Db,
  replicaCount: number,
) {
  const recorder = actionRecorder();
  let aborted: () => void;
  const abortSent = new Promise<void>(resolve => {
    aborted = resolve;
  });
  server.use(...worldHandlers(recorder, 0.08).handlers);
  const { ticks, wrap, reached } = tickCounter();
  const replicas = await startReplicas(db, replicaCount, { guard: true, wrap });
  try {
    // the first abort, then two more ticks that see the same canary
    // revision and must not abort it again
    const poll = setInterval(() => recorder.calls.length > 0 && aborted(), 10);
    try {
      await abortSent;
    } finally {
      clearInterval(poll);
    }
    await reached(ticks.length + 2);
  } finally {
    await Promise.all(replicas.map(r => r.stop()));
  }

  // a 1 s global task: one run per interval in total, never one per replica
  const times = ticks.map(t => t.at).sort((a, b) => a - b);
  for (let i = 1; i < times.length; i++) {
    expect(times[i] - times[i - 1]).toBeGreaterThanOrEqual(500);
  }
  // the breaching canary is aborted once, however many ticks saw it
  expect(recorder.calls).toHaveLength(1);
  expect(recorder.calls[0]).toMatchObject({ body: { action: 'abort' } });
  const guarded = (await auditRows(db)).filter(r => r.decision === 'guard');
  expect(guarded).toHaveLength(1);
  expect(guarded[0].outcome).toBe('succeeded');
  expect(guarded[0].gates).toContainEqual(
    expect.objectContaining({ kind: 'slo', outcome: 'fail' }),
  );
}
