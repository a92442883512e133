import { cacheServiceFactory } from '@backstage/backend-defaults/cache';
import { databaseServiceFactory } from '@backstage/backend-defaults/database';
import { schedulerServiceFactory } from '@backstage/backend-defaults/scheduler';
import { createServiceFactory } from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import eventsPlugin from '@backstage/plugin-events-backend';
import { eventsServiceFactory } from '@backstage/plugin-events-node';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import signalsPlugin from '@backstage/plugin-signals-backend';
import type { JsonObject } from '@backstage/types';
import { setupServer } from 'msw/node';
import type { AddressInfo } from 'node:net';
import {
  actionRecorder,
  deliveryConfig,
  worldHandlers,
} from '../../actions/__testUtils__/actionsWorld';
import { ENTITIES } from '../../__testUtils__/world';
import { deliveryPlugin } from '../../plugin';

/**
 * One replica of the two-process suite (twoProcessSignals.test.ts), run by
 * `child_process.fork` under the Backstage CLI's TypeScript transform: a
 * backend with the delivery, events and signals plugins on the production
 * database and cache factories, whose `backend` config (PostgreSQL, Redis)
 * comes from the parent in DELIVERY_REPLICA_CONFIG. Argo CD and Prometheus
 * are the msw world of the actions suites, in this process. Tells the parent
 * its port (`{ type: 'ready', port }`) and stops on `{ type: 'stop' }`.
 */

/** What the parent sends in DELIVERY_REPLICA_CONFIG. */
export interface ReplicaProcessConfig {
  /** The root config's `backend` block (database, cache). */
  backend: JsonObject;
}

/** A message from a replica process to its parent. */
export type ReplicaMessage =
  | { type: 'ready'; port: number }
  | { type: 'failed'; error: string };

function send(message: ReplicaMessage) {
  process.send?.(message);
}

async function main() {
  const { backend: backendConfig } = JSON.parse(
    process.env.DELIVERY_REPLICA_CONFIG ?? '{}',
  ) as ReplicaProcessConfig;
  const msw = setupServer(...worldHandlers(actionRecorder()).handlers);
  msw.listen({ onUnhandledRequest: 'bypass' });
  const catalog = catalogServiceMock({ entities: ENTITIES });
  const backend = await startTestBackend({
    features: [
      deliveryPlugin,
      eventsPlugin,
      signalsPlugin,
      // the production factories: they read `backend.database` and `backend.cache`
      databaseServiceFactory,
      cacheServiceFactory,
      schedulerServiceFactory,
      eventsServiceFactory,
      mockServices.rootConfig.factory({
        data: { backend: backendConfig, delivery: deliveryConfig() },
      }),
      mockServices.rootLogger.factory({
        level: (process.env.DELIVERY_TEST_LOG as any) ?? 'none',
      }),
      mockServices.permissions.factory({ result: AuthorizeResult.ALLOW }),
      createServiceFactory({
        service: catalogServiceRef,
        deps: {},
        factory: () => catalog,
      }),
    ],
  });
  process.on('message', async (message: { type?: string }) => {
    if (message?.type !== 'stop') return;
    try {
      // a long poll of the events hub may hold the stop for a minute; what
      // is left is dropped with the run's databases
      await Promise.race([
        backend.stop(),
        new Promise(resolve => setTimeout(resolve, 5000)),
      ]);
    } finally {
      msw.close();
      process.exit(0);
    }
  });
  process.on('disconnect', () => process.exit(0));
  send({
    type: 'ready',
    port: (backend.server.address() as AddressInfo).port,
  });
}

main().catch(error => {
  send({ type: 'failed', error: String(error?.stack ?? error) });
  process.exit(1);
});
