import type {
  AuditRecord,
  DeliveryOverview,
  HistoryEntry,
} from '@gitops-delivery/backstage-plugin-delivery-common';
import type { RecordedEvent } from './DeploymentStore';

const time = (iso?: string): number | undefined => {
  if (!iso) return undefined;
  const ms = Date.parse(iso);
  return Number.isFinite(ms) ? ms : undefined;
};

const revisionOf = (h: {
  revision?: string;
  revisions?: string[];
}): string | undefined =>
  (h.revisions?.length ? h.revisions.join(',') : h.revision)?.slice(0, 255);

/**
 * The deployments and failures an overview shows, as history rows:
 * every entry of each Application's Argo CD history is a deployment; an
 * entry that brings back a revision deployed before (and not the one just
 * before it) is also a rollback of the deployment it replaced; an aborted
 * Rollout is an abort of its canary revision. Pure, so the same overview
 * always gives the same rows (and recording them again is a no-op).
 * Keys name an entry by its Argo CD history id, so an entry read again
 * with another timestamp is still the same deployment.
 */
export function eventsFromOverview(
  overview: DeliveryOverview,
  observedAt: number,
): RecordedEvent[] {
  const entityRef = overview.entityRef;
  const events: RecordedEvent[] = [];
  for (const env of overview.environments) {
    for (const app of env.applications) {
      const appKey = `${app.instance}/${app.appNamespace ?? ''}/${app.name}`;
      const entries = app.history
        .map(h => ({ h, at: time(h.deployedAt), revision: revisionOf(h) }))
        .filter((e): e is { h: HistoryEntry; at: number; revision: string } =>
          Boolean(e.at !== undefined && e.revision),
        )
        .sort((a, b) => a.at - b.at);
      const newest = entries[entries.length - 1];
      const liveRevision = revisionOf(app.sync);
      entries.forEach((entry, i) => {
        const { h, at, revision } = entry;
        // Argo CD's history id (with the revision, in case an Application is
        // recreated and counts from 0 again) names the entry; a timestamp
        // would not do where clocks are skewed or simulated
        const identity = Number.isInteger(h.id) ? `#${h.id}` : `@${at}`;
        // what runs is known for the live revision only
        const images =
          entry === newest && revision === liveRevision && app.images.length
            ? [...app.images].sort()
            : undefined;
        events.push({
          entityRef,
          environment: env.name,
          kind: 'deployment',
          key: `deploy:${appKey}${identity}:${revision}`,
          at,
          revision,
          images,
          committedAt: time(h.metadata?.date),
          source: 'argocd',
        });
        const earlier = entries.slice(0, i);
        const previous = earlier[earlier.length - 1];
        if (
          previous &&
          previous.revision !== revision &&
          earlier.some(e => e.revision === revision)
        ) {
          // the failure is on the replaced deployment, before this one
          const startedAt = time(h.deployStartedAt);
          events.push({
            entityRef,
            environment: env.name,
            kind: 'rollback',
            key: `rollback:${appKey}${identity}:${revision}`,
            at:
              startedAt !== undefined &&
              startedAt < at &&
              startedAt > previous.at
                ? startedAt
                : at - 1,
            revision: previous.revision,
            source: 'argocd',
          });
        }
      });
    }
    for (const rollout of env.rollouts) {
      if (!rollout.aborted) continue;
      const revision = rollout.canaryPodHash ?? rollout.canaryImages.join(',');
      events.push({
        entityRef,
        environment: env.name,
        kind: 'abort',
        key: `abort:${rollout.instance}/${rollout.namespace}/${rollout.name}@${revision}`,
        at: time(rollout.abortedAt) ?? observedAt,
        revision: rollout.canaryPodHash,
        images: rollout.canaryImages.length ? rollout.canaryImages : undefined,
        source: 'argocd',
      });
    }
  }
  return events;
}

/** Aborts from the audit trail (by people or the canary guard) that reached Argo CD. */
export function eventsFromAudit(records: AuditRecord[]): RecordedEvent[] {
  return records
    .filter(r => r.action === 'abort' && r.outcome === 'succeeded')
    .flatMap(r => {
      const at = time(r.createdAt);
      if (at === undefined) return [];
      return [
        {
          entityRef: r.entityRef,
          environment: r.environment,
          kind: 'abort' as const,
          key: `audit:${r.id}`,
          at,
          source: 'audit' as const,
        },
      ];
    });
}
