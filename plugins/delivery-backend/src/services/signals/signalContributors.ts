import type { OverviewContributor } from '../overview/OverviewService';
import type { MetricsService } from '../prometheus/MetricsService';
import type { RolloutView } from '@gitops-delivery/backstage-plugin-delivery-common';
import type {
  RolloutScanTarget,
  VulnerabilitiesService,
} from '../vulnerabilities/VulnerabilitiesService';
import { mergeSources } from './mergeSources';

/** Adds each environment's worst canary SLO to its overview summary. @public */
export function createSloContributor(
  metrics: MetricsService,
): OverviewContributor {
  return {
    source: 'prometheus',
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
  scanTargets: (rollouts: RolloutView[]) => Promise<RolloutScanTarget[]>,
): OverviewContributor {
  return {
    source: 'vulnerabilities',
    async contribute(state) {
      const statuses = await Promise.all(
        state.overview.environments
          .filter(e => e.rollouts.length > 0)
          .map(async environment => {
            const { counts, fixableCounts, sources } =
              await vulnerabilities.summarize({
                environment: environment.name,
                snykOrgId: state.entity.annotations.snykOrgId,
                rollouts: await scanTargets(environment.rollouts),
              });
            environment.summary = {
              ...environment.summary,
              vulnerabilities: { counts, fixableCounts },
            };
            return sources;
          }),
      );
      return mergeSources(statuses.flat());
    },
  };
}
