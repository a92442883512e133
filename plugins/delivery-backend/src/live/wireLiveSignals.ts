import type {
  AuthService,
  CacheService,
  LifecycleService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import type { SignalsService } from '@backstage/plugin-signals-node';
import type { DeliveryOverviewObserver } from '@gitops-delivery/backstage-plugin-delivery-node';
import type { AuditStore } from '../audit/AuditStore';
import type {
  ArgoCdChange,
  ArgoCdChangeFeed,
} from '../services/live/changeFeed';
import { createChangePublisher } from './changePublisher';
import { createEntityIndex, type EntityIndex } from './entityIndex';
import { publishingAuditStore } from './publishingAuditStore';
import type { LiveSignalsConfig } from './readLiveConfig';
import {
  createViewedApplications,
  type ViewedApplications,
} from './viewedApplications';

/** Dependencies of {@link wireLiveSignals}. */
export interface LiveSignalsOptions {
  config: LiveSignalsConfig;
  /** Backstage's signals service; `enabled: false` publishes nothing. */
  signals: SignalsService;
  catalog: CatalogService;
  auth: AuthService;
  cache: CacheService;
  logger: LoggerService;
  lifecycle: LifecycleService;
  instanceNames: ReadonlyArray<string>;
  audit: AuditStore;
  /** The Argo CD change feed (watch streams, or the polling fallback's diffs). */
  changes: ArgoCdChangeFeed;
}

/** What the plugin uses in place of its parts once signals are wired. */
export interface LiveSignals {
  /** The audit store that publishes on every record written. */
  audit: AuditStore;
  /** Remembers which Applications each overview showed. */
  observer: DeliveryOverviewObserver;
}

const causeOf = (error: unknown) =>
  error instanceof Error ? error.message : String(error);

/** The entities whose view a change touches: by annotation, and by what they showed. */
async function entitiesOf(
  change: ArgoCdChange,
  index: EntityIndex,
  viewed: ViewedApplications,
): Promise<string[]> {
  // either way may fail (catalog, cache); the other still reaches its entities
  const [named, shown] = await Promise.all([
    index.entitiesOf(change).catch(() => [] as string[]),
    viewed.entitiesOf(change).catch(() => [] as string[]),
  ]);
  return [...new Set([...named, ...shown])];
}

/**
 * Pushes "this entity's delivery view changed" to open tabs as Backstage
 * signals: on every Application or resource-tree change of the change feed
 * (mapped to the entities whose view shows the Application), and on every
 * audit record written.
 */
export function wireLiveSignals(options: LiveSignalsOptions): LiveSignals {
  const { config, logger } = options;
  const viewed = createViewedApplications({
    cache: options.cache,
    logger,
  });
  const observer: DeliveryOverviewObserver = async state => {
    await viewed.record(state.overview);
  };
  if (!config.enabled) {
    logger.info(
      'Delivery: delivery.live.signals.enabled is false; open tabs refresh by polling',
    );
    return { audit: options.audit, observer: async () => {} };
  }
  const publisher = createChangePublisher({
    signals: options.signals,
    logger,
    coalesceMs: config.coalesceMs,
  });
  const index = createEntityIndex({
    catalog: options.catalog,
    auth: options.auth,
    logger,
    instanceNames: options.instanceNames,
    refreshMs: config.entityRefreshMs,
  });
  const unsubscribe = options.changes.subscribe(change => {
    entitiesOf(change, index, viewed).then(
      refs => publisher.entitiesChanged(refs),
      error =>
        logger.warn(
          `Delivery: no change signal for Argo CD Application "${
            change.application.name
          }" on "${change.instance}": ${causeOf(error)}`,
        ),
    );
  });
  options.lifecycle.addShutdownHook(async () => {
    unsubscribe();
    await publisher.flush();
  });
  return {
    audit: publishingAuditStore(options.audit, publisher),
    observer,
  };
}
