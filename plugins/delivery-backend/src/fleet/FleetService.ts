import type {
  BackstageCredentials,
  CacheService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import type {
  FleetCanary,
  FleetResponse,
  SourceStatus,
} from '@gitops-delivery/backstage-plugin-delivery-common';
import type { DeliveryConfig } from '../config/readDeliveryConfig';
import {
  detectEnvironment,
  orderEnvironments,
} from '../services/overview/environment';
import { assembleRow, type CellFacts, type RowFacts } from './assembleFleet';
import { loadFleetEntities, type FleetEntity } from './fleetCatalog';
import type { FleetDora } from './fleetDora';
import type { FleetQuery } from './fleetQuery';
import type { FleetCellSignals } from './fleetCellSignals';
import { cachedPerCaller } from './fleetResponseCache';
import type { FleetArgoCd, ListedApplication } from './fleetTypes';
import { applicationSearch } from './matchApplications';
import { readCanaries } from './readCanaries';

/** Serves the fleet matrix. */
export interface FleetService {
  getFleet(
    query: FleetQuery,
    credentials: BackstageCredentials,
  ): Promise<FleetResponse>;
}

const causeOf = (error: unknown) =>
  error instanceof Error ? error.message : String(error);

type Listing = Map<string, ListedApplication[] | { error: string }>;

/** Lists every instance some row searches, once, in parallel. */
async function listInstances(
  argocd: FleetArgoCd,
  instances: Set<string>,
): Promise<Listing> {
  const listing: Listing = new Map();
  await Promise.all(
    [...instances].map(async instance => {
      try {
        const apps = await argocd.listApplications(instance, {});
        listing.set(
          instance,
          apps.map(application => ({ instance, application })),
        );
      } catch (error) {
        listing.set(instance, { error: causeOf(error) });
      }
    }),
  );
  return listing;
}

/** Creates the FleetService. */
export function createFleetService(options: {
  catalog: CatalogService;
  argocd: FleetArgoCd;
  config: Pick<DeliveryConfig, 'environments' | 'environmentLabel'>;
  /** The SLO, scan, CI and policy signals of the cells that show them. */
  signals: FleetCellSignals;
  dora: FleetDora;
  logger: LoggerService;
  /** Where answers are kept for `ttlMs`; without one, only coalesced. */
  cache?: CacheService;
  ttlMs?: number;
  now?: () => Date;
}): FleetService {
  const { catalog, argocd, config, signals, dora, logger } = options;
  const now = options.now ?? (() => new Date());
  const rules = {
    environments: config.environments,
    label: config.environmentLabel,
  };

  function cellsOf(
    instances: string[],
    matches: (a: ListedApplication['application']) => boolean,
    listing: Listing,
  ): CellFacts[] {
    const byEnvironment = new Map<string, CellFacts>();
    const failed: string[] = [];
    const failedInstances: string[] = [];
    for (const instance of instances) {
      const listed = listing.get(instance);
      if (!listed || !Array.isArray(listed)) {
        failedInstances.push(instance);
        failed.push(
          `Argo CD instance "${instance}": ${
            listed && 'error' in listed ? listed.error : 'not read'
          }`,
        );
        continue;
      }
      for (const app of listed.filter(a => matches(a.application))) {
        const environment = detectEnvironment(app.application, rules);
        const cell = byEnvironment.get(environment) ?? {
          environment,
          applications: [],
          canaries: [],
          rollouts: [],
          failedInstances,
          errors: [],
        };
        cell.applications.push(app);
        byEnvironment.set(environment, cell);
      }
    }
    // an instance that failed may hold any environment: every cell says so
    const order = orderEnvironments(byEnvironment.keys(), config.environments);
    const cells = order.map(name => byEnvironment.get(name)!);
    for (const cell of cells) cell.errors.push(...failed);
    if (cells.length === 0 && failed.length > 0) {
      cells.push(
        ...config.environments.map(environment => ({
          environment,
          applications: [],
          canaries: [] as FleetCanary[],
          rollouts: [],
          failedInstances,
          errors: [...failed],
        })),
      );
    }
    return cells;
  }

  async function rowFacts(
    items: FleetEntity[],
  ): Promise<{ rows: RowFacts[]; listing: Listing }> {
    const searches = items.map(item => ({
      item,
      search: applicationSearch(item.entity, argocd.instanceNames),
    }));
    const wanted = new Set(
      searches.flatMap(s =>
        'instances' in s.search ? s.search.instances : [],
      ),
    );
    const listing = await listInstances(argocd, wanted);
    const rows = searches.map(({ item, search }): RowFacts => {
      if ('error' in search) return { item, error: search.error, cells: [] };
      return {
        item,
        cells: cellsOf(search.instances, search.matches, listing),
      };
    });
    return { rows, listing };
  }

  async function historyBands(rows: RowFacts[]): Promise<SourceStatus[]> {
    try {
      const bands = await dora(rows.map(r => r.item.entityRef));
      for (const row of rows) row.dora = bands.get(row.item.entityRef);
      return [];
    } catch (error) {
      logger.warn(`Delivery fleet: deployment history: ${causeOf(error)}`);
      return [
        {
          source: 'history',
          status: 'error',
          message: `The recorded deployment history could not be read: ${causeOf(
            error,
          )}`,
        },
      ];
    }
  }

  async function computeFleet(
    query: FleetQuery,
    credentials: BackstageCredentials,
  ): Promise<FleetResponse> {
    const generatedAt = now().toISOString();
    const items = await loadFleetEntities(catalog, credentials, query);
    const { rows, listing } = await rowFacts(items);
    const [sources] = await Promise.all([
      historyBands(rows),
      // the signals are computed over the Rollouts read for the canaries
      readCanaries(
        argocd,
        rows.flatMap(r => r.cells),
      ).then(() => signals.fill(rows, credentials)),
    ]);
    const assembled = rows.map(assembleRow);
    const filtered =
      query.states.length === 0
        ? assembled
        : assembled.filter(r => r.states.some(s => query.states.includes(s)));
    const argocdSources: SourceStatus[] = [...listing].map(
      ([instance, listed]) =>
        Array.isArray(listed)
          ? { source: 'argocd', instance, status: 'ok' }
          : {
              source: 'argocd',
              instance,
              status: 'error',
              message: listed.error,
            },
    );
    return {
      generatedAt,
      environments: orderEnvironments(
        filtered.flatMap(r => r.cells.map(c => c.environment)),
        config.environments,
      ),
      rows: filtered,
      total: assembled.length,
      sources: [...argocdSources, ...sources],
    };
  }

  return {
    // an answer with a cell still computing is not kept: the next refresh
    // shows what has been computed since
    getFleet: cachedPerCaller(
      computeFleet,
      options.cache,
      options.ttlMs ?? 0,
      response =>
        response.rows.every(r =>
          r.cells.every(c => c.signalsStatus !== 'computing'),
        ),
    ),
  };
}
