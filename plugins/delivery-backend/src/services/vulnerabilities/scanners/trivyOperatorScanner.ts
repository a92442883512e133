import type { DeliveryScanner } from '@gitops-delivery/backstage-plugin-delivery-node';
import type { VulnerabilityFinding } from '@gitops-delivery/backstage-plugin-delivery-common';
import { vulnerabilityReportRefs } from '../resourceTree';
import { parseOperatorReport } from '../trivyOperatorReport';

/**
 * Trivy Operator: the VulnerabilityReports of the side's ReplicaSet, read
 * from the Application's resource tree. Its reports also name the digest
 * they scanned, which the scanners after it then use.
 */
export function createTrivyOperatorScanner(): DeliveryScanner {
  return {
    id: 'trivy-operator',
    async scan(target) {
      const refs = vulnerabilityReportRefs(
        [...target.treeNodes],
        target.rollout,
        target.podTemplateHash,
      );
      const manifests = await Promise.all(
        refs.map(ref => target.readResource(ref)),
      );
      const reports = manifests.flatMap(m => parseOperatorReport(m) ?? []);
      const image = target.image.reference;
      const own = reports.filter(
        r => !r.image || target.sideImages.length === 1 || r.image === image,
      );
      if (own.length === 0) {
        return {
          status: 'no-report',
          message: `No VulnerabilityReport for ReplicaSet ${target.rollout.name}-${target.podTemplateHash}`,
        };
      }
      const findings: VulnerabilityFinding[] = own.flatMap(r => r.findings);
      return {
        status: 'report',
        findings,
        createdAt: own
          .flatMap(r => (r.createdAt ? [r.createdAt] : []))
          .sort()
          .at(-1),
        digest: own.find(r => r.digest)?.digest,
      };
    },
  };
}
