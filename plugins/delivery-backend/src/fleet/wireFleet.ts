import type {
  CacheService,
  HttpAuthService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import type { DeliveryConfig } from '../config/readDeliveryConfig';
import type { DeploymentStore } from '../dora/DeploymentStore';
import { createFleetRouter } from './createFleetRouter';
import { createFleetDora } from './fleetDora';
import type { BindingConfig } from '../binding/readBindingConfig';
import type { OverviewContributor } from '../services/overview/OverviewService';
import { overviewBudget } from '../services/overview/deadline';
import { createSignalCache } from '../services/signals/SignalCache';
import type { VulnerabilitiesService } from '../services/vulnerabilities/VulnerabilitiesService';
import { createFleetCellSignals } from './fleetCellSignals';
import type { FleetArgoCd } from './fleetTypes';
import { createFleetService } from './FleetService';
import type { FleetConfig } from './readFleetConfig';

/**
 * Wires the fleet page's route over the plugin's one deployment store
 * (openDeliveryStores, which has migrated its table).
 */
export function wireFleet(options: {
  httpAuth: HttpAuthService;
  cache: CacheService;
  catalog: CatalogService;
  /** The recorded deployment history (the plugin's shared store). */
  deployments: DeploymentStore;
  logger: LoggerService;
  argocd: FleetArgoCd;
  config: DeliveryConfig;
  binding: BindingConfig;
  /** The overview's contributors, run over what the fleet read. */
  contributors: () => ReadonlyArray<OverviewContributor>;
  vulnerabilities?: Pick<VulnerabilitiesService, 'summarize'>;
  /** `delivery.fleet` (readFleetConfig). */
  fleet: FleetConfig;
}) {
  const { config, fleet } = options;
  const fleetService = createFleetService({
    catalog: options.catalog,
    argocd: options.argocd,
    config: options.config,
    signals: createFleetCellSignals({
      argocd: options.argocd,
      contributors: options.contributors,
      vulnerabilities: options.vulnerabilities,
      // the signal services' cache: failures kept as briefly as theirs
      cache: createSignalCache(options.cache, {
        failureTtlMs: config.cache.failureTtlMs,
      }),
      lastKnown: options.cache,
      lastKnownTtlMs: fleet.lastSignalsTtlMs,
      ttlMs: config.cache.liveTtlMs,
      budgetMs: overviewBudget(config.overviewTimeoutMs).contributorMs,
      waitMs: fleet.signalsWaitMs,
      concurrency: fleet.signalsConcurrency,
      environments: config.environments,
      binding: options.binding,
      applicationUrl: (instance, app) =>
        options.argocd.applicationUrl(instance, app),
      logger: options.logger,
    }),
    dora: createFleetDora({
      store: options.deployments,
      ttlMs: fleet.doraTtlMs,
    }),
    logger: options.logger,
    cache: options.cache,
    ttlMs: config.cache.liveTtlMs,
  });
  return createFleetRouter({ httpAuth: options.httpAuth, fleetService });
}
