import type { MetricsService } from '@backstage/backend-plugin-api/alpha';
import type {
  GithubCredentialsProvider,
  ScmIntegrationRegistry,
} from '@backstage/integration';
import type { Severity } from '@gitops-delivery/backstage-plugin-delivery-common';
import {
  createSecretRedactor,
  createUpstreamCallMetrics,
  fetchUpstream,
  UpstreamTransportError,
  type SecretRedactor,
} from '@gitops-delivery/backstage-plugin-delivery-node';
import {
  GITHUB_REST_HEADERS,
  obtainGithubCredentials,
  registerGithubIntegrationSecrets,
} from '../../github/githubAccess';

/** One code scanning analysis (an upload of one tool's results for a commit). */
export interface CodeScanningAnalysis {
  id: number;
  ref: string;
  commitSha: string;
  toolName: string;
  category?: string;
  createdAt: string;
}

/** One code scanning alert as the alerts list returns it. */
export interface CodeScanningAlert {
  number: number;
  state: string;
  createdAt: string;
  ruleId: string;
  ruleName?: string;
  ruleDescription?: string;
  /** `security_severity_level` (critical..low), else the rule's `severity` (error, warning, note). */
  severity: Severity;
  tags: string[];
  toolName: string;
  htmlUrl?: string;
  /** The most recent instance on the ref asked for. */
  commitSha?: string;
  path?: string;
  startLine?: number;
  message?: string;
}

/** One Dependabot alert. */
export interface DependabotAlert {
  number: number;
  state: string;
  createdAt: string;
  fixedAt?: string;
  ecosystem?: string;
  packageName: string;
  manifestPath?: string;
  /** The advisory's GHSA id, or its CVE id. */
  advisoryId: string;
  cveId?: string;
  summary?: string;
  severity: Severity;
  vulnerableVersionRange?: string;
  firstPatchedVersion?: string;
  htmlUrl?: string;
}

/** Reads code scanning and Dependabot alerts of a GitHub repository. */
export interface GithubSecurityClient {
  /** The analyses GitHub has of a commit (any ref, any tool). */
  analysesForCommit(slug: string, sha: string): Promise<CodeScanningAnalysis[]>;
  /** The newest analyses of one tool on a ref (one page, newest first). */
  analysesForRef(
    slug: string,
    ref: string,
    toolName: string,
  ): Promise<CodeScanningAnalysis[]>;
  /** The open alerts of one tool on a ref. */
  openAlerts(
    slug: string,
    ref: string,
    toolName: string,
  ): Promise<CodeScanningAlert[]>;
  /** Open and fixed Dependabot alerts of the repository (default branch). */
  dependabotAlerts(slug: string): Promise<DependabotAlert[]>;
  /** When a commit was committed (ISO), for Dependabot alerts at a commit. */
  commitDate(slug: string, sha: string): Promise<string | undefined>;
  /** The web URL of the repository (for links). */
  repositoryUrl(slug: string): string;
}

/** An error of a GitHub security API call; never carries credentials. */
export class GithubSecurityError extends Error {
  readonly name = 'GithubSecurityError';
  constructor(message: string, readonly httpStatus?: number) {
    super(message);
  }
}

const SLUG = /^([A-Za-z0-9-]{1,39})\/([A-Za-z0-9._-]{1,100})$/;
const SHA = /^[0-9a-f]{40}$/;

const str = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);
const num = (v: unknown) =>
  typeof v === 'number' && Number.isFinite(v) ? v : undefined;

/**
 * A code scanning alert's severity: the rule's `security_severity_level`
 * (critical, high, medium, low) where the tool gives one (CodeQL's security
 * queries, most SARIF uploaders with `security-severity`), else its SARIF
 * level: error is HIGH, warning MEDIUM, note LOW.
 */
export function codeScanningSeverity(rule: {
  security_severity_level?: unknown;
  severity?: unknown;
}): Severity {
  switch (str(rule.security_severity_level)?.toLowerCase()) {
    case 'critical':
      return 'CRITICAL';
    case 'high':
      return 'HIGH';
    case 'medium':
      return 'MEDIUM';
    case 'low':
      return 'LOW';
    default:
  }
  switch (str(rule.severity)?.toLowerCase()) {
    case 'error':
      return 'HIGH';
    case 'warning':
      return 'MEDIUM';
    case 'note':
      return 'LOW';
    default:
      return 'UNKNOWN';
  }
}

function advisorySeverity(value: unknown): Severity {
  switch (str(value)?.toLowerCase()) {
    case 'critical':
      return 'CRITICAL';
    case 'high':
      return 'HIGH';
    case 'medium':
    case 'moderate':
      return 'MEDIUM';
    case 'low':
      return 'LOW';
    default:
      return 'UNKNOWN';
  }
}

