import {
  postgresDatabase,
  sqliteDatabase,
} from '../actions/__testUtils__/replicas';
import { migrateDeliveryDatabase } from '../audit/migrate';
import { createDeploymentStore, type RecordedEvent } from './DeploymentStore';

const T0 = Date.parse('2026-11-20T10:00:00Z');

function deployment(overrides: Partial<RecordedEvent> = {}): RecordedEvent {
  return {
    entityRef: 'component:default/checkout',
    environment: 'production',
    kind: 'deployment',
    key: `deploy:main//checkout-production@${T0}:c1`,
    at: T0,
    revision: 'c1',
    source: 'argocd',
    ...overrides,
  };
}

describe.each([
  ['SQLite', sqliteDatabase],
  ['PostgreSQL', postgresDatabase],
])('DeploymentStore on %s', (_name, open) => {
  let db: Awaited<ReturnType<typeof sqliteDatabase>>;
  beforeAll(async () => {
    db = await open();
    await migrateDeliveryDatabase(db.client());
  });
  afterAll(() => db.close());

  it('records an event once: recording the same deployment again is a no-op', async () => {
    const store = createDeploymentStore(db.client());
    const entityRef = 'component:default/once';
    const event = deployment({ entityRef, images: ['ghcr.io/acme/a:1'] });
    await store.record([event]);
    await store.record([event, { ...event }]);
    const list = await store.list({ entityRefs: [entityRef], since: 0 });
    expect(list).toEqual([{ ...event, committedAt: undefined }]);
  });

  it('fills a commit time learned later, and never rewrites a known one', async () => {
    const store = createDeploymentStore(db.client());
    const entityRef = 'component:default/commit';
    await store.record([deployment({ entityRef })]);
    await store.record([deployment({ entityRef, committedAt: T0 - 3600_000 })]);
    await store.record([deployment({ entityRef, committedAt: T0 - 60_000 })]);
    const [row] = await store.list({ entityRefs: [entityRef], since: 0 });
    expect(row.committedAt).toBe(T0 - 3600_000);
  });

  it('lists by entities, environment and time, oldest first', async () => {
    const store = createDeploymentStore(db.client());
    const a = 'component:default/list-a';
    const b = 'component:default/list-b';
    await store.record([
      deployment({ entityRef: a, key: 'k3', at: T0 + 3 }),
      deployment({ entityRef: a, key: 'k1', at: T0 + 1 }),
      deployment({ entityRef: a, key: 'old', at: T0 - 10 }),
      deployment({ entityRef: a, key: 'dev', at: T0 + 2, environment: 'dev' }),
      {
        ...deployment({ entityRef: b, key: 'abort', at: T0 + 2 }),
        kind: 'abort',
        source: 'audit',
      },
      deployment({ entityRef: 'component:default/other', key: 'x', at: T0 }),
    ]);
    const list = await store.list({
      entityRefs: [a, b],
      environment: 'production',
      since: T0,
    });
    expect(list.map(e => [e.entityRef, e.key, e.kind])).toEqual([
      [a, 'k1', 'deployment'],
      [b, 'abort', 'abort'],
      [a, 'k3', 'deployment'],
    ]);
    expect(await store.list({ entityRefs: [], since: 0 })).toEqual([]);
  });

  it('keeps the same key apart per entity (an Application shared by two components)', async () => {
    const store = createDeploymentStore(db.client());
    await store.record([
      deployment({ entityRef: 'component:default/s1', key: 'shared' }),
      deployment({ entityRef: 'component:default/s2', key: 'shared' }),
    ]);
    const list = await store.list({
      entityRefs: ['component:default/s1', 'component:default/s2'],
      since: 0,
    });
    expect(list).toHaveLength(2);
  });
});
