import {
  callUpstream,
  createUpstreamCallMetrics,
  upstreamErrorText,
  type UpstreamResponse,
} from '@gitops-delivery/backstage-plugin-delivery-node';
import { githubRepository } from '../../changes/githubCompare';
import {
  type GithubClientOptions,
  GITHUB_REST_HEADERS,
  obtainGithubCredentials,
  registerGithubIntegrationSecrets,
} from '../../services/github/githubAccess';

/** A rollback's pull request as GitHub reports it. @public */
export interface RestorePullRequest {
  /** `owner/repo`. */
  repository: string;
  number: number;
  url: string;
  state: 'open' | 'closed';
  merged: boolean;
  mergeCommitSha?: string;
  mergedAt?: string;
  /** The branch the pull request restores the path on. */
  branch: string;
  /** The branch it merges into. */
  base: string;
}

/** What a restore pull request is opened with. @public */
export interface RestoreRequest {
  /** The Application's `spec.source.repoURL`. */
  repoURL: string;
  /** The Application's `spec.source.path` (`.` or empty: the whole repository). */
  path: string;
  /** The Application's `spec.source.targetRevision` (a branch), or HEAD. */
  targetRevision?: string;
  /** The commit whose content of `path` is restored. */
  revision: string;
  /** The new branch, e.g. `delivery/rollback-checkout-staging-<id>`. */
  branch: string;
  title: string;
  body: string;
}

/** Opens and reads restore pull requests on a manifest repository. @public */
export interface GitopsRepository {
  /** Why no pull request can be opened for the source, or undefined. */
  unsupported(repoURL: string | undefined): string | undefined;
  openRestorePullRequest(request: RestoreRequest): Promise<RestorePullRequest>;
  getPullRequest(repoURL: string, number: number): Promise<RestorePullRequest>;
}

/** GitHub refused or failed a call; its message is redacted. @public */
export class GithubWriteError extends Error {
  readonly name = 'GithubWriteError';
  constructor(message: string, readonly status?: number) {
    super(message);
  }
}

type Json = Record<string, any>;
const SHA = /^[0-9a-f]{40}$/;
const BRANCH = /^[0-9A-Za-z][0-9A-Za-z._/-]{0,199}$/;
const TREE_MODE = '040000';

/** `deploy/staging/` as `['deploy', 'staging']`; `.` and `` as the root. */
export function pathSegments(path: string): string[] {
  return path.split('/').filter(s => s !== '' && s !== '.');
}

/**
 * The restore pull request through GitHub's git data API: the tree of the
 * path at the chosen revision replaces the path's tree on the head of the
 * base branch (`POST /git/trees` with `base_tree`), in one new commit on a
 * new branch, proposed as a pull request. Credentials come from the
 * `integrations.github` entry of the repository's host
 * (@backstage/integration); every one is known to the redactor before use.
 */
