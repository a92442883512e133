import knexFactory, { type Knex } from 'knex';
import {
  createAuditStore,
  DuplicateIdempotencyKeyError,
  type NewAuditRecord,
} from './AuditStore';
import { migrateDeliveryDatabase } from './migrate';
import { createRolloutLock } from './RolloutLock';

function record(overrides: Partial<NewAuditRecord> = {}): NewAuditRecord {
  return {
    actor: 'user:default/ada',
    entityRef: 'component:default/checkout',
    environment: 'production',
    instance: 'main',
    rollout: 'checkout',
    rolloutKey: 'main//checkout-production/checkout/checkout',
    action: 'promote',
    reason: 'soaked fine',
    decision: 'allowed',
    outcome: 'requested',
    ...overrides,
  };
}

describe('AuditStore and RolloutLock on SQLite', () => {
  let knex: Knex;
  beforeEach(async () => {
    knex = knexFactory({
      client: 'better-sqlite3',
      connection: ':memory:',
      useNullAsDefault: true,
    });
    await migrateDeliveryDatabase(knex);
  });
  afterEach(() => knex.destroy());

  it('records a request and its outcome, keeping the gate results', async () => {
    const store = createAuditStore(knex);
    const gates = [
      {
        name: 'soak',
        kind: 'soak',
        outcome: 'pass' as const,
        blocking: false,
        reason: 'ok',
        evidence: [],
      },
    ];
    const requested = await store.insert(
      record({ gates, idempotencyKey: 'k1', correlationId: 'c1' }),
    );
    expect(requested).toMatchObject({
      outcome: 'requested',
      gates,
      idempotencyKey: 'k1',
      correlationId: 'c1',
    });
    expect(requested.id).toMatch(/^[0-9a-f-]{36}$/);
    const done = await store.complete(requested.id, {
      outcome: 'succeeded',
      upstreamStatus: 200,
    });
    expect(done).toMatchObject({
      outcome: 'succeeded',
      upstreamStatus: 200,
      updatedAt: expect.any(String),
    });
    expect(
      await store.findByIdempotencyKey('component:default/checkout', 'k1'),
    ).toEqual(done);
    expect(
      await store.findByIdempotencyKey('component:default/payments', 'k1'),
    ).toBeUndefined();
  });

  it('refuses a second record with the same idempotency key for the entity', async () => {
    const store = createAuditStore(knex);
    await store.insert(record({ idempotencyKey: 'same' }));
    await expect(
      store.insert(record({ idempotencyKey: 'same' })),
    ).rejects.toBeInstanceOf(DuplicateIdempotencyKeyError);
    await expect(
      store.insert(
        record({
          idempotencyKey: 'same',
          entityRef: 'component:default/payments',
        }),
      ),
    ).resolves.toBeDefined();
    // records without a key never collide
    await store.insert(record());
    await store.insert(record());
  });

  it('pages newest first and filters', async () => {
    const store = createAuditStore(knex);
    for (let i = 0; i < 7; i++) {
      await store.insert(
        record({ reason: `r${i}`, action: i % 2 ? 'abort' : 'promote' }),
      );
    }
    await store.insert(record({ entityRef: 'component:default/other' }));
    const first = await store.list({
      entityRef: 'component:default/checkout',
      limit: 3,
    });
    expect(first.items.map(r => r.reason)).toEqual(['r6', 'r5', 'r4']);
    const second = await store.list({
      entityRef: 'component:default/checkout',
      limit: 3,
      cursor: first.nextCursor,
    });
    expect(second.items.map(r => r.reason)).toEqual(['r3', 'r2', 'r1']);
    const third = await store.list({
      entityRef: 'component:default/checkout',
      limit: 3,
      cursor: second.nextCursor,
    });
    expect(third.items.map(r => r.reason)).toEqual(['r0']);
    expect(third.nextCursor).toBeUndefined();
    const aborts = await store.list({
      entityRef: 'component:default/checkout',
      limit: 10,
      action: 'abort',
    });
    expect(aborts.items.map(r => r.reason)).toEqual(['r5', 'r3', 'r1']);
    await expect(
      store.list({
        entityRef: 'component:default/checkout',
        limit: 3,
        cursor: 'garbage',
      }),
    ).rejects.toThrow('cursor');
  });

  it('marks records left requested as outcome-unknown, except while their lease is held', async () => {
    const store = createAuditStore(knex);
    const lock = createRolloutLock(knex);
    const crashed = await store.insert(record());
    const inFlight = await store.insert(
      record({ rolloutKey: 'main//other/ns/other', rollout: 'other' }),
    );
    await lock.acquire('main//other/ns/other', 'replica-b', 60_000);
    const unfinished = await store.markUnfinished();
    expect(unfinished.map(u => u.record.id)).toEqual([crashed.id]);
    expect(unfinished[0].record).toMatchObject({
      outcome: 'outcome-unknown',
      message: expect.stringContaining('unknown'),
    });
    const page = await store.list({
      entityRef: 'component:default/checkout',
      limit: 10,
    });
    expect(page.items.find(r => r.id === inFlight.id)?.outcome).toBe(
      'requested',
    );
    // nothing left to mark on a second start
    expect(await store.markUnfinished()).toEqual([]);
    await store.annotate(crashed.id, 'live state: aborted');
    const after = await store.list({
      entityRef: 'component:default/checkout',
      limit: 10,
    });
    expect(after.items.find(r => r.id === crashed.id)?.message).toMatch(
      /unknown\. live state: aborted$/,
    );
  });

  it('lets one holder take a rollout lease at a time and remembers the last action', async () => {
    const lock = createRolloutLock(knex);
    const lease = await lock.acquire('key', 'a', 60_000);
    expect(lease).toMatchObject({ rolloutKey: 'key', holder: 'a' });
    expect(await lock.acquire('key', 'b', 60_000)).toBeUndefined();
    expect(await lock.acquire('other', 'b', 60_000)).toBeDefined();
    await lock.release(lease!, 'promote@7d5979db69/4');
    const next = await lock.acquire('key', 'b', 60_000);
    expect(next).toMatchObject({
      holder: 'b',
      lastAction: 'promote@7d5979db69/4',
    });
  });

  it('lets a lease expire so a crashed holder does not block forever', async () => {
    const lock = createRolloutLock(knex);
    await lock.acquire('key', 'crashed', 1);
    await new Promise(r => setTimeout(r, 5));
    expect(await lock.acquire('key', 'b', 60_000)).toMatchObject({
      holder: 'b',
    });
  });
});
