import type {
  LiveApplication,
  OverviewContributor,
  PrefetchTarget,
} from '../overview/OverviewService';
import type { MetricsService } from '../prometheus/MetricsService';
import {
  entityAnnotation,
  type DeliveryCiProvider,
} from '@gitops-delivery/backstage-plugin-delivery-node';
import type {
  CiRunView,
  RolloutView,
  SourceStatus,
} from '@gitops-delivery/backstage-plugin-delivery-common';
import { ciStatus } from '../ci/ciStatus';
import type {
  RolloutScanTarget,
  VulnerabilitiesService,
} from '../vulnerabilities/VulnerabilitiesService';
import { mergeSources } from './mergeSources';
import { worstLayer } from '../vulnerabilities/securityLayers';

/** Adds each environment's worst canary SLO to its overview summary. @public */
export function createSloContributor(
  metrics: MetricsService,
): OverviewContributor {
  return {
    source: 'prometheus',
    // the Rollout's pod hashes are all its SLO queries need: they start
    // while its AnalysisRuns are read, and contribute finds them cached
    prefetch(target) {
      metrics
        .summarize({
          environment: target.environment,
          serviceName: target.entity.annotations.prometheusServiceName,
          rollouts: [target.view],
        })
        .catch(() => undefined);
    },
    async contribute(state) {
      const statuses = await Promise.all(
        state.overview.environments
          .filter(e => e.rollouts.length > 0)
          .map(async environment => {
            const { slo, sources } = await metrics.summarize({
              environment: environment.name,
              serviceName: state.entity.annotations.prometheusServiceName,
              rollouts: environment.rollouts,
            });
            environment.summary = { ...environment.summary, slo };
            return sources;
          }),
      );
      return mergeSources(statuses.flat());
    },
  };
}

/** Adds each environment's severity counts to its overview summary. @public */
export function createVulnerabilitiesContributor(
  vulnerabilities: VulnerabilitiesService,
  scanTargets: (
    rollouts: RolloutView[],
    known?: LiveApplication[],
  ) => Promise<RolloutScanTarget[]>,
  /** Starts the reads of a Rollout's scan reports early (see OverviewContributor.prefetch). */
  prefetch?: (rollout: PrefetchTarget) => void,
): OverviewContributor {
  return {
    source: 'vulnerabilities',
    // the Rollout's images and Pods are known once it and its tree are
    // read: its scans start then (the scanners' caches and the read scope
    // hand their results to contribute), alongside its AnalysisRuns
    prefetch(target) {
      prefetch?.(target);
      scanTargets([target.view], [target.application])
        .then(rollouts =>
          vulnerabilities.summarize({
            entity: target.entity,
            environment: target.environment,
            rollouts,
          }),
        )
        .catch(() => undefined);
    },
    async contribute(state) {
      const statuses = await Promise.all(
        state.overview.environments
          .filter(e => e.rollouts.length > 0)
          .map(async environment => {
            const { counts, fixableCounts, sources, layers } =
              await vulnerabilities.summarize({
                entity: state.entity,
                environment: environment.name,
                // the trees the overview has just read, not a second read
                rollouts: await scanTargets(
                  environment.rollouts,
                  state.applications,
                ),
              });
            const worst = worstLayer(layers);
            environment.summary = {
              ...environment.summary,
              vulnerabilities: {
                counts,
                fixableCounts,
                ...(worst
                  ? {
                      worstLayer: {
                        layer: worst.layer,
                        state: worst.state,
                        counts: worst.counts,
                        ...(worst.message ? { message: worst.message } : {}),
                      },
                    }
                  : {}),
              },
            };
            return sources;
          }),
      );
      return mergeSources(statuses.flat());
    },
  };
}

/** GitHub Actions as a CI provider: the entity's `github.com/project-slug`. */
export function githubCiProvider(
  runsForCommit: (slug: string, sha: string) => Promise<CiRunView[]>,
): DeliveryCiProvider {
  return {
    id: 'github',
    projectOf: entity => entity.annotations.githubProjectSlug,
    missingProjectMessage:
      'The entity has no github.com/project-slug annotation',
    runsForCommit,
  };
}

/**
 * GitLab CI as a CI provider: the entity's `gitlab.com/project-slug`
 * (group/project) or else `gitlab.com/project-id`.
 */
export function gitlabCiProvider(
  runsForCommit: (project: string, sha: string) => Promise<CiRunView[]>,
): DeliveryCiProvider {
  return {
    id: 'gitlab',
    projectOf: entity =>
      entityAnnotation(entity, 'gitlab.com/project-slug') ??
      entityAnnotation(entity, 'gitlab.com/project-id'),
    missingProjectMessage:
      'The entity has no gitlab.com/project-slug or gitlab.com/project-id annotation',
    runsForCommit,
  };
}

/** A full git commit SHA, which the CI providers look runs up by. */
const SHA1 = /^[0-9a-f]{40}$/;

/**
 * Fills each environment's CI stage and summary from the first CI provider
 * (built-in or a module's) that finds a project for the entity.
 * @public
 */
export function createCiContributor(
  providers: ReadonlyArray<DeliveryCiProvider>,
): OverviewContributor {
  return {
    source: providers[0]?.id ?? 'ci',
    // the commit an Application deploys is known once it is listed: its
    // runs are read while its tree and Rollouts are (the provider's cache
    // hands them to contribute, which reads that environment's commit)
    prefetchApplication({ entity, application }) {
      const provider = providers.find(p => p.projectOf(entity));
      const project = provider?.projectOf(entity);
      const sync = application.status?.sync;
      const revision =
        sync?.revisions?.find(r => /^[0-9a-f]{7,64}$/.test(r)) ??
        sync?.revision;
      if (!provider || !project || !revision || !SHA1.test(revision)) return;
      provider.runsForCommit(project, revision).catch(() => undefined);
    },
    async contribute(state) {
      const provider = providers.find(p => p.projectOf(state.entity));
      const project = provider?.projectOf(state.entity);
      if (!provider || !project) {
        return providers.map(p => ({
          source: p.id,
          status: 'not-configured' as const,
          message: p.missingProjectMessage,
        }));
      }
      const statuses = await Promise.all(
        state.overview.environments.map(
          async (environment): Promise<SourceStatus[]> => {
            const revision =
              environment.stages.find(s => s.name === 'commit')?.revision ??
              environment.stages.find(s => s.name === 'ci')?.revision;
            if (!revision || !SHA1.test(revision)) return [];
            try {
              const runs = await provider.runsForCommit(project, revision);
              const ci = ciStatus(runs);
              environment.summary = {
                ...environment.summary,
                ci: {
                  status: ci.status,
                  conclusion: ci.conclusion,
                  url: ci.url,
                  runs,
                },
              };
              environment.stages = environment.stages.map(stage =>
                stage.name === 'ci'
                  ? {
                      ...stage,
                      status: ci.status,
                      message: ci.message,
                      startedAt: ci.startedAt,
                      finishedAt: ci.finishedAt,
                      revision,
                      links: runs.flatMap(r =>
                        r.url ? [{ title: r.name, url: r.url }] : [],
                      ),
                    }
                  : stage,
              );
              return [{ source: provider.id, status: 'ok' }];
            } catch (error) {
              const message =
                error instanceof Error ? error.message : String(error);
              environment.stages = environment.stages.map(stage =>
                stage.name === 'ci'
                  ? { ...stage, status: 'unknown', message }
                  : stage,
              );
              return [{ source: provider.id, status: 'error', message }];
            }
          },
        ),
      );
      return mergeSources(statuses.flat());
    },
  };
}
