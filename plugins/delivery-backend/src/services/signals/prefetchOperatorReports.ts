import type { ArgoCdClient } from '@gitops-delivery/backstage-plugin-delivery-node';
import type { PrefetchTarget } from '../overview/OverviewService';
import { vulnerabilityReportRefs } from '../vulnerabilities/resourceTree';

/**
 * Starts reading the Trivy Operator VulnerabilityReports of a Rollout's
 * canary and stable ReplicaSets: the reports the vulnerabilities summary
 * reads (same application, same resources, so the overview's read scope
 * hands these reads to it). Failures are left to that later read to report.
 */
export function prefetchOperatorReports(
  argocd: ArgoCdClient,
): (target: PrefetchTarget) => void {
  return ({ instance, app, rollout, treeNodes }) => {
    const name = rollout.metadata?.name;
    const namespace = rollout.metadata?.namespace;
    if (!name || !namespace) return;
    const hashes = new Set(
      [rollout.status?.currentPodHash, rollout.status?.stableRS].filter(
        (h): h is string => typeof h === 'string' && h.length > 0,
      ),
    );
    for (const hash of hashes) {
      for (const ref of vulnerabilityReportRefs(
        treeNodes,
        { name, namespace },
        hash,
      )) {
        argocd.getResource(instance, app, ref).catch(() => undefined);
      }
    }
  };
}
