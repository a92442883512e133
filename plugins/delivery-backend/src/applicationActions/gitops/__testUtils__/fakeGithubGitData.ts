import { http, HttpResponse } from 'msw';
import { createHash } from 'node:crypto';
import { jsonFixture } from '../../../__testUtils__/fixtures';

/** One call the fake GitHub received. */
export interface FakeGithubCall {
  method: string;
  path: string;
  body?: any;
  authorization?: string | null;
}

const sha = (text: string) => createHash('sha1').update(text).digest('hex');

/**
 * A pull request as GitHub's REST API answers it: GitHub's recorded example
 * (test-data fixtures/github/pull-request.json) with this one's number,
 * addresses, title, body, head, base and merge state.
 */
export function pullRequestJson(options: {
  api: string;
  owner: string;
  repo: string;
  number: number;
  title: string;
  body: string;
  head: { ref: string; sha: string };
  base: { ref: string; sha: string };
  merged?: { sha: string; at: string };
}) {
  const { api, owner, repo, number } = options;
  const recorded = jsonFixture('github/pull-request.json');
  // the recorded repository and number, moved to this one
  const text = JSON.stringify(recorded)
    .replaceAll('https://api.github.com/', `${api}/`)
    .replaceAll('octocat/Hello-World', `${owner}/${repo}`)
    .replaceAll('/1347', `/${number}`);
  const pr = JSON.parse(text);
  const side = (recordedSide: any, s: { ref: string; sha: string }) => ({
    ...recordedSide,
    label: `${owner}:${s.ref}`,
    ref: s.ref,
    sha: s.sha,
  });
  return {
    ...pr,
    number,
    state: options.merged ? 'closed' : 'open',
    locked: false,
    title: options.title,
    body: options.body,
    closed_at: options.merged?.at ?? null,
    merged_at: options.merged?.at ?? null,
    merge_commit_sha: options.merged?.sha ?? null,
    head: side(pr.head, options.head),
    base: side(pr.base, options.base),
    merged: Boolean(options.merged),
    merged_by: null,
  };
}

/**
 * A GitHub for the GitOps rollback's calls (git data API and pulls),
 * following GitHub's REST shapes: one repository whose default branch's head
 * and the chosen revision each have a root tree with the Application's path.
 */