/** Parses one entry of `GET /repos/{owner}/{repo}/code-scanning/analyses`. */
export function parseAnalysis(raw: unknown): CodeScanningAnalysis | undefined {
  const a = raw as Record<string, any>;
  const id = num(a?.id);
  const ref = str(a?.ref);
  const commitSha = str(a?.commit_sha);
  const toolName = str(a?.tool?.name) ?? str(a?.tool_name);
  const createdAt = str(a?.created_at);
  if (id === undefined || !ref || !commitSha || !toolName || !createdAt)
    return undefined;
  return {
    id,
    ref,
    commitSha,
    toolName,
    category: str(a.category),
    createdAt,
  };
}

/** Parses one entry of `GET /repos/{owner}/{repo}/code-scanning/alerts`. */
export function parseAlert(raw: unknown): CodeScanningAlert | undefined {
  const a = raw as Record<string, any>;
  const number = num(a?.number);
  const ruleId = str(a?.rule?.id) ?? str(a?.rule?.name);
  const toolName = str(a?.tool?.name);
  if (number === undefined || !ruleId || !toolName) return undefined;
  const instance = a.most_recent_instance ?? {};
  return {
    number,
    state: str(a.state) ?? 'unknown',
    createdAt: str(a.created_at) ?? '',
    ruleId,
    ruleName: str(a.rule?.name),
    ruleDescription: str(a.rule?.description),
    severity: codeScanningSeverity(a.rule ?? {}),
    tags: Array.isArray(a.rule?.tags)
      ? a.rule.tags.filter((t: unknown): t is string => typeof t === 'string')
      : [],
    toolName,
    htmlUrl: str(a.html_url),
    commitSha: str(instance.commit_sha),
    path: str(instance.location?.path),
    startLine: num(instance.location?.start_line),
    message: str(instance.message?.text),
  };
}

/** Parses one entry of `GET /repos/{owner}/{repo}/dependabot/alerts`. */
export function parseDependabotAlert(
  raw: unknown,
): DependabotAlert | undefined {
  const a = raw as Record<string, any>;
  const number = num(a?.number);
  const pkg = a?.dependency?.package ?? a?.security_vulnerability?.package;
  const packageName = str(pkg?.name);
  const advisoryId =
    str(a?.security_advisory?.ghsa_id) ?? str(a?.security_advisory?.cve_id);
  if (number === undefined || !packageName || !advisoryId) return undefined;
  return {
    number,
    state: str(a.state) ?? 'unknown',
    createdAt: str(a.created_at) ?? '',
    fixedAt: str(a.fixed_at),
    ecosystem: str(pkg?.ecosystem),
    packageName,
    manifestPath: str(a.dependency?.manifest_path),
    advisoryId,
    cveId: str(a.security_advisory?.cve_id),
    summary: str(a.security_advisory?.summary),
    severity: advisorySeverity(
      a.security_vulnerability?.severity ?? a.security_advisory?.severity,
    ),
    vulnerableVersionRange: str(
      a.security_vulnerability?.vulnerable_version_range,
    ),
    firstPatchedVersion: str(
      a.security_vulnerability?.first_patched_version?.identifier,
    ),
    htmlUrl: str(a.html_url),
  };
}

