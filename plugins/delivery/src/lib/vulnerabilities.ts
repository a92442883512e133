import {
  SEVERITIES,
  type Severity,
  type SeverityCounts,
} from '@gitops-delivery/backstage-plugin-delivery-common';

/** Sort rank of a severity: 0 for CRITICAL, higher for less severe. */
export function severityRank(severity: Severity): number {
  const index = SEVERITIES.indexOf(severity);
  return index < 0 ? SEVERITIES.length : index;
}

/** Canary count minus stable count, per severity. */
export function severityDelta(
  canary?: SeverityCounts,
  stable?: SeverityCounts,
): SeverityCounts {
  const delta = {} as SeverityCounts;
  for (const severity of SEVERITIES) {
    delta[severity] = (canary?.[severity] ?? 0) - (stable?.[severity] ?? 0);
  }
  return delta;
}

/** Total number of findings. */
export function totalCount(counts?: SeverityCounts): number {
  return SEVERITIES.reduce((sum, s) => sum + (counts?.[s] ?? 0), 0);
}
