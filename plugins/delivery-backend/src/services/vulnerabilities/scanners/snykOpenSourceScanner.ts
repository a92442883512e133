import type { DeliveryScanner } from '@gitops-delivery/backstage-plugin-delivery-node';
import type { SignalCache } from '../../signals/SignalCache';
import { isValidSnykId, type SnykClient, type SnykConfig } from '../SnykClient';
import { REPORT_TTL_MS } from './reportTtl';

/** `delivery.snyk.openSource`: Snyk Open Source projects of the repository (SCA). */
export interface SnykOpenSourceConfig {
  /**
   * The manifests Snyk monitors, as its GitHub import names the projects
   * `<owner>/<repo>:<manifest>` (e.g. `package.json`, `go.mod`).
   */
  manifests: string[];
}

/**
 * Snyk Open Source (the SCA layer): the open issues of the Snyk projects
 * of the entity's repository (`github.com/project-slug`), one per
 * configured manifest, in the entity's Snyk organisation. Snyk monitors a
 * branch, not a commit: both sides of a rollout see its latest snapshot.
 */
export function createSnykOpenSourceScanner(
  snyk: SnykClient,
  config: Pick<SnykConfig, 'orgId' | 'maxPages'>,
  openSource: SnykOpenSourceConfig,
  cache: SignalCache,
): DeliveryScanner {
  return {
    id: 'snyk-open-source',
    layer: 'sca',
    async scan(target) {
      const orgId = target.entity.annotations.snykOrgId ?? config.orgId;
      if (!orgId || !isValidSnykId(orgId)) {
        return {
          status: 'not-configured',
          message: 'No Snyk organisation for this entity',
        };
      }
      const slug = target.entity.annotations.githubProjectSlug;
      if (!slug) {
        return {
          status: 'not-configured',
          message: 'The entity has no github.com/project-slug annotation',
        };
      }
      const results = await Promise.all(
        openSource.manifests.map(manifest => {
          const name = `${slug}:${manifest}`;
          return cache.getOrLoad(
            `snyk:open-source:${orgId}:${name}`,
            REPORT_TTL_MS,
            async () => {
              const project = await snyk.findProject(orgId, name);
              return project
                ? { name, ...(await snyk.listIssues(orgId, project.id)) }
                : null;
            },
          );
        }),
      );
      const found = results.filter(
        (r): r is NonNullable<typeof r> => r !== null,
      );
      if (found.length === 0) {
        return {
          status: 'no-report',
          message: `No Snyk project named ${openSource.manifests
            .map(m => `${slug}:${m}`)
            .join(' or ')}`,
        };
      }
      const truncated = found.filter(r => r.truncated).map(r => r.name);
      return {
        status: 'report',
        findings: found.flatMap(r =>
          r.findings.map(f => ({
            ...f,
            source: 'snyk-open-source',
            layer: 'sca' as const,
            location: r.name.slice(slug.length + 1),
          })),
        ),
        createdAt: found
          .flatMap(r => (r.updatedAt ? [r.updatedAt] : []))
          .sort()
          .at(-1),
        message:
          truncated.length > 0
            ? `Only the first ${
                config.maxPages
              } pages of issues were read (${truncated.join(', ')})`
            : `Snyk's latest snapshot of ${found.map(r => r.name).join(', ')}`,
      };
    },
  };
}
