import type { VulnerabilityFinding } from '@gitops-delivery/backstage-plugin-delivery-common';
import { isValidDigest } from './imageReference';
import { normalizeSeverity } from './severity';

/** A Trivy Operator VulnerabilityReport, reduced to what the view shows. @public */
export interface OperatorReport {
  /** `registry/repository:tag` as the report names it. */
  image?: string;
  digest?: string;
  container?: string;
  createdAt?: string;
  findings: VulnerabilityFinding[];
}

const str = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);

/**
 * Reads a live `aquasecurity.github.io/v1alpha1` VulnerabilityReport
 * manifest; returns undefined for anything else.
 */
export function parseOperatorReport(
  manifest: unknown,
): OperatorReport | undefined {
  const m = manifest as {
    kind?: unknown;
    metadata?: { labels?: Record<string, unknown> };
    report?: {
      updateTimestamp?: unknown;
      registry?: { server?: unknown };
      artifact?: { repository?: unknown; tag?: unknown; digest?: unknown };
      vulnerabilities?: unknown;
    };
  };
  if (m?.kind !== 'VulnerabilityReport' || !m.report) return undefined;
  const { report } = m;
  const repository = str(report.artifact?.repository);
  const server = str(report.registry?.server);
  const tag = str(report.artifact?.tag);
  const image = repository
    ? `${server ? `${server}/` : ''}${repository}${tag ? `:${tag}` : ''}`
    : undefined;
  const digest = report.artifact?.digest;
  const findings: VulnerabilityFinding[] = [];
  const list = Array.isArray(report.vulnerabilities)
    ? report.vulnerabilities
    : [];
  for (const v of list as Array<Record<string, unknown>>) {
    const id = str(v?.vulnerabilityID);
    const packageName = str(v?.resource);
    if (!id || !packageName) continue;
    const fixedVersion = str(v.fixedVersion);
    findings.push({
      id,
      severity: normalizeSeverity(v.severity),
      packageName,
      installedVersion: str(v.installedVersion),
      fixedVersion,
      fixable: !!fixedVersion,
      title: str(v.title),
      url: str(v.primaryLink),
      source: 'trivy-operator',
    });
  }
  return {
    image,
    digest: isValidDigest(digest) ? digest : undefined,
    container: str(m.metadata?.labels?.['trivy-operator.container.name']),
    createdAt: str(report.updateTimestamp),
    findings,
  };
}
