import type { DeliveryScanner } from '@gitops-delivery/backstage-plugin-delivery-node';
import type { SignalCache } from '../../signals/SignalCache';
import { imageName, parseImageReference } from '../imageReference';
import { isValidSnykId, type SnykClient, type SnykConfig } from '../SnykClient';
import { REPORT_TTL_MS } from './reportTtl';

/**
 * Snyk: the issues of the Snyk project named after the image, in the
 * entity's organisation (its `snyk.io/org-id`) or the configured one.
 */
export function createSnykScanner(
  snyk: SnykClient,
  config: SnykConfig,
  cache: SignalCache,
): DeliveryScanner {
  return {
    id: 'snyk',
    async scan(target) {
      const orgId = target.entity.annotations.snykOrgId ?? config.orgId;
      if (!orgId || !isValidSnykId(orgId)) {
        return {
          status: 'not-configured',
          message: 'No Snyk organisation for this entity',
        };
      }
      const name = imageName(parseImageReference(target.image.reference));
      const result = await cache.getOrLoad(
        `snyk:${orgId}:${name}`,
        REPORT_TTL_MS,
        async () => {
          const project = await snyk.findProject(orgId, name);
          return project ? await snyk.listIssues(orgId, project.id) : null;
        },
      );
      if (!result) {
        return {
          status: 'no-report',
          message: `No Snyk project named ${name}`,
        };
      }
      return {
        status: 'report',
        findings: result.findings,
        createdAt: result.updatedAt,
        message: result.truncated
          ? `Only the first ${config.maxPages} pages of issues were read`
          : undefined,
      };
    },
  };
}
