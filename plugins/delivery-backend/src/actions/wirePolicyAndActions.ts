import type {
  AuditorService,
  AuthService,
  CacheService,
  DatabaseService,
  HttpAuthService,
  LifecycleService,
  LoggerService,
  PermissionsService,
  RootConfigService,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import type {
  ActionsRegistryService,
  MetricsService as BackstageMetricsService,
} from '@backstage/backend-plugin-api/alpha';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import type { NotificationService } from '@backstage/plugin-notifications-node';
import type express from 'express';
import { createAuditStore } from '../audit/AuditStore';
import { migrateDeliveryDatabase } from '../audit/migrate';
import { readRetentionConfig } from '../audit/readRetentionConfig';
import { reconcileUnfinished } from '../audit/reconcileUnfinished';
import { createRolloutLock } from '../audit/RolloutLock';
import { scheduleAuditRetention } from '../audit/scheduleAuditRetention';
import { createCanaryGuard } from '../guard/CanaryGuard';
import { createPolicyContributor } from '../policy/policyContributor';
import { createPolicyService } from '../policy/PolicyService';
import {
  readPolicyConfig,
  type PolicyConfig,
} from '@gitops-delivery/backstage-plugin-delivery-node';
import type { GateKinds } from '../policy/evaluatePolicy';
import {
  createSignalsProvider,
  type VulnerabilitiesSource,
} from '../policy/SignalsProvider';
import type { ArgoCdClient } from '@gitops-delivery/backstage-plugin-delivery-node';
import type { EntityResolver } from '../services/EntityResolver/EntityResolver';
import type { OverviewService } from '../services/overview/OverviewService';
import {
  createMetricsService,
  type MetricsService,
} from '../services/prometheus/MetricsService';
import { readPrometheusConfig } from '../services/prometheus/prometheusConfig';
import { createSignalCache } from '../services/signals/SignalCache';
import { createActionService } from './ActionService';
import { createActionsRouter } from './createActionsRouter';
import { createOwnerNotifier } from './OwnerNotifier';
import { readActionsConfig } from './readActionsConfig';
import { registerCanPromoteAction } from './registerCanPromoteAction';

/** Id of the canary guard's scheduled task. @public */
export const GUARD_TASK_ID = 'delivery-canary-guard';

/**
 * Wires the policy engine, the audited actions, the audit trail and the
 * canary guard, and returns their routes. Called once from plugin.ts.
 */
export async function wirePolicyAndActions(options: {
  config: RootConfigService;
  logger: LoggerService;
  cache: CacheService;
  httpAuth: HttpAuthService;
  catalog: CatalogService;
  database: DatabaseService;
  permissions: PermissionsService;
  auditor: AuditorService;
  scheduler: SchedulerService;
  lifecycle: LifecycleService;
  auth: AuthService;
  actionsRegistry: ActionsRegistryService;
  argocd: ArgoCdClient;
  entityResolver: EntityResolver;
  overviewService: OverviewService;
  /** The signals engineer's services, when plugin.ts already has them. */
  metrics?: MetricsService;
  vulnerabilities?: VulnerabilitiesSource;
  /** Backstage's metrics service (OpenTelemetry). */
  backstageMetrics?: BackstageMetricsService;
  /** Backstage notifications, for the owners of blocked or guard-aborted rollouts. */
  notifications?: NotificationService;
  /** The policies, read once by the plugin with the registered gate kinds. */
  policyConfig?: PolicyConfig;
  /** The registered gate kinds; the built-in ones by default. */
  gateKinds?: GateKinds;
}): Promise<express.Router> {
  const { config, logger, database, overviewService: locator, auth } = options;
  const policyConfig = options.policyConfig ?? readPolicyConfig(config);
  const actionsConfig = readActionsConfig(config);

  const knex = await database.getClient();
  if (!database.migrations?.skip) {
    await migrateDeliveryDatabase(knex);
  }
  const store = createAuditStore(knex);
  const lock = createRolloutLock(knex);
  const retention = readRetentionConfig(config);

  let metrics = options.metrics;
  if (!metrics) {
    const prometheusConfig = readPrometheusConfig(config);
    if (prometheusConfig.instances.length > 0) {
      metrics = createMetricsService({
        config: prometheusConfig,
        cache: createSignalCache(options.cache),
        logger,
      });
    }
  }
  const policyService = createPolicyService({
    config: policyConfig,
    gateKinds: options.gateKinds,
    locator,
    signals: createSignalsProvider({
      metrics,
      vulnerabilities: options.vulnerabilities,
    }),
  });
  const actionService = createActionService({
    permissions: options.permissions,
    auditor: options.auditor,
    logger,
    locator,
    policy: policyService,
    store,
    lock,
    argocd: options.argocd,
    lockTtlMs: actionsConfig.lockTtlMs,
    metrics: options.backstageMetrics,
    notifier: createOwnerNotifier({
      notifications: options.notifications,
      logger,
    }),
  });

  registerCanPromoteAction(options.actionsRegistry, policyService);
  // the overview card's gates column: the same evaluation as the policy route
  locator.addContributor(createPolicyContributor(policyService, logger));

  options.lifecycle.addStartupHook(async () => {
    await reconcileUnfinished({ store, locator, auth, logger }).catch(error =>
      logger.error(`Audit reconciliation failed: ${error}`),
    );
  });

  if (retention) {
    await scheduleAuditRetention({
      scheduler: options.scheduler,
      store,
      config: retention,
      logger,
    });
  }

  if (actionsConfig.guard.enabled) {
    const guard = createCanaryGuard({
      catalog: options.catalog,
      auth,
      locator,
      policy: policyService,
      actions: actionService,
      logger,
      concurrency: actionsConfig.guard.concurrency,
      deadlineMs: actionsConfig.guard.entityDeadlineMs,
    });
    // global scope: across replicas, exactly one runs each tick
    await options.scheduler.scheduleTask({
      id: GUARD_TASK_ID,
      scope: 'global',
      frequency: { seconds: actionsConfig.guard.intervalSeconds },
      timeout: {
        seconds: Math.max(60, actionsConfig.guard.intervalSeconds * 4),
      },
      initialDelay: { seconds: 1 },
      fn: async () => {
        const tick = await guard.runOnce();
        logger.debug(
          `Canary guard checked ${tick.checked} canaries, aborted ${tick.aborted.length}`,
        );
      },
    });
    logger.info(
      `Canary guard on, every ${actionsConfig.guard.intervalSeconds}s`,
    );
  }

  return createActionsRouter({
    httpAuth: options.httpAuth,
    entityResolver: options.entityResolver,
    policyService,
    actionService,
    auditStore: store,
  });
}