export function createGithubGitopsRepository(
  options: GithubClientOptions,
): GitopsRepository {
  const { redactor } = options;
  const calls = createUpstreamCallMetrics(options.metrics, 'github');
  registerGithubIntegrationSecrets(redactor, options.integrations);

  function locate(repoURL: string) {
    const slug = githubRepository(repoURL);
    const integration = slug && options.integrations.github.byHost(slug.host);
    if (!slug || !integration) {
      throw new GithubWriteError(
        slug
          ? `No integrations.github entry for ${slug.host}`
          : `The repository ${repoURL} is not a GitHub repository`,
      );
    }
    return {
      ...slug,
      repository: `${slug.owner}/${slug.repo}`,
      api: `${integration.config.apiBaseUrl!.replace(/\/+$/, '')}/repos/${
        slug.owner
      }/${slug.repo}`,
      html: `https://${slug.host}/${slug.owner}/${slug.repo}`,
    };
  }

  async function client(repoURL: string) {
    const repo = locate(repoURL);
    const headers = await obtainGithubCredentials({
      credentialsProvider: options.credentialsProvider,
      redactor,
      repositoryUrl: repo.html,
      host: repo.host,
    });
    const call = async (
      method: string,
      route: string,
      path: string,
      body?: unknown,
    ): Promise<Json> => {
      let response: UpstreamResponse;
      try {
        response = await callUpstream({
          what: 'GitHub',
          url: `${repo.api}${path}`,
          method,
          headers: { ...GITHUB_REST_HEADERS, ...headers },
          body,
          timeoutMs: options.timeoutMs,
          fetch: options.fetch,
          redactor,
          metrics: calls,
          route: `${method} /repos/{owner}/{repo}${route}`,
        });
      } catch (error) {
        throw new GithubWriteError(
          redactor.redact(
            error instanceof Error ? error.message : String(error),
          ),
        );
      }
      if (!response.ok) {
        const said = upstreamErrorText(response.text, redactor);
        throw new GithubWriteError(
          `GitHub ${method} ${route} on ${repo.repository} answered ${
            response.status
          }${said ? `: ${said}` : ''}`,
          response.status,
        );
      }
      try {
        return JSON.parse(response.text) as Json;
      } catch {
        throw new GithubWriteError(
          `GitHub ${method} ${route} on ${repo.repository} answered no JSON`,
          response.status,
        );
      }
    };
    return { repo, call };
  }

  const e = encodeURIComponent;

  return {
    unsupported(repoURL) {
      if (!repoURL) return 'The Application names no Git repository';
      try {
        locate(repoURL);
        return undefined;
      } catch (error) {
        return (error as Error).message;
      }
    },

    async openRestorePullRequest(request) {
      if (!SHA.test(request.revision)) {
        throw new GithubWriteError(
          `The history entry's revision ${request.revision} is not a commit SHA`,
        );
      }
      if (!BRANCH.test(request.branch)) {
        throw new GithubWriteError(`Invalid branch name ${request.branch}`);
      }
      const { repo, call } = await client(request.repoURL);
      const named = request.targetRevision;
      const base =
        named && named !== 'HEAD' && BRANCH.test(named) && !SHA.test(named)
          ? named
          : String((await call('GET', '', '')).default_branch ?? 'main');
      const ref = await call(
        'GET',
        '/git/ref/{ref}',
        `/git/ref/${e(`heads/${base}`).replace(/%2F/g, '/')}`,
      );
      const headSha = String(ref.object?.sha ?? '');
      const head = await call(
        'GET',
        '/git/commits/{commit_sha}',
        `/git/commits/${e(headSha)}`,
      );
      // the path's tree at the chosen revision, one level at a time
      const target = await call(
        'GET',
        '/git/commits/{commit_sha}',
        `/git/commits/${e(request.revision)}`,
      );
      let treeSha = String(target.tree?.sha ?? '');
      const segments = pathSegments(request.path);
      for (const segment of segments) {
        const tree = await call(
          'GET',
          '/git/trees/{tree_sha}',
          `/git/trees/${e(treeSha)}`,
        );
        const entry = (tree.tree as Json[] | undefined)?.find(
          t => t.path === segment && t.type === 'tree',
        );
        if (!entry) {
          throw new GithubWriteError(
            `${repo.repository} has no ${segments.join(
              '/',
            )} at ${request.revision.slice(0, 12)}`,
          );
        }
        treeSha = String(entry.sha);
      }
      const newTree =
        segments.length === 0
          ? treeSha
          : String(
              (
                await call('POST', '/git/trees', '/git/trees', {
                  base_tree: head.tree?.sha,
                  tree: [
                    {
                      path: segments.join('/'),
                      mode: TREE_MODE,
                      type: 'tree',
                      sha: treeSha,
                    },
                  ],
                })
              ).sha,
            );
      const commit = await call('POST', '/git/commits', '/git/commits', {
        message: `${request.title}\n\n${request.body}`,
        tree: newTree,
        parents: [headSha],
      });
      await call('POST', '/git/refs', '/git/refs', {
        ref: `refs/heads/${request.branch}`,
        sha: commit.sha,
      });
      const pull = await call('POST', '/pulls', '/pulls', {
        title: request.title,
        head: request.branch,
        base,
        body: request.body,
      });
      return pullRequestOf(pull, repo.repository, request.branch, base);
    },

    async getPullRequest(repoURL, number) {
      const { repo, call } = await client(repoURL);
      const pull = await call(
        'GET',
        '/pulls/{pull_number}',
        `/pulls/${number}`,
      );
      return pullRequestOf(
        pull,
        repo.repository,
        String(pull.head?.ref ?? ''),
        String(pull.base?.ref ?? ''),
      );
    },
  };
}

function pullRequestOf(
  pull: Json,
  repository: string,
  branch: string,
  base: string,
): RestorePullRequest {
  const merged = pull.merged === true || typeof pull.merged_at === 'string';
  return {
    repository,
    number: Number(pull.number),
    url: String(pull.html_url ?? ''),
    state: pull.state === 'closed' ? 'closed' : 'open',
    merged,
    ...(merged && typeof pull.merge_commit_sha === 'string'
      ? { mergeCommitSha: pull.merge_commit_sha }
      : {}),
    ...(typeof pull.merged_at === 'string' ? { mergedAt: pull.merged_at } : {}),
    branch,
    base,
  };
}
