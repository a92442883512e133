import { registerMswTestHooks } from '@backstage/backend-test-utils';
import { setupServer } from 'msw/node';
import {
  CONCURRENT,
  concurrentPromotes,
  concurrentSameKey,
  guardRunsOncePerTick,
  sqliteDatabase,
  startReplicas,
  type Db,
} from './__testUtils__/replicas';

/** The replica suite's single-instance case, on SQLite (the demo's database). */

jest.setTimeout(60_000);

const server = setupServer();
registerMswTestHooks(server);

describe('one replica on SQLite', () => {
  let db: Db;
  beforeEach(async () => {
    db = await sqliteDatabase();
  });
  afterEach(async () => {
    await db?.close();
  });

  it(`lets exactly one of ${CONCURRENT} concurrent promotes reach Argo CD and audits all of them`, async () => {
    const replicas = await startReplicas(db, 1);
    try {
      await concurrentPromotes(server, db, replicas);
    } finally {
      await Promise.all(replicas.map(r => r.stop()));
    }
  });

  it.each([2, 5, 50])(
    'executes %i concurrent requests with one idempotency key once, and each answers with its record',
    async count => {
      const replicas = await startReplicas(db, 1);
      try {
        await concurrentSameKey(server, db, replicas, count);
      } finally {
        await Promise.all(replicas.map(r => r.stop()));
      }
    },
  );

  it('runs the guard once per tick and aborts a breaching canary once', async () => {
    await guardRunsOncePerTick(server, db, 1);
  });
});