export function fakeGithubGitData(options: {
  api?: string;
  owner: string;
  repo: string;
  /** The Application's path, e.g. `guestbook` or `deploy/staging`. */
  path: string;
  defaultBranch?: string;
  /** Answers every pulls call with this status and body instead. */
  failPulls?: { status: number; body: unknown };
}) {
  const api = options.api ?? 'https://api.github.com';
  const repoPath = `${api}/repos/${options.owner}/${options.repo}`;
  const branch = options.defaultBranch ?? 'master';
  const head = sha('head');
  const calls: FakeGithubCall[] = [];
  const pulls = new Map<number, ReturnType<typeof pullRequestJson>>();
  const branches = new Map<string, string>([[branch, head]]);
  const trees = new Map<string, unknown[]>();

  // every commit's root tree holds the path; the path's tree differs per commit
  const treeOf = (commit: string) => {
    const segments = options.path.split('/').filter(Boolean);
    let child = { path: '', sha: sha(`${commit}:${options.path}`) };
    trees.set(child.sha, [
      {
        path: 'kustomization.yaml',
        mode: '100644',
        type: 'blob',
        sha: sha(`${commit}:k`),
      },
    ]);
    for (let i = segments.length - 1; i >= 0; i--) {
      const dir = sha(`${commit}:${segments.slice(0, i).join('/')}`);
      trees.set(dir, [
        { path: segments[i], mode: '040000', type: 'tree', sha: child.sha },
        { path: 'README.md', mode: '100644', type: 'blob', sha: sha('readme') },
      ]);
      child = { path: '', sha: dir };
    }
    return child.sha;
  };

  const record = async (request: Request, path: string) => {
    const body =
      request.method === 'GET' ? undefined : await request.clone().json();
    calls.push({
      method: request.method,
      path,
      body,
      authorization: request.headers.get('authorization'),
    });
    return body;
  };

  const handlers = [
    http.get(repoPath, async ({ request }) => {
      await record(request, '');
      return HttpResponse.json({
        id: 1296269,
        name: options.repo,
        full_name: `${options.owner}/${options.repo}`,
        default_branch: branch,
      });
    }),
    http.get(
      `${repoPath}/git/ref/heads/:branch`,
      async ({ request, params }) => {
        await record(request, `/git/ref/heads/${params.branch}`);
        const at = branches.get(String(params.branch));
        if (!at) {
          return HttpResponse.json({ message: 'Not Found' }, { status: 404 });
        }
        return HttpResponse.json({
          ref: `refs/heads/${params.branch}`,
          node_id: 'MDM6UmVmcmVmcy9oZWFkcy9mZWF0dXJlQQ==',
          url: `${repoPath}/git/refs/heads/${params.branch}`,
          object: {
            type: 'commit',
            sha: at,
            url: `${repoPath}/git/commits/${at}`,
          },
        });
      },
    ),
    http.get(`${repoPath}/git/commits/:sha`, async ({ request, params }) => {
      await record(request, `/git/commits/${params.sha}`);
      const commit = String(params.sha);
      const tree = treeOf(commit);
      return HttpResponse.json({
        sha: commit,
        url: `${repoPath}/git/commits/${commit}`,
        message: 'a commit',
        tree: { sha: tree, url: `${repoPath}/git/trees/${tree}` },
        parents: [],
      });
    }),
    http.get(`${repoPath}/git/trees/:sha`, async ({ request, params }) => {
      await record(request, `/git/trees/${params.sha}`);
      const entries = trees.get(String(params.sha));
      if (!entries) {
        return HttpResponse.json({ message: 'Not Found' }, { status: 404 });
      }
      return HttpResponse.json({
        sha: params.sha,
        url: `${repoPath}/git/trees/${params.sha}`,
        tree: entries,
        truncated: false,
      });
    }),
    http.post(`${repoPath}/git/trees`, async ({ request }) => {
      const body = await record(request, '/git/trees');
      const tree = sha(JSON.stringify(body));
      return HttpResponse.json(
        {
          sha: tree,
          url: `${repoPath}/git/trees/${tree}`,
          tree: body.tree,
          truncated: false,
        },
        { status: 201 },
      );
    }),
    http.post(`${repoPath}/git/commits`, async ({ request }) => {
      const body = await record(request, '/git/commits');
      const commit = sha(JSON.stringify(body));
      return HttpResponse.json(
        {
          sha: commit,
          url: `${repoPath}/git/commits/${commit}`,
          message: body.message,
          tree: { sha: body.tree, url: `${repoPath}/git/trees/${body.tree}` },
          parents: body.parents.map((p: string) => ({ sha: p })),
        },
        { status: 201 },
      );
    }),
    http.post(`${repoPath}/git/refs`, async ({ request }) => {
      const body = await record(request, '/git/refs');
      branches.set(String(body.ref).replace(/^refs\/heads\//, ''), body.sha);
      return HttpResponse.json(
        {
          ref: body.ref,
          node_id: 'MDM6UmVmcmVmcy9oZWFkcy9mZWF0dXJlQQ==',
          url: `${repoPath}/git/${body.ref}`,
          object: {
            type: 'commit',
            sha: body.sha,
            url: `${repoPath}/git/commits/${body.sha}`,
          },
        },
        { status: 201 },
      );
    }),
    http.post(`${repoPath}/pulls`, async ({ request }) => {
      const body = await record(request, '/pulls');
      if (options.failPulls) {
        return HttpResponse.json(options.failPulls.body as any, {
          status: options.failPulls.status,
        });
      }
      const number = 1347 + pulls.size;
      const pr = pullRequestJson({
        api,
        owner: options.owner,
        repo: options.repo,
        number,
        title: body.title,
        body: body.body,
        head: { ref: body.head, sha: branches.get(body.head) ?? '' },
        base: { ref: body.base, sha: branches.get(body.base) ?? '' },
      });
      pulls.set(number, pr);
      return HttpResponse.json(pr, { status: 201 });
    }),
    http.get(`${repoPath}/pulls/:number`, async ({ request, params }) => {
      await record(request, `/pulls/${params.number}`);
      const pr = pulls.get(Number(params.number));
      if (!pr)
        return HttpResponse.json({ message: 'Not Found' }, { status: 404 });
      return HttpResponse.json(pr);
    }),
  ];

  /** Merges a pull request as GitHub does (closed, merged, a merge commit). */
  const merge = (number: number, at: string) => {
    const pr = pulls.get(number)!;
    const mergeSha = sha(`merge:${number}`);
    pulls.set(number, {
      ...pr,
      state: 'closed',
      merged: true,
      merged_at: at,
      closed_at: at,
      merge_commit_sha: mergeSha,
    });
    branches.set(branch, mergeSha);
    return mergeSha;
  };

  return {
    handlers,
    calls,
    head,
    merge,
    pathTreeAt: (commit: string) => {
      treeOf(commit);
      return sha(`${commit}:${options.path}`);
    },
  };
}
