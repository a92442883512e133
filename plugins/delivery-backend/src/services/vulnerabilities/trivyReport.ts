import type { VulnerabilityFinding } from '@gitops-delivery/backstage-plugin-delivery-common';
import { digestFromImageId } from './imageReference';
import { normalizeSeverity } from './severity';

/** A Trivy JSON report read for one digest. @public */
export type TrivyReportResult =
  | { kind: 'report'; findings: VulnerabilityFinding[]; createdAt?: string }
  | { kind: 'ignored'; reason: string };

type TrivyVulnerability = {
  VulnerabilityID?: unknown;
  PkgName?: unknown;
  InstalledVersion?: unknown;
  FixedVersion?: unknown;
  Severity?: unknown;
  Title?: unknown;
  PrimaryURL?: unknown;
};

const str = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);

/**
 * Reads a Trivy `image -f json` report (SchemaVersion 2) for the image with
 * `digest`. A report that is not of that digest (its Metadata.RepoDigests do
 * not list it) is ignored: a store mix-up must never show another image's
 * findings as this one's.
 */
export function parseTrivyReport(
  body: unknown,
  digest: string,
): TrivyReportResult {
  if (!body || typeof body !== 'object') {
    return { kind: 'ignored', reason: 'the report is not a JSON object' };
  }
  const report = body as {
    SchemaVersion?: unknown;
    CreatedAt?: unknown;
    Metadata?: { RepoDigests?: unknown };
    Results?: unknown;
  };
  if (report.SchemaVersion !== 2) {
    return {
      kind: 'ignored',
      reason: `unsupported report SchemaVersion ${String(
        report.SchemaVersion,
      )} (expected 2)`,
    };
  }
  const repoDigests = Array.isArray(report.Metadata?.RepoDigests)
    ? (report.Metadata!.RepoDigests as unknown[])
    : [];
  const digests = repoDigests.map(digestFromImageId);
  if (!digests.includes(digest)) {
    return {
      kind: 'ignored',
      reason:
        digests.length === 0
          ? `the report names no image digest, so it cannot be matched to ${digest}`
          : `the report is for ${digests
              .filter(Boolean)
              .join(', ')}, not ${digest}`,
    };
  }
  const findings: VulnerabilityFinding[] = [];
  for (const result of Array.isArray(report.Results) ? report.Results : []) {
    const vulnerabilities = (result as { Vulnerabilities?: unknown })
      ?.Vulnerabilities;
    for (const v of (Array.isArray(vulnerabilities)
      ? vulnerabilities
      : []) as TrivyVulnerability[]) {
      const id = str(v.VulnerabilityID);
      const packageName = str(v.PkgName);
      if (!id || !packageName) continue;
      const fixedVersion = str(v.FixedVersion);
      findings.push({
        id,
        severity: normalizeSeverity(v.Severity),
        packageName,
        installedVersion: str(v.InstalledVersion),
        fixedVersion,
        fixable: !!fixedVersion,
        title: str(v.Title),
        url: str(v.PrimaryURL),
        source: 'trivy',
      });
    }
  }
  return { kind: 'report', findings, createdAt: str(report.CreatedAt) };
}
