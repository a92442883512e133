import type {
  ChangeCommit,
  ChangeCommits,
} from '@gitops-delivery/backstage-plugin-delivery-common';
import {
  createUpstreamCallMetrics,
  fetchUpstream,
  UpstreamTransportError,
} from '@gitops-delivery/backstage-plugin-delivery-node';
import {
  type GithubClientOptions,
  GITHUB_REST_HEADERS,
  obtainGithubCredentials,
} from '../services/github/githubAccess';

/** The commits between two revisions of a repository (GitHub compare). */
export type CompareCommits = (
  repoURL: string,
  base: string,
  head: string,
) => Promise<ChangeCommits>;

/** Commits listed at most (GitHub's compare answers up to 250 per page). */
const MAX_COMMITS = 100;
const REVISION = /^[0-9A-Za-z][0-9A-Za-z._/-]{0,199}$/;

type Json = Record<string, any>;
const str = (v: unknown) => (typeof v === 'string' && v ? v : undefined);

/** `https://github.com/acme/shop(.git)` or `git@github.com:acme/shop.git` as host and slug. */
export function githubRepository(
  repoURL: string,
): { host: string; owner: string; repo: string } | undefined {
  const m =
    /^(?:https?:\/\/|ssh:\/\/git@|git@)([^/:]+)[/:]([A-Za-z0-9-]{1,39})\/([A-Za-z0-9._-]{1,100}?)(?:\.git)?\/?$/.exec(
      repoURL,
    );
  return m ? { host: m[1], owner: m[2], repo: m[3] } : undefined;
}

/** Why GitHub answered a compare with an error status, in words. */
function failureReason(status: number): string {
  if (status === 404) {
    return 'repository or revision not found, or not visible to the configured credentials';
  }
  if (status === 401) return 'GitHub refused the configured credentials';
  if (status === 403 || status === 429) {
    return 'GitHub denied access or its rate limit was reached';
  }
  return 'GitHub failed';
}

/** A merge or squash commit's pull request: "Merge pull request #12" or "title (#12)". */
function pullRequestOf(message: string, htmlRepo: string) {
  const m =
    /^Merge pull request #(\d+)\b/.exec(message) ??
    /\(#(\d+)\)\s*$/m.exec(message);
  if (!m) return undefined;
  return { number: Number(m[1]), url: `${htmlRepo}/pull/${m[1]}` };
}

function commitOf(c: Json, htmlRepo: string): ChangeCommit | undefined {
  const sha = str(c?.sha);
  if (!sha) return undefined;
  const message = str(c.commit?.message) ?? '';
  const firstLine = message.split('\n')[0];
  const pullRequest = pullRequestOf(message.split('\n')[0], htmlRepo);
  return {
    sha,
    message: firstLine,
    ...(str(c.commit?.author?.name) ? { author: c.commit.author.name } : {}),
    ...(str(c.author?.login) ? { authorLogin: c.author.login } : {}),
    ...(str(c.commit?.author?.date) ? { date: c.commit.author.date } : {}),
    ...(str(c.html_url) ? { url: c.html_url } : {}),
    ...(pullRequest ? { pullRequest } : {}),
  };
}

/**
 * GitHub's compare (`GET /repos/{owner}/{repo}/compare/{base}...{head}`)
 * through the `integrations.github` entry of the repository's host, with
 * its credentials (a token or a GitHub App) from @backstage/integration.
 * Never throws: a failure is the part's `error` (redacted).
 */
export function createGithubCompare(
  options: GithubClientOptions,
): CompareCommits {
  const calls = createUpstreamCallMetrics(options.metrics, 'github');
  const { redactor } = options;

  async function compare(
    repoURL: string,
    base: string,
    head: string,
  ): Promise<ChangeCommits> {
    const slug = githubRepository(repoURL);
    const integration = slug && options.integrations.github.byHost(slug.host);
    if (!slug || !integration) {
      return {
        state: 'not-configured',
        error: slug
          ? `No integrations.github entry for ${slug.host}`
          : `The repository ${repoURL} is not a GitHub repository`,
        items: [],
      };
    }
    const repository = `${slug.owner}/${slug.repo}`;
    const htmlRepo = `https://${slug.host}/${repository}`;
    if (!REVISION.test(base) || !REVISION.test(head)) {
      return {
        state: 'error',
        repository,
        error: 'The revisions to compare are not commit SHAs or ref names',
        items: [],
      };
    }
    const headers = await obtainGithubCredentials({
      credentialsProvider: options.credentialsProvider,
      redactor,
      repositoryUrl: htmlRepo,
      host: slug.host,
    });
    const url = `${integration.config.apiBaseUrl!.replace(
      /\/+$/,
      '',
    )}/repos/${encodeURIComponent(slug.owner)}/${encodeURIComponent(
      slug.repo,
    )}/compare/${encodeURIComponent(base)}...${encodeURIComponent(
      head,
    )}?per_page=${MAX_COMMITS}`;
    const response = await fetchUpstream({
      what: 'GitHub',
      url,
      headers: { ...GITHUB_REST_HEADERS, ...headers },
      timeoutMs: options.timeoutMs,
      fetch: options.fetch,
      redactor,
      metrics: calls,
      route: 'GET /repos/{owner}/{repo}/compare/{basehead}',
    });
    if (!response.ok) {
      const reason = failureReason(response.status);
      return {
        state: 'error',
        repository,
        error: `GitHub compare of ${repository}: ${reason} (HTTP ${response.status})`,
        items: [],
      };
    }
    const body = (await response.json()) as Json;
    const commits = Array.isArray(body?.commits) ? body.commits : [];
    return {
      state: 'ok',
      repository,
      ...(str(body.html_url) ? { compareUrl: body.html_url } : {}),
      ...(str(body.status) ? { status: body.status } : {}),
      ...(typeof body.ahead_by === 'number' ? { aheadBy: body.ahead_by } : {}),
      ...(typeof body.behind_by === 'number'
        ? { behindBy: body.behind_by }
        : {}),
      ...(typeof body.total_commits === 'number'
        ? { totalCommits: body.total_commits }
        : {}),
      // newest first, as a change list reads
      items: commits
        .map((c: Json) => commitOf(c, htmlRepo))
        .filter((c: ChangeCommit | undefined): c is ChangeCommit => !!c)
        .reverse(),
    };
  }

  return async (repoURL, base, head) => {
    try {
      return await compare(repoURL, base, head);
    } catch (error) {
      const message =
        error instanceof UpstreamTransportError || error instanceof Error
          ? error.message
          : String(error);
      return {
        state: 'error',
        error: redactor.redact(`GitHub compare: ${message}`),
        items: [],
      };
    }
  };
}
