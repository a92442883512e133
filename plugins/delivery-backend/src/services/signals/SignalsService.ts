import type {
  BackstageCredentials,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { NotFoundError } from '@backstage/errors';
import type {
  EnvironmentView,
  MetricsResponse,
  RolloutView,
  VulnerabilitiesResponse,
} from '@gitops-delivery/backstage-plugin-delivery-common';
import type {
  DeliveryEntityInfo,
  ArgoCdClient,
} from '@gitops-delivery/backstage-plugin-delivery-node';
import type { EntityRefParams } from '../EntityResolver/EntityResolver';
import type {
  DeliveryState,
  LiveApplication,
  OverviewService,
} from '../overview/OverviewService';
import type {
  MetricsService,
  RolloutStepAction,
} from '../prometheus/MetricsService';
import type { TreeResourceRef } from '../vulnerabilities/resourceTree';
import { sideRevisions } from '../vulnerabilities/sideRevisions';
import type {
  RolloutScanTarget,
  VulnerabilitiesService,
} from '../vulnerabilities/VulnerabilitiesService';

/** The signal routes' data: SLO metrics and vulnerabilities of an environment. @public */
export interface SignalsService {
  getMetrics(
    ref: EntityRefParams,
    credentials: BackstageCredentials,
    query: { environment: string; rangeSeconds: number },
  ): Promise<MetricsResponse>;
  getVulnerabilities(
    ref: EntityRefParams,
    credentials: BackstageCredentials,
    query: { environment: string },
  ): Promise<VulnerabilitiesResponse>;
  /** Findings of given rollouts (e.g. for policy gates). */
  vulnerabilitiesOf(request: {
    entity: DeliveryEntityInfo;
    environment: string;
    rollouts: RolloutView[];
    /** Applications already read with their trees (reused, not re-read). */
    applications?: LiveApplication[];
  }): Promise<VulnerabilitiesResponse>;
}

/** Finds an environment of the delivery view, or throws NotFoundError. */
export function environmentOf(
  state: DeliveryState,
  environment: string,
): EnvironmentView {
  const found = state.overview.environments.find(e => e.name === environment);
  if (!found) {
    const known = state.overview.environments.map(e => e.name);
    throw new NotFoundError(
      `${state.overview.entityRef} has no environment "${environment}"${
        known.length ? `; it has ${known.join(', ')}` : ''
      }`,
    );
  }
  return found;
}

/**
 * Pairs rollouts with the resource trees of their Applications, so that
 * scanners can find Trivy Operator reports and Pods of each revision. A
 * tree the overview already read (`known`) is reused; others are read
 * through the Argo CD client (cached and coalesced there).
 */
export function createScanTargets(
  argocd: ArgoCdClient,
  logger: LoggerService,
): (
  rollouts: RolloutView[],
  known?: LiveApplication[],
) => Promise<RolloutScanTarget[]> {
  return (rollouts, known = []) =>
    Promise.all(
      rollouts.map(async view => {
        const app = { name: view.application, appNamespace: view.appNamespace };
        const read = known.find(
          a =>
            a.instance === view.instance &&
            a.ref.name === view.application &&
            (a.ref.appNamespace ?? '') === (view.appNamespace ?? ''),
        );
        const failed = (what: string) => (error: unknown) => {
          logger.warn(
            `Delivery: ${what} of ${view.instance}/${view.application}: ${
              (error as Error).message
            }`,
          );
          return undefined;
        };
        const [tree, application] = await Promise.all([
          read?.tree ??
            argocd
              .getResourceTree(view.instance, app)
              .catch(failed('resource tree')),
          // its sync status and history say which commit each side runs
          read?.application ??
            argocd
              .getApplication(view.instance, app)
              .catch(failed('application')),
        ]);
        return {
          view,
          treeNodes: tree?.nodes ?? [],
          readResource: (resource: TreeResourceRef) =>
            argocd.getResource(view.instance, read?.ref ?? app, resource),
          // each side's commit, for SAST and SCA
          revisions: sideRevisions(view, application),
        };
      }),
    );
}

/** Reads an environment's recorded actions since a time, for step changes. @public */
export type ActionTrail = (query: {
  entityRef: string;
  environment: string;
  /** ISO time. */
  since: string;
}) => Promise<RolloutStepAction[]>;

/** Creates the SignalsService over the overview and the signal services. @public */
export function createSignalsService(options: {
  overviewService: OverviewService;
  argocd: ArgoCdClient;
  metrics: MetricsService;
  vulnerabilities: VulnerabilitiesService;
  logger: LoggerService;
  /** The audit trail's actions; without it, charts mark only the rollout's own steps. */
  actionTrail?: ActionTrail;
}): SignalsService {
  const { overviewService, metrics, vulnerabilities } = options;
  const scanTargets = createScanTargets(options.argocd, options.logger);

  async function vulnerabilitiesOf(request: {
    entity: DeliveryEntityInfo;
    environment: string;
    rollouts: RolloutView[];
    applications?: LiveApplication[];
  }) {
    return vulnerabilities.getVulnerabilities({
      entity: request.entity,
      environment: request.environment,
      rollouts: await scanTargets(request.rollouts, request.applications),
    });
  }

  // The audit trail only adds marks to charts: when it fails, charts keep
  // the rollout's own step changes.
  async function recordedActions(
    entityRef: string,
    environment: string,
    rangeSeconds: number,
  ): Promise<RolloutStepAction[]> {
    if (!options.actionTrail) return [];
    try {
      return await options.actionTrail({
        entityRef,
        environment,
        since: new Date(Date.now() - rangeSeconds * 1000).toISOString(),
      });
    } catch (error) {
      options.logger.warn(
        `Delivery: audit trail of ${entityRef} in ${environment} for step changes: ${
          (error as Error).message
        }`,
      );
      return [];
    }
  }

  return {
    async getMetrics(ref, credentials, query) {
      const state = await overviewService.getDeliveryState(ref, credentials, {
        contributors: false,
      });
      const environment = environmentOf(state, query.environment);
      const actions = await recordedActions(
        state.overview.entityRef,
        environment.name,
        query.rangeSeconds,
      );
      const response = await metrics.getMetrics({
        entityRef: state.overview.entityRef,
        environment: environment.name,
        serviceName: state.entity.annotations.prometheusServiceName,
        rollouts: environment.rollouts,
        rangeSeconds: query.rangeSeconds,
        actions,
      });
      return {
        ...response,
        sources: [
          ...state.overview.sources.filter(s => s.source === 'argocd'),
          ...response.sources,
        ],
      };
    },

    async getVulnerabilities(ref, credentials, query) {
      const state = await overviewService.getDeliveryState(ref, credentials, {
        contributors: false,
      });
      const environment = environmentOf(state, query.environment);
      const response = await vulnerabilitiesOf({
        entity: state.entity,
        environment: environment.name,
        rollouts: environment.rollouts,
        applications: state.applications,
      });
      return {
        ...response,
        sources: [
          ...state.overview.sources.filter(s => s.source === 'argocd'),
          ...response.sources,
        ],
      };
    },

    vulnerabilitiesOf,
  };
}