/** The `rel="next"` URL of a Link header, when on the same origin as `base`. */
export function nextLink(
  link: string | null,
  base: string,
): string | undefined {
  if (!link) return undefined;
  for (const part of link.split(',')) {
    const m = /<([^>]+)>\s*;\s*rel="?next"?/.exec(part);
    if (m) {
      try {
        return new URL(m[1]).origin === new URL(base).origin ? m[1] : undefined;
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}

/**
 * Creates the client. The API base URL and the credentials of the host come
 * from `integrations.github` through @backstage/integration (tokens or
 * GitHub Apps), as for the GitHub Actions client.
 */
export function createGithubSecurityClient(options: {
  integrations: ScmIntegrationRegistry;
  credentialsProvider: GithubCredentialsProvider;
  host: string;
  timeoutMs: number;
  /** Pages of 100 read at most per list. */
  maxPages: number;
  fetch?: typeof fetch;
  redactor?: SecretRedactor;
  metrics?: MetricsService;
}): GithubSecurityClient {
  const calls = createUpstreamCallMetrics(options.metrics, 'github');
  const { host } = options;
  const redactor = options.redactor ?? createSecretRedactor();
  registerGithubIntegrationSecrets(redactor, options.integrations);

  function repo(slug: string) {
    const m = SLUG.exec(slug);
    if (!m)
      throw new GithubSecurityError(
        `GitHub: "${slug}" is not owner/repository`,
      );
    const integration = options.integrations.github.byHost(host);
    if (!integration) {
      throw new GithubSecurityError(
        `No GitHub integration is configured for ${host}`,
      );
    }
    return {
      owner: m[1],
      name: m[2],
      base: `${integration.config.apiBaseUrl!.replace(
        /\/+$/,
        '',
      )}/repos/${encodeURIComponent(m[1])}/${encodeURIComponent(m[2])}`,
    };
  }

  function credentials(slug: string) {
    return obtainGithubCredentials({
      credentialsProvider: options.credentialsProvider,
      redactor,
      repositoryUrl: `https://${host}/${slug}`,
      host,
    });
  }

  async function get(
    url: string,
    headers: Record<string, string>,
    feature: string,
  ): Promise<{ body: unknown; link: string | null }> {
    let response: Response;
    try {
      response = await fetchUpstream({
        what: 'GitHub',
        url,
        headers: { ...GITHUB_REST_HEADERS, ...headers },
        timeoutMs: options.timeoutMs,
        fetch: options.fetch,
        redactor,
        metrics: calls,
        route: `GET ${new URL(url).pathname
          .replace(/\/repos\/[^/]+\/[^/]+/, '/repos/{owner}/{repo}')
          .replace(/\/commits\/[0-9a-f]{40}$/, '/commits/{sha}')}`,
      });
    } catch (error) {
      if (!(error instanceof UpstreamTransportError)) throw error;
      throw new GithubSecurityError(error.message);
    }
    if (response.status === 401) {
      throw new GithubSecurityError(
        'GitHub refused the configured credentials (HTTP 401)',
        401,
      );
    }
    if (response.status === 403 || response.status === 429) {
      const limited = response.headers.get('x-ratelimit-remaining') === '0';
      throw new GithubSecurityError(
        limited
          ? `GitHub rate limit reached (HTTP ${response.status})`
          : `GitHub denied access to ${feature} (HTTP ${response.status}); the credentials need the security_events scope or the "${feature}" read permission, or ${feature} is disabled for the repository`,
        response.status,
      );
    }
    if (response.status === 404) {
      throw new GithubSecurityError(
        `GitHub: repository not found, not visible to the configured credentials, or ${feature} not enabled (HTTP 404)`,
        404,
      );
    }
    if (!response.ok) {
      throw new GithubSecurityError(
        `GitHub answered HTTP ${response.status} for ${feature}`,
        response.status,
      );
    }
    try {
      return {
        body: await response.json(),
        link: response.headers.get('link'),
      };
    } catch {
      throw new GithubSecurityError('GitHub sent a response that is not JSON');
    }
  }

  async function list(
    first: string,
    headers: Record<string, string>,
    feature: string,
    pages = options.maxPages,
  ): Promise<unknown[]> {
    const items: unknown[] = [];
    let url: string | undefined = first;
    for (let page = 0; url && page < pages; page++) {
      const { body, link } = await get(url, headers, feature);
      if (!Array.isArray(body)) {
        throw new GithubSecurityError(
          `GitHub sent ${feature} that is not a list`,
        );
      }
      items.push(...body);
      url = nextLink(link, first);
    }
    return items;
  }

  const q = (params: Record<string, string>) =>
    new URLSearchParams(params).toString();

  return {
    repositoryUrl(slug) {
      return `https://${host}/${slug}`;
    },

    async analysesForCommit(slug, sha) {
      if (!SHA.test(sha))
        throw new GithubSecurityError(`GitHub: "${sha}" is not a commit SHA`);
      const { base } = repo(slug);
      const items = await list(
        `${base}/code-scanning/analyses?${q({ sha, per_page: '100' })}`,
        await credentials(slug),
        'code scanning',
      );
      return items.flatMap(i => parseAnalysis(i) ?? []);
    },

    async analysesForRef(slug, ref, toolName) {
      const { base } = repo(slug);
      const items = await list(
        `${base}/code-scanning/analyses?${q({
          ref,
          tool_name: toolName,
          per_page: '100',
        })}`,
        await credentials(slug),
        'code scanning',
        1,
      );
      return items.flatMap(i => parseAnalysis(i) ?? []);
    },

    async openAlerts(slug, ref, toolName) {
      const { base } = repo(slug);
      const items = await list(
        `${base}/code-scanning/alerts?${q({
          ref,
          tool_name: toolName,
          state: 'open',
          per_page: '100',
        })}`,
        await credentials(slug),
        'code scanning',
      );
      return items.flatMap(i => parseAlert(i) ?? []);
    },

    async dependabotAlerts(slug) {
      const { base } = repo(slug);
      const items = await list(
        `${base}/dependabot/alerts?${q({
          state: 'open,fixed',
          per_page: '100',
        })}`,
        await credentials(slug),
        'Dependabot alerts',
      );
      return items.flatMap(i => parseDependabotAlert(i) ?? []);
    },

    async commitDate(slug, sha) {
      if (!SHA.test(sha))
        throw new GithubSecurityError(`GitHub: "${sha}" is not a commit SHA`);
      const { base } = repo(slug);
      const { body } = await get(
        `${base}/commits/${sha}`,
        await credentials(slug),
        'commits',
      );
      const commit = (body as Record<string, any>)?.commit;
      return str(commit?.committer?.date) ?? str(commit?.author?.date);
    },
  };
}
