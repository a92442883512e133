import { type VulnerabilityFinding } from '@gitops-delivery/backstage-plugin-delivery-common';
import type { MetricsService } from '@backstage/backend-plugin-api/alpha';
import {
  createSecretRedactor,
  createUpstreamCallMetrics,
  fetchUpstream,
  UpstreamTransportError,
  type SecretRedactor,
} from '@gitops-delivery/backstage-plugin-delivery-node';
import { normalizeSeverity } from './severity';

/** `delivery.snyk`. @public */
export interface SnykConfig {
  /** REST base, e.g. https://api.snyk.io/rest */
  url: string;
  /** API token (secret), sent as `Authorization: token ...`. */
  token: string;
  /** Default organisation; the entity's `snyk.io/org-id` wins. */
  orgId?: string;
  /** The `?version=` of every call, e.g. 2024-10-15. */
  apiVersion: string;
  timeoutMs: number;
  /** Most issue pages read per project; the rest is reported as truncated. */
  maxPages: number;
}

/** The open issues of one Snyk project. @public */
export interface SnykIssues {
  findings: VulnerabilityFinding[];
  /** True when more pages existed than `maxPages`. */
  truncated: boolean;
  /** Newest `updated_at` of the issues. */
  updatedAt?: string;
}

/** Reads container projects and their issues from the Snyk REST API. @public */
export interface SnykClient {
  /** The project scanning the image `name` (`repository:tag`), if any. */
  findProject(orgId: string, name: string): Promise<{ id: string } | undefined>;
  listIssues(orgId: string, projectId: string): Promise<SnykIssues>;
}

/** Snyk organisation and project ids: UUIDs or slugs. */
const ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

/** True for a value that may be used as a Snyk org or project id. @public */
export function isValidSnykId(value: unknown): value is string {
  return typeof value === 'string' && ID.test(value);
}

/** An error from the Snyk API; the message never contains the token. @public */
export class SnykError extends Error {
  readonly name = 'SnykError';
  constructor(message: string, readonly httpStatus?: number) {
    super(message);
  }
}

type IssueResource = {
  id?: unknown;
  attributes?: {
    key?: unknown;
    title?: unknown;
    type?: unknown;
    status?: unknown;
    ignored?: unknown;
    effective_severity_level?: unknown;
    updated_at?: unknown;
    problems?: Array<{ id?: unknown; source?: unknown; url?: unknown }>;
    coordinates?: Array<{
      is_upgradeable?: unknown;
      is_fixable_snyk?: unknown;
      is_fixable_upstream?: unknown;
      is_fixable_manually?: unknown;
      is_patchable?: unknown;
      representations?: Array<{
        dependency?: { package_name?: unknown; package_version?: unknown };
      }>;
    }>;
  };
};

const str = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);

/** Turns one JSON:API issue into a finding; undefined for non-vulnerabilities. */
export function snykIssueToFinding(
  issue: IssueResource,
): VulnerabilityFinding | undefined {
  const a = issue.attributes;
  if (!a || a.type !== 'package_vulnerability') return undefined;
  if (a.ignored === true || (a.status !== undefined && a.status !== 'open')) {
    return undefined;
  }
  const problems = Array.isArray(a.problems) ? a.problems : [];
  // prefer the CVE so that the same vulnerability matches Trivy's finding
  const cve = problems.find(
    p => typeof p.id === 'string' && p.id.startsWith('CVE-'),
  );
  const key = str(a.key);
  const id = str(cve?.id) ?? key ?? str(problems[0]?.id) ?? str(issue.id);
  const coordinates = Array.isArray(a.coordinates) ? a.coordinates : [];
  const dependency = coordinates
    .flatMap(c => (Array.isArray(c.representations) ? c.representations : []))
    .map(r => r.dependency)
    .find(d => d && typeof d.package_name === 'string');
  const packageName = str(dependency?.package_name);
  if (!id || !packageName) return undefined;
  const fixable = coordinates.some(
    c =>
      c.is_upgradeable === true ||
      c.is_fixable_snyk === true ||
      c.is_fixable_upstream === true ||
      c.is_patchable === true,
  );
  const snykId = key ?? str(problems.find(p => p.source === 'SNYK')?.id);
  return {
    id,
    severity: normalizeSeverity(a.effective_severity_level),
    packageName,
    installedVersion: str(dependency?.package_version),
    fixable,
    title: str(a.title),
    url: snykId?.startsWith('SNYK-')
      ? `https://security.snyk.io/vuln/${encodeURIComponent(snykId)}`
      : str(problems[0]?.url),
    source: 'snyk',
  };
}

