import type { SourceStatus } from '@gitops-delivery/backstage-plugin-delivery-common';

/**
 * One status per source and instance: an error anywhere wins (with its
 * message), then ok, then not-configured.
 */
export function mergeSources(statuses: SourceStatus[]): SourceStatus[] {
  const rank = { error: 0, ok: 1, 'not-configured': 2 } as const;
  const merged = new Map<string, SourceStatus>();
  for (const s of statuses) {
    const key = `${s.source}\u0000${s.instance ?? ''}`;
    const existing = merged.get(key);
    if (!existing || rank[s.status] < rank[existing.status]) merged.set(key, s);
  }
  return [...merged.values()];
}
