import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import type {
  DeliveryOverview,
  SourceStatus,
} from '@gitops-delivery/backstage-plugin-delivery-common';
import type { DeliveryOverviewObserver } from '@gitops-delivery/backstage-plugin-delivery-node';
import type { BindingConfig } from '../../binding/readBindingConfig';
import type { EntityRefParams } from '../EntityResolver/EntityResolver';
import { runInReadScope } from '@gitops-delivery/backstage-plugin-delivery-node';
import { argocdSources, assembleOverview } from './assembleOverview';
import { overviewBudget } from './deadline';
import { watchNotes, type ViewedApplication } from './watchNote';
import { loadArgoCdState, type ArgoCdLoad } from './loadArgoCdState';
import type {
  DeliveryState,
  OverviewContributor,
  OverviewOptions,
  OverviewService,
  OverviewServiceOptions,
} from './overviewTypes';
import { contributorPrefetch } from './prefetchContributors';
import { runContributors, runObservers } from './runContributors';
import { noMatchWarning, searchScope } from './searchScope';

export type {
  ApplicationPrefetchTarget,
  DeliveryState,
  LiveApplication,
  LiveRollout,
  OverviewContributor,
  OverviewOptions,
  OverviewService,
  OverviewServiceOptions,
  PrefetchTarget,
} from './overviewTypes';

/**
 * Creates the OverviewService. One overview: resolve the entity, choose the
 * instances to search (searchScope), read Argo CD within half the time
 * budget (loadArgoCdState), model the view (assembleOverview), then run the
 * contributors and observers within the other half (runContributors).
 *
 * @public
 */
export function createOverviewService(
  options: OverviewServiceOptions,
): OverviewService {
  const { config, argocd, entityResolver, logger } = options;
  const now = options.now ?? (() => new Date());
  const binding: BindingConfig = options.binding ?? {
    required: true,
    ownerProjects: [],
  };
  const contributors: OverviewContributor[] = [];
  const observers: DeliveryOverviewObserver[] = [];

  async function contribute(
    state: DeliveryState,
    credentials: BackstageCredentials,
    budgetMs: number,
  ): Promise<SourceStatus[]> {
    const [statuses] = await Promise.all([
      contributors.length > 0
        ? runContributors(contributors, state, {
            credentials,
            budgetMs,
            logger,
          })
        : [],
      runObservers(observers, state, { budgetMs, logger }),
    ]);
    return statuses;
  }

  async function getDeliveryState(
    ref: EntityRefParams,
    credentials: BackstageCredentials,
    overviewOptions: OverviewOptions = {},
  ): Promise<DeliveryState> {
    const entity = await entityResolver.resolve(ref, credentials);
    const generatedAt = now();
    // Each Argo CD instance has its own share of the budget (see
    // overviewBudget); the contributors have theirs after it.
    const budget = overviewBudget(config.overviewTimeoutMs);
    const deadline = Date.now() + budget.argocdMs;
    const withContributors = overviewOptions.contributors !== false;
    const scope = searchScope(entity, argocd.instanceNames);
    const overview: DeliveryOverview = {
      entityRef: entity.entityRef,
      generatedAt: generatedAt.toISOString(),
      annotations: entity.annotations,
      warnings: [...entity.warnings, ...scope.warnings],
      sources: [],
      environments: [],
    };
    const state: DeliveryState = {
      entity,
      overview,
      applications: [],
      rollouts: [],
      configuredEnvironments: config.environments,
    };
    if (scope.notSearched) {
      overview.sources.push(scope.notSearched);
      return state;
    }

    const load = await loadArgoCdState({
      argocd,
      annotations: entity.annotations,
      instances: scope.instances,
      deadline,
      fresh: overviewOptions.fresh,
      environments: {
        environments: config.environments,
        label: config.environmentLabel,
      },
      revisionMetadataCount: config.argocd.revisionMetadataCount,
      // the contributors' reads start as soon as their inputs are read
      ...(withContributors
        ? contributorPrefetch(contributors, entity, generatedAt, logger)
        : {}),
    });
    if (
      load.applications.length === 0 &&
      [...load.errors.values()].every(list => list.length === 0)
    ) {
      overview.warnings.push(
        noMatchWarning(entity.annotations, scope.instances),
      );
    }
    const assembled = assembleOverview({
      entity: entity.entity,
      loaded: load.applications,
      environments: config.environments,
      binding,
      applicationUrl: (instance, app) => argocd.applicationUrl(instance, app),
      now: generatedAt,
    });
    overview.environments = assembled.environments;
    state.applications = assembled.applications;
    state.rollouts = assembled.rollouts;
    overview.sources.push(
      ...argocdSources(
        scope.instances,
        load.errors,
        watchNotes(argocd.watchStatus?.(), applicationsByInstance(load)),
      ),
    );

    if (withContributors) {
      overview.sources.push(
        ...(await contribute(state, credentials, budget.contributorMs)),
      );
    }
    return state;
  }

  // One overview is one read scope: its parts (view, scanners, policy)
  // share the Argo CD reads they have in common, whatever the cache TTL.
  const scoped: typeof getDeliveryState = (...args) =>
    runInReadScope(() => getDeliveryState(...args));

  return {
    getDeliveryState: scoped,
    async getOverview(ref, credentials, overviewOptions) {
      return (await scoped(ref, credentials, overviewOptions)).overview;
    },
    addContributor(contributor) {
      contributors.push(contributor);
    },
    addObserver(observer) {
      observers.push(observer);
    },
  };
}

/** The Applications an overview read, per Argo CD instance. */
function applicationsByInstance(
  load: ArgoCdLoad,
): Map<string, ViewedApplication[]> {
  const byInstance = new Map<string, ViewedApplication[]>();
  for (const { live } of load.applications) {
    const list = byInstance.get(live.instance) ?? [];
    list.push({ name: live.ref.name, appNamespace: live.ref.appNamespace });
    byInstance.set(live.instance, list);
  }
  return byInstance;
}
