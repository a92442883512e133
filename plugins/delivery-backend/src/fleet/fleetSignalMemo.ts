import type {
  BackstageCredentials,
  CacheService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import type {
  DeliveryOverview,
  FleetSecurity,
} from '@gitops-delivery/backstage-plugin-delivery-common';
import type {
  OverviewOptions,
  OverviewService,
} from '../services/overview/OverviewService';
import type { FleetSignals, RememberedSignals } from './fleetTypes';

/** How long what a tab computed is shown on the fleet page. */
export const FLEET_SIGNALS_TTL_MS = 15 * 60_000;

const SEVERITIES = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'UNKNOWN'] as const;

/** Remembers the signals each entity's overview showed, for the fleet page. */
export interface FleetSignalMemo {
  record(overview: DeliveryOverview): Promise<void>;
  /** The remembered signals of these entities (absent: none lately). */
  read(entityRefs: string[]): Promise<Map<string, RememberedSignals>>;
}

type Summary = NonNullable<DeliveryOverview['environments'][number]['summary']>;

/** The worst severity with findings, from an environment's counts. */
export function worstFinding(
  counts: object | undefined,
): FleetSecurity | undefined {
  if (!counts) return undefined;
  const bySeverity = counts as Partial<Record<string, number>>;
  for (const severity of SEVERITIES) {
    const count = bySeverity[severity] ?? 0;
    if (count > 0) return { worst: severity, count };
  }
  return { worst: 'NONE', count: 0 };
}

/** The fleet's share of one environment's summary. */
export function signalsOf(summary: Summary | undefined): FleetSignals {
  const signals: FleetSignals = {};
  const security = worstFinding(summary?.vulnerabilities?.counts);
  if (security) signals.security = security;
  if (summary?.policy) {
    signals.policy = {
      allowed: summary.policy.allowed,
      failing: summary.policy.failing,
      ...(summary.policy.pending !== undefined
        ? { pending: summary.policy.pending }
        : {}),
    };
  }
  if (summary?.ci) {
    signals.ci = {
      status: summary.ci.status,
      ...(summary.ci.conclusion ? { conclusion: summary.ci.conclusion } : {}),
      ...(summary.ci.url ? { url: summary.ci.url } : {}),
    };
  }
  return signals;
}

const keyOf = (entityRef: string) => `fleet-signals:v1:${entityRef}`;

/**
 * The memo on Backstage's CacheService (shared by replicas): the fleet never
 * computes an entity's SLO, scan, policy or CI signals itself, which would
 * cost every row a whole overview; it shows what the tab last computed,
 * with its time, for at most FLEET_SIGNALS_TTL_MS.
 */
export function createFleetSignalMemo(options: {
  cache: CacheService;
  logger: LoggerService;
  now?: () => Date;
}): FleetSignalMemo {
  const { cache, logger } = options;
  const now = options.now ?? (() => new Date());
  return {
    async record(overview) {
      const value: RememberedSignals = {
        at: now().toISOString(),
        environments: Object.fromEntries(
          overview.environments.map(e => [e.name, signalsOf(e.summary)]),
        ),
      };
      try {
        await cache.set(keyOf(overview.entityRef), value as any, {
          ttl: FLEET_SIGNALS_TTL_MS,
        });
      } catch (error) {
        logger.warn(
          `Delivery fleet: could not remember the signals of ${
            overview.entityRef
          }: ${(error as Error).message}`,
        );
      }
    },
    async read(entityRefs) {
      const found = new Map<string, RememberedSignals>();
      await Promise.all(
        entityRefs.map(async ref => {
          const value = (await cache.get(keyOf(ref))) as
            | RememberedSignals
            | undefined;
          if (value) found.set(ref, value);
        }),
      );
      return found;
    },
  };
}

/**
 * The OverviewService that also hands every overview computed with its
 * signals (the tab's, the policy's) to the memo; the overview itself is
 * unchanged and never waits for the memo.
 */
export function rememberFleetSignals(
  service: OverviewService,
  memo: FleetSignalMemo,
): OverviewService {
  const remember = (
    overview: DeliveryOverview,
    options: OverviewOptions | undefined,
  ) => {
    if (options?.contributors !== false) {
      memo.record(overview).catch(() => undefined);
    }
  };
  return {
    async getOverview(
      ref,
      credentials: BackstageCredentials,
      options?: OverviewOptions,
    ) {
      const overview = await service.getOverview(ref, credentials, options);
      remember(overview, options);
      return overview;
    },
    async getDeliveryState(ref, credentials, options) {
      const state = await service.getDeliveryState(ref, credentials, options);
      remember(state.overview, options);
      return state;
    },
    addContributor: contributor => service.addContributor(contributor),
    addObserver: observer => service.addObserver(observer),
  };
}
