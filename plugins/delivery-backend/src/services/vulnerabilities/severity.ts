import {
  SEVERITIES,
  type Severity,
  type SeverityCounts,
  type VulnerabilityFinding,
} from '@gitops-delivery/backstage-plugin-delivery-common';

/** Maps a scanner's severity (any case) onto ours; anything else is UNKNOWN. */
export function normalizeSeverity(value: unknown): Severity {
  const upper = typeof value === 'string' ? value.toUpperCase() : '';
  return (SEVERITIES as readonly string[]).includes(upper)
    ? (upper as Severity)
    : 'UNKNOWN';
}

/** All severities at zero. */
export function emptyCounts(): SeverityCounts {
  return { CRITICAL: 0, HIGH: 0, MEDIUM: 0, LOW: 0, UNKNOWN: 0 };
}

/** Number of findings per severity. */
export function severityCounts(
  findings: VulnerabilityFinding[],
): SeverityCounts {
  const counts = emptyCounts();
  for (const f of findings) counts[f.severity]++;
  return counts;
}

/** Number of findings with a fixed version available, per severity. */
export function fixableCounts(
  findings: VulnerabilityFinding[],
): SeverityCounts {
  return severityCounts(findings.filter(f => f.fixable));
}

/** Adds severity counts, e.g. of several images. */
export function addCounts(
  a: SeverityCounts,
  b: SeverityCounts,
): SeverityCounts {
  const sum = emptyCounts();
  for (const s of SEVERITIES) sum[s] = a[s] + b[s];
  return sum;
}

/** Sorts findings most severe first, then by id. */
export function sortFindings(
  findings: VulnerabilityFinding[],
): VulnerabilityFinding[] {
  return [...findings].sort(
    (a, b) =>
      SEVERITIES.indexOf(a.severity) - SEVERITIES.indexOf(b.severity) ||
      a.id.localeCompare(b.id) ||
      a.packageName.localeCompare(b.packageName),
  );
}
