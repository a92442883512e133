import type { VulnerabilityFinding } from '@gitops-delivery/backstage-plugin-delivery-common';
import type {
  DeliveryScanner,
  ScanResult,
  ScanTarget,
} from '@gitops-delivery/backstage-plugin-delivery-node';
import type { SignalCache } from '../../signals/SignalCache';
import type {
  CodeScanningAlert,
  CodeScanningAnalysis,
  DependabotAlert,
  GithubSecurityClient,
} from './GithubSecurityClient';

/** `delivery.githubSecurity`: SAST, SCA and IaC from GitHub. @public */
export interface GithubSecurityConfig {
  /** The `integrations.github` host the entities' `github.com/project-slug` is on. */
  host: string;
  timeoutMs: number;
  /** Pages of 100 alerts read at most per list. */
  maxPages: number;
  /** Code scanning alerts of the deployed commit (SAST; IaC for the IaC tools). */
  codeScanning: boolean;
  /** Dependabot alerts (SCA). */
  dependabot: boolean;
  /**
   * Code scanning tools whose alerts are infrastructure-as-code findings,
   * lower case (default checkov, tfsec, kics, terrascan). Trivy's
   * misconfiguration results (rule tag `misconfiguration`) are IaC too.
   */
  iacTools: string[];
}

export const DEFAULT_IAC_TOOLS = ['checkov', 'tfsec', 'kics', 'terrascan'];

/** The ids the GitHub scanners register under. */
export const GITHUB_SCANNER_IDS = {
  sast: 'github-code-scanning',
  iac: 'github-code-scanning-iac',
  sca: 'github-dependabot',
};

/** Alerts change when a new analysis is uploaded: keep them a minute. */
const ALERTS_TTL_MS = 60_000;

/** What a code scanning tool reports: SAST, IaC, or (Trivy) either. */
export function toolKind(
  toolName: string,
  iacTools: string[],
): 'sast' | 'iac' | 'trivy' {
  const tool = toolName.toLowerCase();
  if (iacTools.includes(tool)) return 'iac';
  if (tool === 'trivy' || tool.startsWith('trivy ')) return 'trivy';
  return 'sast';
}

/** Which layer a code scanning alert belongs to: `iac`, `sast`, or none (Trivy's CVEs, left to the image layer). */
export function codeScanningLayer(
  alert: Pick<CodeScanningAlert, 'toolName' | 'tags' | 'ruleId'>,
  iacTools: string[],
): 'sast' | 'iac' | undefined {
  const kind = toolKind(alert.toolName, iacTools);
  if (kind === 'iac') return 'iac';
  if (kind === 'trivy') {
    const tags = alert.tags.map(t => t.toLowerCase());
    if (tags.includes('misconfiguration') || tags.includes('config'))
      return 'iac';
    // Trivy's vulnerability results are of the image or its packages
    return undefined;
  }
  return 'sast';
}

/** A code scanning alert as a finding of the SAST or IaC layer. */
export function codeScanningFinding(
  alert: CodeScanningAlert,
  layer: 'sast' | 'iac',
): VulnerabilityFinding {
  const where = alert.path
    ? `${alert.path}${alert.startLine ? `:${alert.startLine}` : ''}`
    : undefined;
  return {
    id: alert.ruleId,
    title:
      alert.ruleDescription ?? alert.message ?? alert.ruleName ?? alert.ruleId,
    severity: alert.severity,
    // the file, the same on both sides, so the canary delta is per rule and file
    packageName: alert.path ?? alert.toolName,
    ...(where ? { location: where } : {}),
    fixable: false,
    source: layer === 'iac' ? GITHUB_SCANNER_IDS.iac : GITHUB_SCANNER_IDS.sast,
    layer,
    ...(alert.htmlUrl ? { url: alert.htmlUrl } : {}),
  };
}

/**
 * The open alerts present at a commit: the analyses GitHub has of the
 * commit say on which refs and by which tools it was analysed; of each
 * ref's open alerts of that tool, those count that were seen at the commit
 * (their most recent instance is of it) or created before the ref's next
 * analysis after the commit's (what that analysis found is still open).
 */
