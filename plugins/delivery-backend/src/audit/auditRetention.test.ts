import type {
  BackendFeature,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import { ConfigReader } from '@backstage/config';
import { mockServices } from '@backstage/backend-test-utils';
import type { Knex } from 'knex';
import {
  deliveryConfig,
  startActionsBackend,
} from '../actions/__testUtils__/actionsWorld';
import {
  postgresDatabase,
  sqliteDatabase,
  type Db,
} from '../actions/__testUtils__/replicas';
import { createAuditStore, type NewAuditRecord } from './AuditStore';
import { migrateDeliveryDatabase } from './migrate';
import { readRetentionConfig } from './readRetentionConfig';
import {
  AUDIT_RETENTION_TASK_ID,
  scheduleAuditRetention,
} from './scheduleAuditRetention';

/** The audit retention task on SQLite (the demo) and the real PostgreSQL. */

jest.setTimeout(60_000);

const LIVE = 'delivery_audit_records';
const ARCHIVE = 'delivery_audit_records_archive';
const NOW = new Date('2026-11-27T12:00:00.000Z');
const DAY = 24 * 60 * 60 * 1000;

function record(i: number, overrides: Partial<NewAuditRecord> = {}) {
  return {
    actor: 'user:default/ada',
    entityRef: 'component:default/checkout',
    environment: 'production',
    instance: 'main',
    rollout: 'checkout',
    rolloutKey: 'main//checkout-production/checkout/checkout',
    action: 'promote' as const,
    reason: `reason ${i}`,
    decision: 'allowed' as const,
    outcome: 'succeeded' as const,
    upstreamStatus: 200,
    idempotencyKey: `key-${i}`,
    correlationId: `corr-${i}`,
    gates: [
      {
        name: 'soak',
        kind: 'soak',
        outcome: 'pass' as const,
        blocking: false,
        reason: 'soaked',
        evidence: [{ label: 'minutes', value: 12, threshold: 10 }],
      },
    ],
    ...overrides,
  };
}

/** Writes records through the store, then backdates them by `ageDays`. */
async function seed(
  knex: Knex,
  ages: Array<{ ageDays: number; outcome?: NewAuditRecord['outcome'] }>,
) {
  const store = createAuditStore(knex);
  const ids: string[] = [];
  for (const [i, { ageDays, outcome }] of ages.entries()) {
    const inserted = await store.insert(record(i, outcome ? { outcome } : {}));
    await knex(LIVE)
      .where({ id: inserted.id })
      .update({
        created_at: new Date(NOW.getTime() - ageDays * DAY).toISOString(),
      });
    ids.push(inserted.id);
  }
  return ids;
}

const sortBySeq = (rows: any[]) =>
  [...rows].sort((a, b) => Number(a.seq) - Number(b.seq));

describe.each([
  ['SQLite', sqliteDatabase],
  ['PostgreSQL', postgresDatabase],
] as const)('audit retention on %s', (_name, open) => {
  let db: Db;
  let knex: Knex;
  beforeEach(async () => {
    db = await open();
    knex = db.client();
    await migrateDeliveryDatabase(knex);
  });
  afterEach(async () => {
    await db?.close();
  });

  it('moves old records, every column intact, and leaves recent and in-flight ones', async () => {
    // ages in days; one old record is still "requested" (in flight)
    await seed(knex, [
      { ageDays: 400 },
      { ageDays: 120 },
      { ageDays: 91 },
      { ageDays: 95, outcome: 'requested' },
      { ageDays: 89 },
      { ageDays: 0 },
      { ageDays: 100 },
    ]);
    const before = sortBySeq(await knex(LIVE).select());
    const store = createAuditStore(knex);
    const cutoff = new Date(NOW.getTime() - 90 * DAY);

    // small batches: several transactions in one run
    const moved = await store.archiveOlderThan(cutoff, {
      batchSize: 2,
      now: NOW,
    });
    expect(moved).toBe(4);

    const live = sortBySeq(await knex(LIVE).select());
    const archived = sortBySeq(await knex(ARCHIVE).select());
    expect(live.map(r => r.reason)).toEqual([
      'reason 3',
      'reason 4',
      'reason 5',
    ]);
    expect(archived.map(r => r.reason)).toEqual([
      'reason 0',
      'reason 1',
      'reason 2',
      'reason 6',
    ]);
    // nothing lost, nothing doubled, nothing changed but the table
    const norm = (r: any) => ({ ...r, seq: Number(r.seq) });
    const archivedCopy = archived.map(({ archived_at, ...rest }) => {
      expect(archived_at).toBe(NOW.toISOString());
      return norm(rest);
    });
    expect(sortBySeq([...live.map(norm), ...archivedCopy])).toEqual(
      before.map(norm),
    );

    // a second run has nothing left to move
    expect(await store.archiveOlderThan(cutoff)).toBe(0);
  });

  it('answers replays of archived actions and lists only the live trail', async () => {
    await seed(knex, [{ ageDays: 200 }, { ageDays: 1 }]);
    const store = createAuditStore(knex);
    await store.archiveOlderThan(new Date(NOW.getTime() - 30 * DAY));
    const replay = await store.findByIdempotencyKey(
      'component:default/checkout',
      'key-0',
    );
    expect(replay).toMatchObject({
      reason: 'reason 0',
      outcome: 'succeeded',
      gates: [expect.objectContaining({ name: 'soak' })],
    });
    const page = await store.list({
      entityRef: 'component:default/checkout',
      limit: 10,
    });
    expect(page.items.map(r => r.reason)).toEqual(['reason 1']);
  });

  it('moves a batch all or nothing: a failed copy leaves every record in the live table', async () => {
    const ids = await seed(knex, [{ ageDays: 50 }, { ageDays: 60 }]);
    // an archive row that collides with one of the batch makes the copy fail
    const [clash] = await knex(LIVE).where({ id: ids[1] }).select();
    await knex(ARCHIVE).insert({
      ...clash,
      seq: 999_999,
      archived_at: NOW.toISOString(),
    });
    const store = createAuditStore(knex);
    const outcome = await store
      .archiveOlderThan(new Date(NOW.getTime() - 30 * DAY))
      .then(
        moved => ({ moved, live: [] as unknown[], archive: [] as unknown[] }),
        (error: Error) => ({ error: error.message }),
      );
    if ('moved' in outcome) {
      outcome.live = await knex(LIVE).select('id', 'created_at', 'outcome');
      outcome.archive = await knex(ARCHIVE).select('id', 'seq');
    }
    expect(outcome).toEqual({ error: expect.any(String) });
    expect((await knex(LIVE).select('id')).map(r => r.id).sort()).toEqual(
      [...ids].sort(),
    );
    expect(await knex(ARCHIVE).select('seq')).toEqual([
      { seq: expect.anything() },
    ]);
  });

  it('moves each record once when two runs overlap', async () => {
    await seed(
      knex,
      Array.from({ length: 30 }, () => ({ ageDays: 100 })),
    );
    const cutoff = new Date(NOW.getTime() - 30 * DAY);
    // two replicas' clients, as when a run outlives its schedule
    const other = db.client();
    const results = await Promise.allSettled([
      createAuditStore(knex).archiveOlderThan(cutoff, { batchSize: 4 }),
      createAuditStore(other).archiveOlderThan(cutoff, { batchSize: 4 }),
    ]);
    const moved = results.map(r => (r.status === 'fulfilled' ? r.value : 0));
    expect(moved[0] + moved[1]).toBe(30);
    expect(await knex(LIVE).select('id')).toEqual([]);
    const archived = await knex(ARCHIVE).select('id');
    expect(new Set(archived.map(r => r.id)).size).toBe(30);
    expect(archived).toHaveLength(30);
  });
});

describe('readRetentionConfig', () => {
  const read = (retention?: object) =>
    readRetentionConfig(
      new ConfigReader({ delivery: retention ? { audit: { retention } } : {} }),
    );

  it('is off unless configured, and runs daily by default', () => {
    expect(read()).toBeUndefined();
    expect(read({ archiveAfterDays: 90 })).toEqual({
      archiveAfterDays: 90,
      frequency: { hours: 24 },
    });
  });

  it('reads durations, ISO durations and cron', () => {
    expect(read({ archiveAfterDays: 1, frequency: { hours: 6 } })).toEqual({
      archiveAfterDays: 1,
      frequency: { hours: 6 },
    });
    expect(read({ archiveAfterDays: 1, frequency: 'P1D' })?.frequency).toEqual({
      days: 1,
    });
    expect(
      read({ archiveAfterDays: 1, frequency: { cron: '0 3 * * *' } })
        ?.frequency,
    ).toEqual({ cron: '0 3 * * *' });
  });

  it('rejects bad values with the key in the message', () => {
    expect(() => read({ archiveAfterDays: 0 })).toThrow(
      /delivery\.audit\.retention\.archiveAfterDays must be a whole number of days/,
    );
    expect(() => read({ archiveAfterDays: 1.5 })).toThrow(/whole number/);
    expect(() => read({ frequency: { hours: 1 } })).toThrow(/archiveAfterDays/);
    expect(() => read({ archiveAfterDays: 7, frequency: 'often' })).toThrow(
      /delivery\.audit\.retention\.frequency must be a duration/,
    );
  });
});

describe('scheduleAuditRetention', () => {
  it('schedules one global task that archives what is older than the configured days', async () => {
    const scheduler = mockServices.scheduler();
    const archiveOlderThan = jest.fn(async () => 3);
    const logger = mockServices.logger.mock();
    await scheduleAuditRetention({
      scheduler,
      store: { archiveOlderThan },
      config: { archiveAfterDays: 30, frequency: { hours: 12 } },
      logger,
      now: () => NOW.getTime(),
    });
    const tasks = await scheduler.getScheduledTasks();
    expect(tasks).toEqual([
      expect.objectContaining({ id: AUDIT_RETENTION_TASK_ID, scope: 'global' }),
    ]);
    await scheduler.triggerTask(AUDIT_RETENTION_TASK_ID);
    expect(archiveOlderThan).toHaveBeenCalledWith(
      new Date(NOW.getTime() - 30 * DAY),
    );
    expect(logger.info).toHaveBeenCalledWith(
      expect.stringContaining('moved 3 record(s)'),
    );
  });
});

describe('the plugin with delivery.audit.retention', () => {
  type MockScheduler = SchedulerService & {
    factory(options?: { skipTaskRunOnStartup?: boolean }): BackendFeature;
  };

  async function start(retention?: object) {
    const db = await sqliteDatabase();
    const scheduler = mockServices.scheduler() as MockScheduler;
    const backend = await startActionsBackend({
      knex: db.client(),
      delivery: deliveryConfig(retention ? { audit: { retention } } : {}),
      features: [scheduler.factory({ skipTaskRunOnStartup: true })],
    });
    return { db, scheduler, backend };
  }

  it('schedules nothing by default', async () => {
    const { db, scheduler, backend } = await start();
    try {
      const ids = (await scheduler.getScheduledTasks()).map(t => t.id);
      expect(ids).not.toContain(AUDIT_RETENTION_TASK_ID);
    } finally {
      await backend.stop();
      await db.close();
    }
  });

  it('moves old records when its task runs', async () => {
    const { db, scheduler, backend } = await start({
      archiveAfterDays: 30,
      frequency: { hours: 6 },
    });
    try {
      const knex = db.client();
      const store = createAuditStore(knex);
      const old = await store.insert(record(1));
      await knex(LIVE)
        .where({ id: old.id })
        .update({ created_at: new Date(Date.now() - 31 * DAY).toISOString() });
      const recent = await store.insert(record(2));
      await scheduler.triggerTask(AUDIT_RETENTION_TASK_ID);
      expect((await knex(LIVE).select('id')).map(r => r.id)).toEqual([
        recent.id,
      ]);
      expect((await knex(ARCHIVE).select('id')).map(r => r.id)).toEqual([
        old.id,
      ]);
    } finally {
      await backend.stop();
      await db.close();
    }
  });
});
