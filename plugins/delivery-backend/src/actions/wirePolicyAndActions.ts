import type {
  AuditorService,
  AuthService,
  HttpAuthService,
  LifecycleService,
  LoggerService,
  PermissionsService,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import type {
  ActionsRegistryService,
  MetricsService as BackstageMetricsService,
} from '@backstage/backend-plugin-api/alpha';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import type { NotificationService } from '@backstage/plugin-notifications-node';
import type { PolicyConfig } from '@gitops-delivery/backstage-plugin-delivery-node';
import type express from 'express';
import type { AuditStore } from '../audit/AuditStore';
import type { AuditRetentionConfig } from '../audit/readRetentionConfig';
import { reconcileUnfinished } from '../audit/reconcileUnfinished';
import type { RolloutLock } from '../audit/RolloutLock';
import { scheduleAuditRetention } from '../audit/scheduleAuditRetention';
import { createCanaryGuard } from '../guard/CanaryGuard';
import { createPolicyContributor } from '../policy/policyContributor';
import { createPolicyService } from '../policy/PolicyService';
import type { GateKinds } from '../policy/evaluatePolicy';
import {
  createSignalsProvider,
  type VulnerabilitiesSource,
} from '../policy/SignalsProvider';
import type { ArgoCdClient } from '@gitops-delivery/backstage-plugin-delivery-node';
import type { EntityResolver } from '../services/EntityResolver/EntityResolver';
import type {
  OverviewContributor,
  OverviewService,
} from '../services/overview/OverviewService';
import type { MetricsService } from '../services/prometheus/MetricsService';
import { createApplicationActionService } from '../applicationActions/ApplicationActionService';
import type { WiredGitopsRollback } from '../applicationActions/gitops/wireGitopsRollback';
import { createActionService } from './ActionService';
import { createActionsRouter } from './createActionsRouter';
import { createOwnerNotifier } from './OwnerNotifier';
import type { ActionsConfig } from './readActionsConfig';
import { registerCanPromoteAction } from './registerCanPromoteAction';

/** Id of the canary guard's scheduled task. @public */
export const GUARD_TASK_ID = 'delivery-canary-guard';

/** What wirePolicyAndActions hands back to the plugin. */
export interface WiredPolicyAndActions {
  /** The policy, audit and action routes. */
  router: express.Router;
  /** The overview card's gates column: register it with the overview. */
  contributor: OverviewContributor;
}

/**
 * Wires the policy engine, the audited actions, the audit trail's
 * reconciliation and retention, and the canary guard over the plugin's
 * stores, and returns their routes and overview contributor. Called once
 * from plugin.ts.
 */
export async function wirePolicyAndActions(options: {
  logger: LoggerService;
  httpAuth: HttpAuthService;
  catalog: CatalogService;
  permissions: PermissionsService;
  auditor: AuditorService;
  scheduler: SchedulerService;
  lifecycle: LifecycleService;
  auth: AuthService;
  actionsRegistry: ActionsRegistryService;
  argocd: ArgoCdClient;
  entityResolver: EntityResolver;
  overviewService: OverviewService;
  /** The audit trail and the rollout lease (openDeliveryStores). */
  store: AuditStore;
  lock: RolloutLock;
  /** `delivery.actions` and `delivery.guard`, read once by the plugin. */
  actionsConfig: ActionsConfig;
  /** The policies, read once by the plugin with the registered gate kinds. */
  policyConfig: PolicyConfig;
  /** `delivery.audit.retention`; no archiving when absent. */
  retention?: AuditRetentionConfig;
  /** The SLO queries (wireSignals). */
  metrics?: MetricsService;
  vulnerabilities?: VulnerabilitiesSource;
  /** Backstage's metrics service (OpenTelemetry). */
  backstageMetrics?: BackstageMetricsService;
  /** Backstage notifications, for the owners of blocked or guard-aborted rollouts. */
  notifications?: NotificationService;
  /** The registered gate kinds; the built-in ones by default. */
  gateKinds?: GateKinds;
  /** The GitOps rollback of auto-synced Applications (wireGitopsRollback). */
  gitops?: Pick<WiredGitopsRollback, 'repository' | 'appBaseUrl'>;
}): Promise<WiredPolicyAndActions> {
  const { logger, overviewService: locator, auth, store, lock } = options;
  const { actionsConfig, policyConfig, retention, metrics } = options;

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

  return {
    router: await createActionsRouter({
      httpAuth: options.httpAuth,
      entityResolver: options.entityResolver,
      policyService,
      actionService,
      auditStore: store,
      applicationActions: createApplicationActionService({
        permissions: options.permissions,
        auditor: options.auditor,
        logger,
        locator,
        store,
        lock,
        argocd: options.argocd,
        lockTtlMs: actionsConfig.lockTtlMs,
        metrics: options.backstageMetrics,
        policy: policyService,
        gitops: options.gitops,
      }),
    }),
    // the overview card's gates column: the same evaluation as the policy route
    contributor: createPolicyContributor(policyService, logger),
  };
}
