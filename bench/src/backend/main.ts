import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { eventsServiceFactory } from '@backstage/plugin-events-node';
import type { AddressInfo } from 'node:net';
import { benchEntities } from './entities';
import { communityConfig, deliveryConfig } from './config';

/**
 * A backend under test, run as a child process of the benchmark runner so
 * that its RSS is its own: a Backstage test backend (mock auth that treats
 * unauthenticated calls as a signed-in user, in-memory cache, a mock catalog
 * holding the demo entities and the generated ones) with either the Delivery
 * backend plugin or the community Argo CD backend plugin.
 *
 * Environment: BENCH_PLUGIN (delivery | community), BENCH_SANDBOX_URL,
 * BENCH_TTL_SECONDS (Delivery's live-state cache TTL), BENCH_ENTITIES,
 * BENCH_WATCH (`on` / `off`: Delivery's Argo CD watch streams; unset: as
 * app-config.yaml says), BENCH_SIGNALS (`on`: the signals backend plugin and
 * the events service, so that Delivery's change signals reach browsers).
 */
async function main() {
  const plugin = process.env.BENCH_PLUGIN ?? 'delivery';
  const sandboxUrl = process.env.BENCH_SANDBOX_URL;
  if (!sandboxUrl) throw new Error('BENCH_SANDBOX_URL is required');
  const ttlSeconds = Number(process.env.BENCH_TTL_SECONDS ?? '10');
  const entities = benchEntities(Number(process.env.BENCH_ENTITIES ?? '50'));

  const data =
    plugin === 'community'
      ? communityConfig(sandboxUrl)
      : deliveryConfig(
          sandboxUrl,
          ttlSeconds,
          process.env.BENCH_WATCH
            ? process.env.BENCH_WATCH === 'on'
            : undefined,
        );
  const feature =
    plugin === 'community'
      ? import('@backstage-community/plugin-argocd-backend')
      : import('@gitops-delivery/backstage-plugin-delivery-backend');

  // the change signals to the browser (liveScreen.ts): the signals backend's
  // WebSocket, fed by the events service (local to this one process)
  const signals =
    process.env.BENCH_SIGNALS === 'on'
      ? [import('@backstage/plugin-signals-backend'), eventsServiceFactory]
      : [];
  const { server } = await startTestBackend({
    features: [
      feature,
      ...signals,
      catalogServiceMock.factory({ entities }),
      mockServices.rootConfig.factory({ data }),
    ],
  });
  const { port } = server.address() as AddressInfo;
  process.stdout.write(
    `READY ${JSON.stringify({ url: `http://127.0.0.1:${port}`, plugin })}\n`,
  );
  const stop = () => process.exit(0);
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch(error => {
  process.stderr.write(`bench backend failed: ${(error as Error).stack}\n`);
  process.exit(1);
});
