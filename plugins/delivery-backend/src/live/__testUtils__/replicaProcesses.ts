import type { JsonObject } from '@backstage/types';
import knexFactory, { type Knex } from 'knex';
import { fork, type ChildProcess } from 'node:child_process';
import { createConnection } from 'node:net';
import { resolve } from 'node:path';
import type {
  ParentMessage,
  ReplicaMessage,
  ReplicaProcessConfig,
} from './replicaProcess';

/**
 * The parent's side of the two-process suite: a run's own databases on the
 * real PostgreSQL and its own namespace on the real Redis, both removed
 * afterwards, and replica processes started with child_process.fork.
 */

const PG = { host: '127.0.0.1', port: 5432, user: 'postgres' };
const REDIS = { host: '127.0.0.1', port: 6379 };

/** The `backend` block of a run: PostgreSQL and Redis, under the run's names. */
export interface ReplicaRun {
  backend: JsonObject;
  /** A client on the database the events backend uses on every replica. */
  eventsDatabase(): Knex;
  /** Keys the replicas' caches wrote to Redis under the run's namespace. */
  redisKeys(): Promise<string[]>;
  /** Drops the run's databases and deletes its Redis keys. */
  close(): Promise<void>;
}

/** One RESP command to the local Redis; resolves with its raw answer. */
function redisCommand(...args: string[]): Promise<string> {
  return new Promise((done, fail) => {
    const socket = createConnection(REDIS);
    let answer = '';
    socket.setTimeout(5000, () => {
      socket.destroy();
      fail(new Error('Redis did not answer within 5 s'));
    });
    socket.on('error', error =>
      fail(
        new Error(
          `The two-process suite needs Redis at ${REDIS.host}:${REDIS.port}, which is not reachable: ${error.message}`,
        ),
      ),
    );
    socket.on('data', chunk => {
      answer += chunk.toString('utf8');
      // the suite's commands answer with one line, or an array of bulk strings
      if (/\r\n$/.test(answer) && complete(answer)) {
        socket.end();
        done(answer);
      }
    });
    socket.write(
      `*${args.length}\r\n${args
        .map(a => `$${Buffer.byteLength(a)}\r\n${a}\r\n`)
        .join('')}`,
    );
  });
}

/** Whether a RESP answer (a simple value, or an array of bulk strings) is whole. */
function complete(answer: string): boolean {
  if (answer[0] !== '*') return true;
  const lines = answer.split('\r\n');
  const count = Number(lines[0].slice(1));
  // each element is a `$len` line and its value line
  return count <= 0 || lines.length - 1 >= 2 * count + 1;
}

function bulkStrings(answer: string): string[] {
  const lines = answer.split('\r\n');
  return lines.filter((_, i) => i > 0 && i % 2 === 0 && i < lines.length - 1);
}

/** Creates the run's names; checks that PostgreSQL and Redis answer. */
export async function replicaRun(): Promise<ReplicaRun> {
  const admin = knexFactory({
    client: 'pg',
    connection: { ...PG, database: 'postgres' },
  });
  try {
    await admin.raw('select 1');
  } catch (error) {
    await admin.destroy();
    throw new Error(
      `The two-process suite needs PostgreSQL at ${PG.host}:${PG.port} (user ${
        PG.user
      }, trust auth), which is not reachable: ${(error as Error).message}`,
    );
  }
  await redisCommand('PING');
  const run = `delivery_2p_${process.pid}_${Date.now()}`;
  // each plugin's database is `<prefix><pluginId>`, created by the replicas
  const prefix = `${run}_`;
  const namespace = run;
  const clients: Knex[] = [];
  return {
    backend: {
      database: { client: 'pg', connection: PG, prefix },
      cache: {
        store: 'redis',
        connection: `redis://${REDIS.host}:${REDIS.port}`,
        redis: { client: { namespace } },
      },
    },
    eventsDatabase() {
      const client = knexFactory({
        client: 'pg',
        connection: { ...PG, database: `${prefix}events` },
        pool: { min: 0, max: 2 },
      });
      clients.push(client);
      return client;
    },
    async redisKeys() {
      return bulkStrings(await redisCommand('KEYS', `${namespace}:*`));
    },
    async close() {
      await Promise.all(clients.map(c => c.destroy()));
      try {
        const { rows } = await admin.raw(
          'select datname from pg_database where datname like ?',
          [`${prefix}%`],
        );
        for (const { datname } of rows as Array<{ datname: string }>) {
          await admin.raw('drop database if exists ?? with (force)', [datname]);
        }
      } finally {
        await admin.destroy();
      }
      await redisCommand(
        'EVAL',
        "for _, k in ipairs(redis.call('KEYS', ARGV[1])) do redis.call('DEL', k) end return 0",
        '0',
        `${namespace}:*`,
      );
    },
  };
}

/** A replica running in its own process. */
export interface ReplicaProcess {
  port: number;
  /** Sends the process a message (see ParentMessage). */
  send(message: ParentMessage): void;
  /** Stops the backend and waits for the process to end. */
  stop(): Promise<void>;
}

const SCRIPT = resolve(__dirname, 'replicaProcess.ts');

/** Forks one replica on the run's `backend` config; resolves once it serves. */
export function startReplicaProcess(
  name: string,
  config: ReplicaProcessConfig,
): Promise<ReplicaProcess> {
  const child: ChildProcess = fork(SCRIPT, [], {
    // the TypeScript transform `backstage-cli package start` runs a backend with
    execArgv: [
      '--require',
      require.resolve('@backstage/cli/config/nodeTransform.cjs'),
    ],
    env: {
      ...process.env,
      DELIVERY_REPLICA_CONFIG: JSON.stringify(config),
    },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const exited = new Promise<void>(done => child.once('exit', () => done()));
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.send({ type: 'stop' });
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    await exited;
    clearTimeout(timer);
  };
  return new Promise((done, fail) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      fail(new Error(`replica ${name} did not start within 120 s`));
    }, 120_000);
    child.on('message', (message: ReplicaMessage | { type: 'watch' }) => {
      if (message.type === 'ready') {
        clearTimeout(timer);
        done({
          port: message.port,
          send: m => {
            child.send(m);
          },
          stop,
        });
      } else if (message.type === 'failed') {
        clearTimeout(timer);
        fail(new Error(`replica ${name} failed to start: ${message.error}`));
      }
    });
    child.once('exit', code => {
      clearTimeout(timer);
      fail(new Error(`replica ${name} exited with code ${code}`));
    });
  });
}
