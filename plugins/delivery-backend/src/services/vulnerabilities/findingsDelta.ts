import type { VulnerabilityFinding } from '@gitops-delivery/backstage-plugin-delivery-common';

/** Identity of a finding across scanners: the vulnerability in a package. */
export function findingKey(
  f: Pick<VulnerabilityFinding, 'id' | 'packageName'>,
) {
  return `${f.id}\u0000${f.packageName}`;
}

/**
 * Merges the findings of several sources for one image. A vulnerability
 * reported by two scanners counts once; the first source listed wins, but
 * a fixed version known to a later one is kept.
 */
export function mergeFindings(
  lists: VulnerabilityFinding[][],
): VulnerabilityFinding[] {
  const merged = new Map<string, VulnerabilityFinding>();
  for (const list of lists) {
    for (const f of list) {
      const key = findingKey(f);
      const existing = merged.get(key);
      if (!existing) merged.set(key, f);
      else if (!existing.fixable && f.fixable) {
        merged.set(key, {
          ...existing,
          fixable: true,
          fixedVersion: f.fixedVersion,
        });
      }
    }
  }
  return [...merged.values()];
}

/** Findings of the canary image that the stable image does not have. */
export function newInCanary(
  canary: VulnerabilityFinding[],
  stable: VulnerabilityFinding[],
): VulnerabilityFinding[] {
  const known = new Set(stable.map(findingKey));
  return canary.filter(f => !known.has(findingKey(f)));
}
