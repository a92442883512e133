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
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import type { AddressInfo } from 'node:net';
import {
  actionRecorder,
  deliveryConfig,
  worldHandlers,
} from '../../actions/__testUtils__/actionsWorld';
import {
  ENTITIES,
  INSTANCES_CONFIG,
  createWorld,
} from '../../__testUtils__/world';
import { deliveryPlugin } from '../../plugin';

/**
 * One replica of the two-process suite (twoProcessSignals.test.ts), run by
 * `child_process.fork` under the Backstage CLI's TypeScript transform: a
 * backend with the delivery, events and signals plugins on the production
 * database and cache factories, whose `backend` config (PostgreSQL, Redis)
 * comes from the parent in DELIVERY_REPLICA_CONFIG. Argo CD and Prometheus
 * are the msw world of the actions suites, in this process, with a stream
 * of main's Applications. Tells the parent its port (`{ type: 'ready',
 * port }`), changes an Application on the stream on `{ type:
 * 'argocd-change' }` and stops on `{ type: 'stop' }`.
 */

/** What the parent sends in DELIVERY_REPLICA_CONFIG. */
export interface ReplicaProcessConfig {
  /** The root config's `backend` block (database, cache). */
  backend: JsonObject;
  /**
   * Watch Argo CD "main" (whose Application stream this process serves);
   * default off: the replica reads per view and observes no change.
   */
  watch?: boolean;
}

/** A message from the parent: stop, or change checkout's Application on main's stream. */
export type ParentMessage = { type: 'stop' } | { type: 'argocd-change' };

const MAIN = INSTANCES_CONFIG[0].url;

/**
 * Argo CD "main"'s Application stream over the world: every Application as
 * ADDED, then what `change()` sends: checkout's production Application
 * with a new resourceVersion and another health each time.
 */
function applicationStream() {
  const encoder = new TextEncoder();
  const open = new Set<ReadableStreamDefaultController>();
  const { applications } = createWorld().main;
  const broadcast = (type: string, application: unknown) => {
    const line = encoder.encode(
      `${JSON.stringify({ result: { type, application } })}\n`,
    );
    for (const c of open) c.enqueue(line);
  };
  let version = 1000;
  const handler = http.get(`${MAIN}/api/v1/stream/applications`, () => {
    let own: ReadableStreamDefaultController;
    return new HttpResponse(
      new ReadableStream({
        start(c) {
          own = c;
          open.add(c);
          for (const application of applications) {
            c.enqueue(
              encoder.encode(
                `${JSON.stringify({
                  result: { type: 'ADDED', application },
                })}\n`,
              ),
            );
          }
        },
        cancel() {
          open.delete(own);
        },
      }),
      { headers: { 'content-type': 'application/json' } },
    );
  });
  const change = () => {
    const app = applications.find(
      a => a.metadata.name === 'checkout-production',
    )!;
    version++;
    const health = version % 2 ? 'Degraded' : 'Healthy';
    broadcast('MODIFIED', {
      ...app,
      metadata: { ...app.metadata, resourceVersion: String(version) },
      status: { ...app.status, health: { status: health } },
    });
  };
  return { handler, change };
}

/** A message from a replica process to its parent. */
export type ReplicaMessage =
  | { type: 'ready'; port: number }
  | { type: 'failed'; error: string };

function send(message: ReplicaMessage) {
  process.send?.(message);
}

async function main() {
  const { backend: backendConfig, watch = false } = JSON.parse(
    process.env.DELIVERY_REPLICA_CONFIG ?? '{}',
  ) as ReplicaProcessConfig;
  const stream = applicationStream();
  const msw = setupServer(
    stream.handler,
    ...worldHandlers(actionRecorder()).handlers,
  );
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
        data: {
          backend: backendConfig,
          delivery: deliveryConfig({
            argocd: { instances: INSTANCES_CONFIG, timeoutMs: 2000, watch },
          }),
        },
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
  process.on('message', async (message: ParentMessage) => {
    if (message?.type === 'argocd-change') stream.change();
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