/** Creates a SnykClient over the configured REST base. @public */
export function createSnykClient(
  config: SnykConfig,
  options: {
    fetch?: typeof fetch;
    /** Learns the token; redacts every error text. */
    redactor?: SecretRedactor;
    /** Counts and times the calls (`delivery.snyk.calls`). */
    metrics?: MetricsService;
  } = {},
): SnykClient {
  const calls = createUpstreamCallMetrics(options.metrics, 'snyk');
  const redactor = options.redactor ?? createSecretRedactor();
  redactor.register(config.token, { what: 'delivery.snyk.token' });
  const base = new URL(`${config.url.replace(/\/+$/, '')}/`);

  // `links.next` is a path such as `/rest/orgs/...?...starting_after=...`.
  // Only its path under the configured base and its query are used, so a
  // link can never send the token to another host.
  function nextUrl(next: unknown, expectedPath: string): URL | undefined {
    if (typeof next !== 'string' || next === '') return undefined;
    const parsed = new URL(next, base.origin);
    const basePath = base.pathname.replace(/\/$/, '');
    let path = parsed.pathname;
    if (path.startsWith(`${basePath}/`)) path = path.slice(basePath.length);
    else if (basePath.endsWith('/rest') && path.startsWith('/rest/')) {
      path = path.slice('/rest'.length);
    }
    if (path !== expectedPath) {
      throw new SnykError(
        `Snyk: unexpected links.next path ${parsed.pathname}`,
      );
    }
    const url = new URL(`${basePath}${path}`, base.origin);
    url.search = parsed.search;
    url.searchParams.set('version', config.apiVersion);
    return url;
  }

  async function get(
    url: URL,
  ): Promise<{ data?: unknown; links?: { next?: unknown } }> {
    let response: Response;
    try {
      response = await fetchUpstream({
        what: 'Snyk',
        url,
        headers: {
          accept: 'application/vnd.api+json',
          authorization: `token ${config.token}`,
        },
        timeoutMs: config.timeoutMs,
        fetch: options.fetch,
        redactor,
        metrics: calls,
        route: `GET ${url.pathname.replace(/\/orgs\/[^/]+/, '/orgs/{org}')}`,
      });
    } catch (error) {
      if (!(error instanceof UpstreamTransportError)) throw error;
      throw new SnykError(error.message);
    }
    if (response.status === 401) {
      throw new SnykError('Snyk refused the configured token (HTTP 401)', 401);
    }
    let body: {
      data?: unknown;
      links?: { next?: unknown };
      errors?: Array<{ detail?: unknown }>;
    };
    try {
      body = await response.json();
    } catch {
      throw new SnykError(
        `Snyk answered HTTP ${response.status} without JSON`,
        response.status,
      );
    }
    if (!response.ok) {
      const detail = str(body?.errors?.[0]?.detail);
      throw new SnykError(
        `Snyk answered HTTP ${response.status}${
          // redacted before it is cut, so no part of a secret is left
          detail ? `: ${redactor.redact(detail).slice(0, 200)}` : ''
        }`,
        response.status,
      );
    }
    return body ?? {};
  }

  function checkIds(...ids: string[]) {
    for (const id of ids) {
      if (!isValidSnykId(id))
        throw new SnykError(
          `Snyk: "${String(id).slice(0, 70)}" is not a valid id`,
        );
    }
  }

  return {
    async findProject(orgId, name) {
      checkIds(orgId);
      const url = new URL(`orgs/${orgId}/projects`, base);
      url.searchParams.set('version', config.apiVersion);
      url.searchParams.set('names', name);
      const body = await get(url);
      const data = Array.isArray(body.data) ? body.data : [];
      const id = (data[0] as { id?: unknown } | undefined)?.id;
      return isValidSnykId(id) ? { id } : undefined;
    },

    async listIssues(orgId, projectId) {
      checkIds(orgId, projectId);
      const path = `/orgs/${orgId}/issues`;
      let url: URL | undefined = new URL(`orgs/${orgId}/issues`, base);
      url.searchParams.set('version', config.apiVersion);
      url.searchParams.set('scan_item.id', projectId);
      url.searchParams.set('scan_item.type', 'project');
      url.searchParams.set('limit', '100');
      const findings: VulnerabilityFinding[] = [];
      let updatedAt: string | undefined;
      let pages = 0;
      while (url && pages < config.maxPages) {
        const body = await get(url);
        pages++;
        for (const issue of (Array.isArray(body.data)
          ? body.data
          : []) as IssueResource[]) {
          const finding = snykIssueToFinding(issue);
          if (finding) findings.push(finding);
          const updated = str(issue.attributes?.updated_at);
          if (updated && (!updatedAt || updated > updatedAt))
            updatedAt = updated;
        }
        url = nextUrl(body.links?.next, path);
      }
      return { findings, truncated: url !== undefined, updatedAt };
    },
  };
}
