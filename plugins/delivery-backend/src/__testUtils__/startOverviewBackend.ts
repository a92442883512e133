import {
  coreServices,
  type BackendFeature,
  createServiceFactory,
  type LoggerService,
  type RootLoggerService,
} from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { deliveryPlugin } from '../plugin';
import { ENTITIES, INSTANCES_CONFIG } from './world';

/** Every log line written by the test backends, for secret checks. */
export const capturedLogLines: string[] = [];

function capturingLogger(meta: object = {}): LoggerService & RootLoggerService {
  const write =
    (level: string) => (message: string, extra?: Error | object) => {
      capturedLogLines.push(
        `${level} ${message} ${JSON.stringify(meta)} ${
          extra instanceof Error
            ? `${extra.message} ${extra.stack}`
            : JSON.stringify(extra ?? {})
        }`,
      );
    };
  return {
    error: write('error'),
    warn: write('warn'),
    info: write('info'),
    debug: write('debug'),
    child: (m: object) => capturingLogger({ ...meta, ...m }),
  };
}

/**
 * Starts the plugin against the mocked catalog (the world's entities unless
 * others are given) and the world's config.
 */
export async function startOverviewBackend(
  delivery: object = {},
  entities: object[] = ENTITIES,
  /** More features, e.g. a module on the Delivery extension points. */
  features: BackendFeature[] = [],
  /** More root config beside `delivery`, e.g. `integrations`. */
  rootConfig: object = {},
) {
  const { server } = await startTestBackend({
    features: [
      deliveryPlugin,
      ...features,
      catalogServiceMock.factory({ entities: entities as any }),
      createServiceFactory({
        service: coreServices.rootLogger,
        deps: {},
        factory: () => capturingLogger(),
      }),
      mockServices.rootConfig.factory({
        data: {
          ...rootConfig,
          delivery: {
            // reads per view; the watch's own tests turn it on
            argocd: {
              instances: INSTANCES_CONFIG,
              timeoutMs: 2000,
              watch: false,
            },
            ...delivery,
          },
        },
      }),
    ],
  });
  return server;
}
