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
import {
  getGitLabRequestOptions,
  type ScmIntegrationRegistry,
} from '@backstage/integration';
import { gitlabJobKind, gitlabState } from './gitlabStatus';

/** Reads GitLab CI pipelines and their jobs. @public */
export interface GitlabCiClient {
  /** The pipelines of a commit, newest first, each with its jobs. */
  runsForCommit(project: string, sha: string): Promise<CiRunView[]>;
}

/** An error of a GitLab call; never carries the token. @public */
export class GitlabCiError extends Error {
  readonly name = 'GitlabCiError';
  constructor(message: string, readonly httpStatus?: number) {
    super(message);
  }
}

// A numeric project id, or a project path: group(/subgroup)*/project.
const PROJECT_ID = /^[1-9][0-9]{0,11}$/;
const PROJECT_PATH =
  /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,254}(\/[A-Za-z0-9_][A-Za-z0-9_.-]{0,254}){1,20}$/;
const SHA = /^[0-9a-f]{40}$/;
/** Pipelines per commit read; a commit rarely has more than this. */
const MAX_PIPELINES = 20;
/** What of an upstream error text is quoted. */
const MAX_QUOTED = 200;

type PipelineJson = {
  id?: unknown;
  name?: unknown;
  sha?: unknown;
  status?: unknown;
  web_url?: unknown;
  created_at?: unknown;
  updated_at?: unknown;
};
type JobJson = {
  name?: unknown;
  stage?: unknown;
  status?: unknown;
  allow_failure?: unknown;
  started_at?: unknown;
  finished_at?: unknown;
  web_url?: unknown;
};

const str = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);

/** GitLab's own error text (`message` or `error_description`), if any. */
async function upstreamMessage(response: Response): Promise<string> {
  try {
    const body = await response.json();
    const text = [body?.message, body?.error_description, body?.error].find(
      v => typeof v === 'string' && v !== '',
    );
    return text ? `: ${String(text).slice(0, MAX_QUOTED)}` : '';
  } catch {
    return '';
  }
}

/** The path segment of a project: a numeric id, or the URL-encoded path. */
function projectSegment(project: string): string {
  if (PROJECT_ID.test(project)) return project;
  if (project.length <= 1000 && PROJECT_PATH.test(project)) {
    return encodeURIComponent(project);
  }
  throw new GitlabCiError(
    `GitLab: "${project.slice(
      0,
      100,
    )}" is neither a project id nor group/project`,
  );
}

/**
 * Creates the client. The API base URL and the token of the host come from
 * `integrations.gitlab` through @backstage/integration, the way the rest of
 * Backstage reaches GitLab.
 */
export function createGitlabCiClient(options: {
  integrations: ScmIntegrationRegistry;
  timeoutMs: number;
  /** The `integrations.gitlab` host the annotations refer to. Default gitlab.com. */
  host?: string;
  fetch?: typeof fetch;
  /** Learns the integrations' tokens; redacts errors. */
  redactor?: SecretRedactor;
  /** Counts and times the calls (`delivery.gitlab.calls`). */
  metrics?: MetricsService;
}): GitlabCiClient {
  const calls = createUpstreamCallMetrics(options.metrics, 'gitlab');
  const host = options.host ?? 'gitlab.com';
  const redactor = options.redactor ?? createSecretRedactor();
  for (const { config } of options.integrations.gitlab.list()) {
    redactor.register(config.token, {
      what: `the token of integrations.gitlab "${config.host}"`,
    });
  }

  async function get(url: string, headers: Record<string, string>) {
    let response: Response;
    try {
      response = await fetchUpstream({
        what: 'GitLab',
        url,
        headers: { accept: 'application/json', ...headers },
        timeoutMs: options.timeoutMs,
        fetch: options.fetch,
        redactor,
        metrics: calls,
        route: `GET ${new URL(url).pathname
          .replace(/\/projects\/[^/]+/, '/projects/{id}')
          .replace(/\/\d+(?=\/|$)/g, '/{id}')}`,
      });
    } catch (error) {
      if (!(error instanceof UpstreamTransportError)) throw error;
      throw new GitlabCiError(error.message);
    }
    if (!response.ok) {
      const said = redactor.redact(await upstreamMessage(response));
      const what =
        {
          401: 'GitLab refused the configured token',
          403: 'GitLab denied access to the project',
          404: 'GitLab: project not found or not visible to the configured token',
          429: 'GitLab rate limit reached',
        }[response.status] ?? 'GitLab answered';
      throw new GitlabCiError(
        `${what} (HTTP ${response.status})${said}`,
        response.status,
      );
    }
    try {
      return await response.json();
    } catch {
      throw new GitlabCiError('GitLab sent a response that is not JSON');
    }
  }

  const job = (json: JobJson): CiJobView => {
    const name = str(json.name) ?? 'job';
    const state = gitlabState(str(json.status), json.allow_failure === true);
    return {
      name,
      kind: gitlabJobKind(name, str(json.stage)),
      ...state,
      startedAt: str(json.started_at),
      completedAt: str(json.finished_at),
      url: str(json.web_url),
    };
  };

  return {
    async runsForCommit(project, sha) {
      const segment = projectSegment(project);
      if (!SHA.test(sha))
        throw new GitlabCiError(`GitLab: "${sha}" is not a commit SHA`);
      const integration = options.integrations.gitlab.byHost(host);
      if (!integration) {
        throw new GitlabCiError(
          `No GitLab integration is configured for ${host}`,
        );
      }
      const { headers } = getGitLabRequestOptions(integration.config);
      const base = `${integration.config.apiBaseUrl.replace(
        /\/+$/,
        '',
      )}/projects/${segment}/pipelines`;
      const body = await get(
        `${base}?sha=${sha}&per_page=${MAX_PIPELINES}`,
        headers,
      );
      const pipelines = (Array.isArray(body) ? body : []) as PipelineJson[];
      return Promise.all(
        pipelines
          .filter(p => typeof p.id === 'number' && p.sha === sha)
          .map(async (pipeline): Promise<CiRunView> => {
            const jobs = await get(
              `${base}/${pipeline.id}/jobs?per_page=100`,
              headers,
            );
            return {
              id: pipeline.id as number,
              name: str(pipeline.name) ?? `pipeline ${pipeline.id}`,
              headSha: sha,
              ...gitlabState(str(pipeline.status), false),
              url: str(pipeline.web_url),
              createdAt: str(pipeline.created_at),
              updatedAt: str(pipeline.updated_at),
              jobs: (Array.isArray(jobs) ? jobs : []).map(job),
            };
          }),
      );
    },
  };
}
