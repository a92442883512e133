import { registerMswTestHooks } from '@backstage/backend-test-utils';
import { setupServer } from 'msw/node';
import {
  CONCURRENT,
  concurrentPromotes,
  concurrentSameKey,
  guardRunsOncePerTick,
  postgresDatabase,
  startReplicas,
  type Db,
} from './__testUtils__/replicas';

/**
 * Two backend replicas on one real PostgreSQL database (127.0.0.1:5432,
 * user postgres; the suite creates and drops its own database): the
 * per-rollout lock, the idempotency keys and the guard's global schedule
 * must hold across them. When PostgreSQL is not reachable the suite fails
 * and says so; it never skips.
 */

jest.setTimeout(60_000);

const server = setupServer();
registerMswTestHooks(server);

describe('two replicas on one PostgreSQL database', () => {
  let db: Db;
  beforeEach(async () => {
    db = await postgresDatabase();
  });
  afterEach(async () => {
    await db?.close();
  });

  it(`lets exactly one of ${CONCURRENT} concurrent promotes reach Argo CD and audits all of them`, async () => {
    const replicas = await startReplicas(db, 2);
    try {
      await concurrentPromotes(server, db, replicas);
    } finally {
      await Promise.all(replicas.map(r => r.stop()));
    }
  });

  it.each([2, 5, 50])(
    'executes %i concurrent requests with one idempotency key once, and each answers with its record',
    async count => {
      const replicas = await startReplicas(db, 2);
      try {
        await concurrentSameKey(server, db, replicas, count);
      } finally {
        await Promise.all(replicas.map(r => r.stop()));
      }
    },
  );

  it('runs the guard on one replica per tick and aborts a breaching canary once', async () => {
    await guardRunsOncePerTick(server, db, 2);
  });
});