export async function alertsAtCommit(
  client: GithubSecurityClient,
  cache: SignalCache,
  slug: string,
  sha: string,
): Promise<{ analyses: CodeScanningAnalysis[]; alerts: CodeScanningAlert[] }> {
  const analyses = await cache.getOrLoad(
    `github:code-scanning:analyses:${slug}:${sha}`,
    ALERTS_TTL_MS,
    () => client.analysesForCommit(slug, sha),
  );
  const groups = new Map<string, CodeScanningAnalysis[]>();
  for (const a of analyses) {
    const key = `${a.ref}\u0000${a.toolName}`;
    groups.set(key, [...(groups.get(key) ?? []), a]);
  }
  const found = new Map<number, CodeScanningAlert>();
  await Promise.all(
    [...groups.values()].map(async group => {
      const { ref, toolName } = group[0];
      const analysedAt = group
        .map(a => a.createdAt)
        .sort()
        .at(-1)!;
      const [onRef, open] = await Promise.all([
        cache.getOrLoad(
          `github:code-scanning:ref-analyses:${slug}:${ref}:${toolName}`,
          ALERTS_TTL_MS,
          () => client.analysesForRef(slug, ref, toolName),
        ),
        cache.getOrLoad(
          `github:code-scanning:alerts:${slug}:${ref}:${toolName}`,
          ALERTS_TTL_MS,
          () => client.openAlerts(slug, ref, toolName),
        ),
      ]);
      const next = onRef
        .filter(a => a.commitSha !== sha && a.createdAt > analysedAt)
        .map(a => a.createdAt)
        .sort()[0];
      for (const alert of open) {
        if (
          alert.commitSha === sha ||
          !next ||
          (alert.createdAt !== '' && alert.createdAt < next)
        ) {
          found.set(alert.number, alert);
        }
      }
    }),
  );
  return {
    analyses,
    alerts: [...found.values()].sort((a, b) => a.number - b.number),
  };
}

function slugOf(target: ScanTarget): string | undefined {
  return target.entity.annotations.githubProjectSlug;
}

function commitMissing(target: ScanTarget): ScanResult {
  return {
    status: 'no-report',
    message: `The commit the ${target.side} runs is not known (no git revision in Argo CD's sync status or history)`,
  };
}

/**
 * The code scanning scanners: `github-code-scanning` (SAST: CodeQL and any
 * SARIF uploader that is not an IaC tool) and `github-code-scanning-iac`
 * (Checkov, tfsec, ... and Trivy's misconfigurations), both of the side's
 * commit, sharing one read.
 */
export function createCodeScanningScanners(
  client: GithubSecurityClient,
  config: Pick<GithubSecurityConfig, 'iacTools'>,
  cache: SignalCache,
): DeliveryScanner[] {
  const scanner = (layer: 'sast' | 'iac'): DeliveryScanner => ({
    id: GITHUB_SCANNER_IDS[layer],
    layer,
    async scan(target) {
      const slug = slugOf(target);
      if (!slug) {
        return {
          status: 'not-configured',
          message: 'The entity has no github.com/project-slug annotation',
        };
      }
      const sha = target.revision;
      if (!sha) return commitMissing(target);
      const { analyses, alerts } = await alertsAtCommit(
        client,
        cache,
        slug,
        sha,
      );
      const short = sha.slice(0, 7);
      const mine = analyses.filter(a => {
        const kind = toolKind(a.toolName, config.iacTools);
        return layer === 'iac' ? kind !== 'sast' : kind === 'sast';
      });
      if (mine.length === 0) {
        return {
          status: 'no-report',
          message:
            analyses.length === 0
              ? `No code scanning analysis of commit ${short}`
              : `No ${
                  layer === 'iac'
                    ? 'IaC tool (Checkov, tfsec, Trivy config)'
                    : 'SAST tool'
                } analysed commit ${short} (tools: ${[
                  ...new Set(analyses.map(a => a.toolName)),
                ].join(', ')})`,
        };
      }
      const findings = alerts
        .filter(a => codeScanningLayer(a, config.iacTools) === layer)
        .map(a => codeScanningFinding(a, layer));
      return {
        status: 'report',
        findings,
        createdAt: mine
          .map(a => a.createdAt)
          .sort()
          .at(-1),
        links: [
          {
            title: 'Code scanning',
            url: `${client.repositoryUrl(slug)}/security/code-scanning`,
          },
        ],
        message: `${[...new Set(mine.map(a => a.toolName))].join(
          ', ',
        )} on commit ${short}`,
      };
    },
  });
  return [scanner('sast'), scanner('iac')];
}

