import type {
  AuthService,
  CacheService,
  DatabaseService,
  HttpAuthService,
  LoggerService,
  RootConfigService,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import type express from 'express';
import { createAuditStore } from '../audit/AuditStore';
import type { EntityResolver } from '../services/EntityResolver/EntityResolver';
import type { OverviewService } from '../services/overview/OverviewService';
import { createDoraRouter } from './createDoraRouter';
import { createDeploymentStore } from './DeploymentStore';
import { createDoraService } from './DoraService';
import { readDoraConfig } from './readDoraConfig';
import { recordDeploymentsOnce } from './recordDeployments';

/** Id of the deployment recorder's scheduled task. */
export const DORA_RECORDER_TASK_ID = 'delivery-deployment-recorder';

/**
 * Wires the DORA figures: the deployment history store, recording on every
 * overview and on a schedule, and the route. Call after the plugin's
 * migrations have run (wirePolicyAndActions runs them).
 */
export async function wireDora(options: {
  config: RootConfigService;
  logger: LoggerService;
  cache: CacheService;
  database: DatabaseService;
  httpAuth: HttpAuthService;
  catalog: CatalogService;
  auth: AuthService;
  scheduler: SchedulerService;
  entityResolver: EntityResolver;
  overviewService: OverviewService;
}): Promise<express.Router> {
  const { logger, overviewService } = options;
  const doraConfig = readDoraConfig(options.config);
  const knex = await options.database.getClient();
  const doraService = createDoraService({
    overviewService,
    entityResolver: options.entityResolver,
    catalog: options.catalog,
    store: createDeploymentStore(knex),
    audit: createAuditStore(knex),
    cache: options.cache,
    logger,
    cacheTtlMs: doraConfig.cacheTtlMs,
  });

  // every overview someone opens records what it shows; never fails it
  overviewService.addObserver(async state => {
    try {
      await doraService.recordObserved(state);
    } catch (error) {
      logger.warn(
        `Could not record the deployments of ${state.entity.entityRef}: ${
          error instanceof Error ? error.message : String(error)
        }`,
      );
    }
  });

  if (doraConfig.recordIntervalMs > 0) {
    await options.scheduler.scheduleTask({
      id: DORA_RECORDER_TASK_ID,
      scope: 'global',
      frequency: { milliseconds: doraConfig.recordIntervalMs },
      timeout: { minutes: 10 },
      initialDelay: { seconds: 30 },
      fn: async () => {
        const run = await recordDeploymentsOnce({
          catalog: options.catalog,
          auth: options.auth,
          overviewService,
          doraService,
          logger,
        });
        logger.debug(
          `Deployment recorder read ${run.entities} entities (${run.errors.length} failed)`,
        );
      },
    });
  }

  return createDoraRouter({ httpAuth: options.httpAuth, doraService });
}
