import {
  type CiJobView,
  type CiRunView,
} from '@gitops-delivery/backstage-plugin-delivery-common';
import type { MetricsService } from '@backstage/backend-plugin-api/alpha';
import {
  createSecretRedactor,
  createUpstreamCallMetrics,
  fetchUpstream,
  UpstreamTransportError,
  type SecretRedactor,
} from '@gitops-delivery/backstage-plugin-delivery-node';
import type {
  GithubCredentialsProvider,
  ScmIntegrationRegistry,
} from '@backstage/integration';
import { jobKind } from './jobKind';
import {
  GITHUB_REST_HEADERS,
  obtainGithubCredentials,
  registerGithubIntegrationSecrets,
} from '../github/githubAccess';

/** Reads GitHub Actions workflow runs and their jobs. @public */
export interface GithubActionsClient {
  /** The runs of a commit, newest first, each with its jobs. */
  runsForCommit(projectSlug: string, sha: string): Promise<CiRunView[]>;
}

/** An error of a GitHub call; never carries the credentials. @public */
export class GithubActionsError extends Error {
  readonly name = 'GithubActionsError';
  constructor(message: string, readonly httpStatus?: number) {
    super(message);
  }
}

const SLUG = /^([A-Za-z0-9-]{1,39})\/([A-Za-z0-9._-]{1,100})$/;
const SHA = /^[0-9a-f]{40}$/;
/** Runs per commit read; a commit rarely has more workflows than this. */
const MAX_RUNS = 20;

type RunJson = {
  id?: unknown;
  name?: unknown;
  head_sha?: unknown;
  status?: unknown;
  conclusion?: unknown;
  html_url?: unknown;
  created_at?: unknown;
  updated_at?: unknown;
};
type JobJson = {
  name?: unknown;
  status?: unknown;
  conclusion?: unknown;
  started_at?: unknown;
  completed_at?: unknown;
  html_url?: unknown;
};

const str = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);

/**
 * Creates the client. The API base URL and the credentials of the host come
 * from `integrations.github` through @backstage/integration, the way the
 * rest of Backstage reaches GitHub (tokens or GitHub Apps).
 */
export function createGithubActionsClient(options: {
  integrations: ScmIntegrationRegistry;
  credentialsProvider: GithubCredentialsProvider;
  timeoutMs: number;
  host?: string;
  fetch?: typeof fetch;
  /** Learns the integrations' and the obtained credentials; redacts errors. */
  redactor?: SecretRedactor;
  /** Counts and times the calls (`delivery.github.calls`). */
  metrics?: MetricsService;
}): GithubActionsClient {
  const calls = createUpstreamCallMetrics(options.metrics, 'github');
  const host = options.host ?? 'github.com';
  const redactor = options.redactor ?? createSecretRedactor();
  registerGithubIntegrationSecrets(redactor, options.integrations);

  async function get(url: string, headers: Record<string, string>) {
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
          .replace(/\/\d+(?=\/|$)/g, '/{id}')}`,
      });
    } catch (error) {
      if (!(error instanceof UpstreamTransportError)) throw error;
      throw new GithubActionsError(error.message);
    }
    if (response.status === 401) {
      throw new GithubActionsError(
        'GitHub refused the configured credentials (HTTP 401)',
        401,
      );
    }
    if (response.status === 403 || response.status === 429) {
      const limited = response.headers.get('x-ratelimit-remaining') === '0';
      throw new GithubActionsError(
        limited
          ? `GitHub rate limit reached (HTTP ${response.status})`
          : `GitHub denied access to the repository (HTTP ${response.status})`,
        response.status,
      );
    }
    if (response.status === 404) {
      throw new GithubActionsError(
        'GitHub: repository not found or not visible to the configured credentials (HTTP 404)',
        404,
      );
    }
    if (!response.ok) {
      throw new GithubActionsError(
        `GitHub answered HTTP ${response.status}`,
        response.status,
      );
    }
    try {
      return await response.json();
    } catch {
      throw new GithubActionsError('GitHub sent a response that is not JSON');
    }
  }

  return {
    async runsForCommit(projectSlug, sha) {
      const slug = SLUG.exec(projectSlug);
      if (!slug)
        throw new GithubActionsError(
          `GitHub: "${projectSlug}" is not owner/repository`,
        );
      if (!SHA.test(sha))
        throw new GithubActionsError(`GitHub: "${sha}" is not a commit SHA`);
      const integration = options.integrations.github.byHost(host);
      if (!integration) {
        throw new GithubActionsError(
          `No GitHub integration is configured for ${host}`,
        );
      }
      const headers = await obtainGithubCredentials({
        credentialsProvider: options.credentialsProvider,
        redactor,
        repositoryUrl: `https://${host}/${slug[1]}/${slug[2]}`,
        host,
      });
      const base = `${integration.config.apiBaseUrl!.replace(
        /\/+$/,
        '',
      )}/repos/${encodeURIComponent(slug[1])}/${encodeURIComponent(
        slug[2],
      )}/actions/runs`;
      const body = await get(
        `${base}?head_sha=${sha}&per_page=${MAX_RUNS}`,
        headers ?? {},
      );
      const runs = (
        Array.isArray(body?.workflow_runs) ? body.workflow_runs : []
      ) as RunJson[];
      return Promise.all(
        runs
          .filter(r => typeof r.id === 'number' && r.head_sha === sha)
          .map(async (run): Promise<CiRunView> => {
            const jobsBody = await get(
              `${base}/${run.id}/jobs?per_page=100`,
              headers ?? {},
            );
            const jobs = (
              Array.isArray(jobsBody?.jobs) ? jobsBody.jobs : []
            ) as JobJson[];
            return {
              id: run.id as number,
              name: str(run.name) ?? `run ${run.id}`,
              headSha: sha,
              status: str(run.status) ?? 'unknown',
              conclusion: str(run.conclusion),
              url: str(run.html_url),
              createdAt: str(run.created_at),
              updatedAt: str(run.updated_at),
              jobs: jobs.map(
                (job): CiJobView => ({
                  name: str(job.name) ?? 'job',
                  kind: jobKind(str(job.name) ?? ''),
                  status: str(job.status) ?? 'unknown',
                  conclusion: str(job.conclusion),
                  startedAt: str(job.started_at),
                  completedAt: str(job.completed_at),
                  url: str(job.html_url),
                }),
              ),
            };
          }),
      );
    },
  };
}