/** A Dependabot alert as a finding of the SCA layer. */
export function dependabotFinding(
  alert: DependabotAlert,
): VulnerabilityFinding {
  return {
    id: alert.cveId ?? alert.advisoryId,
    title: alert.summary ?? alert.advisoryId,
    severity: alert.severity,
    packageName: alert.packageName,
    // Dependabot names the vulnerable range, not the resolved version
    ...(alert.vulnerableVersionRange
      ? { installedVersion: alert.vulnerableVersionRange }
      : {}),
    ...(alert.firstPatchedVersion
      ? { fixedVersion: alert.firstPatchedVersion }
      : {}),
    fixable: !!alert.firstPatchedVersion,
    ...(alert.manifestPath ? { location: alert.manifestPath } : {}),
    source: GITHUB_SCANNER_IDS.sca,
    layer: 'sca',
    ...(alert.htmlUrl ? { url: alert.htmlUrl } : {}),
  };
}

/**
 * How long after a commit's (committer) date Dependabot's alerts still
 * belong to it: Dependabot scans a push within minutes, so an alert it
 * opens (or closes) that soon after the commit is of that commit.
 */
export const DEPENDABOT_GRACE_MS = 60 * 60_000;

/**
 * Dependabot alerts present at a commit (Dependabot watches the default
 * branch): opened by the time the commit had been scanned (its date plus
 * DEPENDABOT_GRACE_MS) and still open, or fixed only after that. Without
 * the commit's date, the open alerts.
 */
export function dependabotAtCommit(
  alerts: DependabotAlert[],
  committedAt: string | undefined,
): DependabotAlert[] {
  if (!committedAt) return alerts.filter(a => a.state === 'open');
  const at = Date.parse(committedAt) + DEPENDABOT_GRACE_MS;
  return alerts.filter(a => {
    const created = Date.parse(a.createdAt);
    if (Number.isFinite(created) && created > at) return false;
    if (a.state === 'open') return true;
    const fixed = a.fixedAt ? Date.parse(a.fixedAt) : NaN;
    return a.state === 'fixed' && Number.isFinite(fixed) && fixed > at;
  });
}

/** `github-dependabot`: the SCA layer from Dependabot alerts, per side's commit. */
export function createDependabotScanner(
  client: GithubSecurityClient,
  cache: SignalCache,
): DeliveryScanner {
  return {
    id: GITHUB_SCANNER_IDS.sca,
    layer: 'sca',
    async scan(target) {
      const slug = slugOf(target);
      if (!slug) {
        return {
          status: 'not-configured',
          message: 'The entity has no github.com/project-slug annotation',
        };
      }
      const sha = target.revision;
      // the alerts and the commit's date, read at the same time
      const [alerts, committedAt] = await Promise.all([
        cache.getOrLoad(`github:dependabot:${slug}`, ALERTS_TTL_MS, () =>
          client.dependabotAlerts(slug),
        ),
        sha
          ? // a commit's date never changes
            cache
              .getOrLoad(`github:commit-date:${slug}:${sha}`, 3_600_000, () =>
                client.commitDate(slug, sha),
              )
              .catch(() => undefined)
          : undefined,
      ]);
      const present = dependabotAtCommit(alerts, committedAt);
      return {
        status: 'report',
        findings: present.map(dependabotFinding),
        links: [
          {
            title: 'Dependabot alerts',
            url: `${client.repositoryUrl(slug)}/security/dependabot`,
          },
        ],
        message: committedAt
          ? `Dependabot alerts of the default branch present at commit ${sha!.slice(
              0,
              7,
            )}`
          : 'Open Dependabot alerts of the default branch (the deployed commit’s date is not known)',
      };
    },
  };
}
