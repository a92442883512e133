import type { DeliveryScanner } from '@gitops-delivery/backstage-plugin-delivery-node';
import type { SignalCache } from '../../signals/SignalCache';
import type { TrivyReportClient, TrivyStoreResult } from '../TrivyReportClient';
import { REPORT_TTL_MS } from './reportTtl';

/** Trivy: the report store's report of the exact digest the side runs. */
export function createTrivyScanner(
  trivy: TrivyReportClient,
  cache: SignalCache,
): DeliveryScanner {
  return {
    id: 'trivy',
    async scan(target) {
      const digest = await target.resolveDigest();
      if (!digest) {
        throw new Error(
          `The digest of ${target.image.reference} is unknown, so no report can be looked up`,
        );
      }
      const result = await cache.getOrLoad<TrivyStoreResult>(
        `trivy:report:${digest}`,
        REPORT_TTL_MS,
        () => trivy.getReport(digest),
      );
      if (result.kind === 'report') {
        return {
          status: 'report',
          findings: result.findings,
          createdAt: result.createdAt,
        };
      }
      if (result.kind === 'missing') {
        return {
          status: 'no-report',
          message: `No Trivy report for ${digest}`,
        };
      }
      throw new Error(`Trivy report ignored: ${result.reason}`);
    },
  };
}
