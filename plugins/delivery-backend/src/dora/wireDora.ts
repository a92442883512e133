import type {
  AuthService,
  CacheService,
  HttpAuthService,
  LoggerService,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import type { DeliveryOverviewObserver } from '@gitops-delivery/backstage-plugin-delivery-node';
import type express from 'express';
import type { AuditStore } from '../audit/AuditStore';
import type { EntityResolver } from '../services/EntityResolver/EntityResolver';
import type { OverviewService } from '../services/overview/OverviewService';
import { createDoraRouter } from './createDoraRouter';
import {
  createDeploymentRecorder,
  recordingObserver,
} from './DeploymentRecorder';
import type { DeploymentStore } from './DeploymentStore';
import { createDoraService } from './DoraService';
import type { DoraConfig } from './readDoraConfig';
import { recordDeploymentsOnce } from './recordDeployments';

/** Id of the deployment recorder's scheduled task. */
export const DORA_RECORDER_TASK_ID = 'delivery-deployment-recorder';

/** What wireDora hands back to the plugin. */
export interface WiredDora {
  router: express.Router;
  /** The recorder's "overview observed" hook: register it with the overview. */
  observer: DeliveryOverviewObserver;
}

/**
 * Wires the DORA figures over the plugin's stores: the deployment recorder
 * (an "overview observed" hook, and a scheduled task), the figures and
 * their route.
 */
export async function wireDora(options: {
  config: DoraConfig;
  logger: LoggerService;
  cache: CacheService;
  httpAuth: HttpAuthService;
  catalog: CatalogService;
  auth: AuthService;
  scheduler: SchedulerService;
  entityResolver: EntityResolver;
  overviewService: Pick<OverviewService, 'getDeliveryState'>;
  deployments: DeploymentStore;
  audit: AuditStore;
}): Promise<WiredDora> {
  const { config, logger, overviewService } = options;
  const recorder = createDeploymentRecorder({
    store: options.deployments,
    audit: options.audit,
  });
  const doraService = createDoraService({
    overviewService,
    entityResolver: options.entityResolver,
    catalog: options.catalog,
    store: options.deployments,
    recorder,
    cache: options.cache,
    logger,
    cacheTtlMs: config.cacheTtlMs,
  });

  if (config.recordIntervalMs > 0) {
    await options.scheduler.scheduleTask({
      id: DORA_RECORDER_TASK_ID,
      scope: 'global',
      frequency: { milliseconds: config.recordIntervalMs },
      timeout: { minutes: 10 },
      initialDelay: { seconds: 30 },
      fn: async () => {
        const run = await recordDeploymentsOnce({
          catalog: options.catalog,
          auth: options.auth,
          overviewService,
          recorder,
          logger,
        });
        logger.debug(
          `Deployment recorder read ${run.entities} entities (${run.errors.length} failed)`,
        );
      },
    });
  }

  return {
    router: createDoraRouter({ httpAuth: options.httpAuth, doraService }),
    observer: recordingObserver(recorder, logger),
  };
}
