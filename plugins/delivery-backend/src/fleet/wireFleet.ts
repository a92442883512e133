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
import type { FleetSignalMemo } from './fleetSignalMemo';
import type { FleetArgoCd } from './fleetTypes';
import { createFleetService } from './FleetService';

/** How long the fleet reuses an entity's DORA bands. */
const DORA_TTL_MS = 60_000;

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
  memo: FleetSignalMemo;
}) {
  const fleetService = createFleetService({
    catalog: options.catalog,
    argocd: options.argocd,
    config: options.config,
    memo: options.memo,
    dora: createFleetDora({
      store: options.deployments,
      ttlMs: DORA_TTL_MS,
    }),
    logger: options.logger,
    cache: options.cache,
    ttlMs: options.config.cache.liveTtlMs,
  });
  return createFleetRouter({ httpAuth: options.httpAuth, fleetService });
}
