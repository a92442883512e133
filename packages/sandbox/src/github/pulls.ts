/*
 * GitHub's git data API (refs, commits, trees) and pull requests over the
 * demo services' manifest repositories, for the Delivery plugin's GitOps
 * rollback, in the shapes of GitHub's REST API (the pull request follows
 * packages/test-data/fixtures/github/pull-request.json). Each release is one
 * commit whose tree holds `deploy/<environment>` per environment; a pull
 * request that restores an environment's path to an older release, once
 * merged (`PUT .../pulls/{n}/merge`, or by itself AUTO_MERGE_MS after it was
 * opened), sets the Application's target to that release and, with
 * auto-sync on, Argo CD syncs it: the tab sees the whole loop.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createHash } from 'node:crypto';
import { wireTime } from '../clock';
import { parseJson, readBody, sendJson } from '../http';
import { commitSha } from '../ids';
import type { AppState, WorldState } from '../world/state';
import type { WorldService } from '../world/types';
import { numericId } from './actions';
import { userJson } from './users';

/** How long (simulated) an opened pull request waits before it merges itself. */
export const AUTO_MERGE_MS = 20_000;

type Json = Record<string, any>;
interface TreeEntry {
  path: string;
  mode: string;
  type: 'tree' | 'blob';
  sha: string;
}
interface Commit {
  sha: string;
  tree: string;
  parents: string[];
  message: string;
  at: number;
}
interface Pull {
  number: number;
  title: string;
  body: string;
  head: string;
  base: string;
  baseSha: string;
  openedAt: number;
  mergedAt?: number;
  mergeSha?: string;
}

/** The git objects, branches and pull requests of the demo's repositories. */
interface GitStore {
  trees: Map<string, TreeEntry[]>;
  commits: Map<string, Commit>;
  /** `<owner/repo>:<branch>` to commit. */
  refs: Map<string, string>;
  /** `<owner/repo>#<n>`. */
  pulls: Map<string, Pull>;
  /** The release each environment tree is of. */
  releaseOfTree: Map<string, string>;
}

const stores = new WeakMap<WorldState, GitStore>();
const hash = (text: string) => createHash('sha1').update(text).digest('hex');

/** The release commits and trees of every service, once per world. */
function storeOf(world: WorldState): GitStore {
  let store = stores.get(world);
  if (store) return store;
  store = {
    trees: new Map(),
    commits: new Map(),
    refs: new Map(),
    pulls: new Map(),
    releaseOfTree: new Map(),
  };
  for (const service of world.services) addReleases(world, store, service);
  stores.set(world, store);
  return store;
}

function addReleases(
  world: WorldState,
  store: GitStore,
  service: WorldService,
) {
  service.versions.forEach((version, i) => {
    const envTrees: TreeEntry[] = service.environments.map(env => {
      const sha = commitSha(`tree:${service.name}:deploy/${env.name}`, version);
      store.trees.set(sha, [
        {
          path: 'kustomization.yaml',
          mode: '100644',
          type: 'blob',
          sha: commitSha(`blob:${service.name}:${env.name}`, version),
        },
      ]);
      store.releaseOfTree.set(sha, version);
      return { path: env.name, mode: '040000', type: 'tree', sha };
    });
    const deploy = commitSha(`tree:${service.name}:deploy`, version);
    store.trees.set(deploy, envTrees);
    const root = commitSha(`tree:${service.name}`, version);
    store.trees.set(root, [
      { path: 'deploy', mode: '040000', type: 'tree', sha: deploy },
      {
        path: 'README.md',
        mode: '100644',
        type: 'blob',
        sha: commitSha(`blob:${service.name}:readme`, version),
      },
    ]);
    const sha = commitSha(service.name, version);
    store.commits.set(sha, {
      sha,
      tree: root,
      parents: i > 0 ? [commitSha(service.name, service.versions[i - 1])] : [],
      message: `release: ${service.name} ${version}`,
      at: world.startedAt - (service.versions.length - 1 - i) * 3 * 86_400_000,
    });
  });
  store.refs.set(
    `${service.repository}:main`,
    commitSha(service.name, service.versions[service.versions.length - 1]),
  );
}

/** A tree with entries replaced at (possibly nested) paths, as POST /git/trees does. */
function createTree(
  store: GitStore,
  base: string | undefined,
  entries: TreeEntry[],
): string {
  const current = new Map(
    (base ? store.trees.get(base) ?? [] : []).map(e => [e.path, e]),
  );
  const nested = new Map<string, TreeEntry[]>();
  for (const entry of entries) {
    const [first, ...rest] = entry.path.split('/');
    if (rest.length === 0) current.set(first, entry);
    else
      nested.set(first, [
        ...(nested.get(first) ?? []),
        { ...entry, path: rest.join('/') },
      ]);
  }
  for (const [dir, inner] of nested) {
    const sha = createTree(store, current.get(dir)?.sha, inner);
    current.set(dir, { path: dir, mode: '040000', type: 'tree', sha });
  }
  const tree = [...current.values()].sort((a, b) =>
    a.path.localeCompare(b.path),
  );
  const sha = hash(`tree:${JSON.stringify(tree)}`);
  store.trees.set(sha, tree);
  return sha;
}

/** The tree at a path of a root tree. */
function treeAt(
  store: GitStore,
  root: string,
  path: string,
): string | undefined {
  let sha: string | undefined = root;
  for (const segment of path.split('/').filter(Boolean)) {
    sha = store.trees
      .get(sha!)
      ?.find(e => e.path === segment && e.type === 'tree')?.sha;
    if (!sha) return undefined;
  }
  return sha;
}

function repoJson(repository: string, base: string) {
  const [owner, name] = repository.split('/');
  return {
    id: numericId(`repo:${repository}`, 8),
    node_id: Buffer.from(`010:Repository${repository}`).toString('base64'),
    name,
    full_name: repository,
    owner: userJson(owner, base),
    private: true,
    html_url: `https://github.com/${repository}`,
    description: `${name}: source and manifests`,
    fork: false,
    url: `${base}/repos/${repository}`,
    default_branch: 'main',
  };
}

/** A pull request (GitHub's `pull-request` shape). */
function pullJson(
  world: WorldState,
  base: string,
  repository: string,
  pull: Pull,
  store: GitStore,
) {
  const t = (ms: number) => wireTime(world.clock, ms);
  const api = `${base}/repos/${repository}`;
  const html = `https://github.com/${repository}`;
  const n = pull.number;
  const bot = userJson('delivery-bot', base);
  const side = (ref: string, sha: string) => ({
    label: `${repository.split('/')[0]}:${ref}`,
    ref,
    sha,
    user: userJson(repository.split('/')[0], base),
    repo: repoJson(repository, base),
  });
  const headSha = store.refs.get(`${repository}:${pull.head}`) ?? '';
  const merged = pull.mergedAt !== undefined;
  return {
    url: `${api}/pulls/${n}`,
    id: numericId(`pull:${repository}#${n}`, 9),
    node_id: Buffer.from(`011:PullRequest${repository}#${n}`).toString(
      'base64',
    ),
    html_url: `${html}/pull/${n}`,
    diff_url: `${html}/pull/${n}.diff`,
    patch_url: `${html}/pull/${n}.patch`,
    issue_url: `${api}/issues/${n}`,
    commits_url: `${api}/pulls/${n}/commits`,
    review_comments_url: `${api}/pulls/${n}/comments`,
    review_comment_url: `${api}/pulls/comments{/number}`,
    comments_url: `${api}/issues/${n}/comments`,
    statuses_url: `${api}/statuses/${headSha}`,
    number: n,
    state: merged ? 'closed' : 'open',
    locked: false,
    title: pull.title,
    user: bot,
    body: pull.body,
    labels: [],
    milestone: null,
    active_lock_reason: null,
    created_at: t(pull.openedAt),
    updated_at: t(pull.mergedAt ?? pull.openedAt),
    closed_at: merged ? t(pull.mergedAt!) : null,
    merged_at: merged ? t(pull.mergedAt!) : null,
    merge_commit_sha: pull.mergeSha ?? null,
    assignee: null,
    assignees: [],
    requested_reviewers: [],
    requested_teams: [],
    head: side(pull.head, headSha),
    base: side(pull.base, pull.baseSha),
    _links: {
      self: { href: `${api}/pulls/${n}` },
      html: { href: `${html}/pull/${n}` },
      issue: { href: `${api}/issues/${n}` },
      comments: { href: `${api}/issues/${n}/comments` },
      review_comments: { href: `${api}/pulls/${n}/comments` },
      review_comment: { href: `${api}/pulls/comments{/number}` },
      commits: { href: `${api}/pulls/${n}/commits` },
      statuses: { href: `${api}/statuses/${headSha}` },
    },
    author_association: 'NONE',
    auto_merge: null,
    draft: false,
    merged,
    mergeable: merged ? null : true,
    rebaseable: merged ? null : true,
    mergeable_state: merged ? 'unknown' : 'clean',
    merged_by: merged ? userJson('release-manager', base) : null,
    comments: 0,
    review_comments: 0,
    maintainer_can_modify: false,
    commits: 1,
    additions: 1,
    deletions: 1,
    changed_files: 1,
  };
}

/**
 * Merges a pull request: a merge commit of its head's tree on the base
 * branch; each of the service's Applications whose environment path the
 * merge changed targets the release that path now is, and one with
 * auto-sync on starts syncing it.
 */
function merge(
  world: WorldState,
  store: GitStore,
  repository: string,
  pull: Pull,
) {
  const now = world.clock.now();
  const headSha = store.refs.get(`${repository}:${pull.head}`)!;
  const head = store.commits.get(headSha)!;
  const baseHead = store.refs.get(`${repository}:${pull.base}`) ?? pull.baseSha;
  const sha = hash(`merge:${repository}#${pull.number}`);
  store.commits.set(sha, {
    sha,
    tree: head.tree,
    parents: [baseHead, headSha],
    message: `Merge pull request #${pull.number} from ${repository}/${pull.head}\n\n${pull.title}`,
    at: now,
  });
  store.refs.set(`${repository}:${pull.base}`, sha);
  pull.mergedAt = now;
  pull.mergeSha = sha;
  for (const app of world.apps.filter(
    a => a.service.repository === repository,
  )) {
    const envTree = treeAt(store, head.tree, `deploy/${app.env}`);
    const version = envTree ? store.releaseOfTree.get(envTree) : undefined;
    if (!version || version === app.targetVersion) continue;
    app.targetVersion = version;
    if (app.autoSync) autoSync(app, version, now);
  }
}

/** Argo CD's automated sync of a new target (as the controller starts it). */
function autoSync(app: AppState, version: string, now: number) {
  if (app.operation?.phase === 'Running') return;
  app.operation = {
    kind: 'sync',
    phase: 'Running',
    startedAt: now,
    message: 'one or more tasks are running',
    version,
    username: 'automated',
    dryRun: false,
    prune: true,
  };
}

/** Pull requests that have waited AUTO_MERGE_MS merge themselves. */
function mergeDue(world: WorldState, store: GitStore) {
  for (const [key, pull] of store.pulls) {
    if (
      pull.mergedAt === undefined &&
      world.clock.now() >= pull.openedAt + AUTO_MERGE_MS
    ) {
      merge(world, store, key.split('#')[0], pull);
    }
  }
}

function notFound(res: ServerResponse, docs: string) {
  sendJson(res, 404, {
    message: 'Not Found',
    documentation_url: `https://docs.github.com/rest/${docs}`,
    status: '404',
  });
}

function invalid(res: ServerResponse, message: string, docs: string) {
  sendJson(res, 422, {
    message,
    documentation_url: `https://docs.github.com/rest/${docs}`,
    status: '422',
  });
}

async function jsonOf(req: IncomingMessage): Promise<Json> {
  const body = parseJson(await readBody(req));
  return body && typeof body === 'object' ? (body as Json) : {};
}

/**
 * Answers the git data and pulls calls of a repository of the world;
 * returns false for any other path (the caller tries its other routes).
 */
export async function handlePulls(
  world: WorldState,
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
  origin: string,
): Promise<boolean> {
  const m =
    /^\/repos\/([^/]+)\/([^/]+)(\/git\/(?:ref|refs|commits|trees)(?:\/.*)?|\/pulls(?:\/\d+(?:\/merge)?)?)?$/.exec(
      path,
    );
  if (!m) return false;
  const repository = `${m[1]}/${m[2]}`;
  const service = world.services.find(s => s.repository === repository);
  if (!service) return false;
  const rest = m[3] ?? '';
  const method = req.method ?? 'GET';
  const base = `${origin}/github`;
  const api = `${base}/repos/${repository}`;
  const store = storeOf(world);
  mergeDue(world, store);
  const commitJson = (c: Commit) => ({
    sha: c.sha,
    node_id: Buffer.from(`06:Commit${c.sha}`).toString('base64'),
    url: `${api}/git/commits/${c.sha}`,
    html_url: `https://github.com/${repository}/commit/${c.sha}`,
    author: {
      name: 'Delivery',
      email: 'delivery@acme.example',
      date: wireTime(world.clock, c.at),
    },
    committer: {
      name: 'Delivery',
      email: 'delivery@acme.example',
      date: wireTime(world.clock, c.at),
    },
    message: c.message,
    tree: { sha: c.tree, url: `${api}/git/trees/${c.tree}` },
    parents: c.parents.map(p => ({
      sha: p,
      url: `${api}/git/commits/${p}`,
      html_url: `https://github.com/${repository}/commit/${p}`,
    })),
    verification: {
      verified: false,
      reason: 'unsigned',
      signature: null,
      payload: null,
      verified_at: null,
    },
  });
  const refJson = (ref: string, sha: string) => ({
    ref,
    node_id: Buffer.from(`03:Ref${repository}:${ref}`).toString('base64'),
    url: `${api}/git/${ref}`,
    object: { type: 'commit', sha, url: `${api}/git/commits/${sha}` },
  });

  if (method === 'GET' && rest === '') {
    sendJson(res, 200, repoJson(repository, base));
    return true;
  }
  let g = /^\/git\/ref\/heads\/(.+)$/.exec(rest);
  if (method === 'GET' && g) {
    const sha = store.refs.get(`${repository}:${g[1]}`);
    if (!sha) notFound(res, 'git/refs#get-a-reference');
    else sendJson(res, 200, refJson(`refs/heads/${g[1]}`, sha));
    return true;
  }
  g = /^\/git\/commits\/([0-9a-f]{40})$/.exec(rest);
  if (method === 'GET' && g) {
    const commit = store.commits.get(g[1]);
    if (!commit) notFound(res, 'git/commits#get-a-commit-object');
    else sendJson(res, 200, commitJson(commit));
    return true;
  }
  g = /^\/git\/trees\/([0-9a-f]{40})$/.exec(rest);
  if (method === 'GET' && g) {
    const tree = store.trees.get(g[1]);
    if (!tree) notFound(res, 'git/trees#get-a-tree');
    else
      sendJson(res, 200, {
        sha: g[1],
        url: `${api}/git/trees/${g[1]}`,
        tree: tree.map(e => ({
          ...e,
          url: `${api}/git/${e.type === 'tree' ? 'trees' : 'blobs'}/${e.sha}`,
        })),
        truncated: false,
      });
    return true;
  }
  if (method === 'POST' && rest === '/git/trees') {
    const body = await jsonOf(req);
    const entries = Array.isArray(body.tree) ? (body.tree as TreeEntry[]) : [];
    if (body.base_tree && !store.trees.has(body.base_tree)) {
      invalid(
        res,
        'base_tree is not a valid tree oid',
        'git/trees#create-a-tree',
      );
      return true;
    }
    if (entries.some(e => e.type === 'tree' && !store.trees.has(e.sha))) {
      invalid(res, 'tree.sha is not a valid tree', 'git/trees#create-a-tree');
      return true;
    }
    const sha = createTree(store, body.base_tree, entries);
    sendJson(res, 201, {
      sha,
      url: `${api}/git/trees/${sha}`,
      tree: store.trees.get(sha),
      truncated: false,
    });
    return true;
  }
  if (method === 'POST' && rest === '/git/commits') {
    const body = await jsonOf(req);
    if (!store.trees.has(body.tree)) {
      invalid(res, 'Tree SHA does not exist', 'git/commits#create-a-commit');
      return true;
    }
    const commit: Commit = {
      sha: hash(`commit:${JSON.stringify(body)}:${world.clock.now()}`),
      tree: body.tree,
      parents: Array.isArray(body.parents) ? body.parents : [],
      message: String(body.message ?? ''),
      at: world.clock.now(),
    };
    store.commits.set(commit.sha, commit);
    sendJson(res, 201, commitJson(commit));
    return true;
  }
  if (method === 'POST' && rest === '/git/refs') {
    const body = await jsonOf(req);
    const ref = String(body.ref ?? '');
    const name = ref.replace(/^refs\/heads\//, '');
    if (
      !ref.startsWith('refs/heads/') ||
      store.refs.has(`${repository}:${name}`)
    ) {
      invalid(res, 'Reference already exists', 'git/refs#create-a-reference');
      return true;
    }
    if (!store.commits.has(body.sha)) {
      invalid(res, 'Object does not exist', 'git/refs#create-a-reference');
      return true;
    }
    store.refs.set(`${repository}:${name}`, body.sha);
    sendJson(res, 201, refJson(ref, body.sha));
    return true;
  }
  if (method === 'POST' && rest === '/pulls') {
    const body = await jsonOf(req);
    const baseSha = store.refs.get(`${repository}:${body.base}`);
    if (!baseSha || !store.refs.has(`${repository}:${body.head}`)) {
      invalid(res, 'Validation Failed', 'pulls/pulls#create-a-pull-request');
      return true;
    }
    const number =
      200 +
      [...store.pulls.keys()].filter(k => k.startsWith(`${repository}#`))
        .length;
    const pull: Pull = {
      number,
      title: String(body.title ?? ''),
      body: String(body.body ?? ''),
      head: String(body.head),
      base: String(body.base),
      baseSha,
      openedAt: world.clock.now(),
    };
    store.pulls.set(`${repository}#${number}`, pull);
    sendJson(res, 201, pullJson(world, base, repository, pull, store));
    return true;
  }
  g = /^\/pulls\/(\d+)(\/merge)?$/.exec(rest);
  if (g) {
    const pull = store.pulls.get(`${repository}#${g[1]}`);
    if (!pull) {
      notFound(res, 'pulls/pulls#get-a-pull-request');
      return true;
    }
    if (method === 'GET' && !g[2]) {
      sendJson(res, 200, pullJson(world, base, repository, pull, store));
      return true;
    }
    if (method === 'PUT' && g[2]) {
      if (pull.mergedAt !== undefined) {
        sendJson(res, 405, {
          message: 'Pull Request is not mergeable',
          documentation_url:
            'https://docs.github.com/rest/pulls/pulls#merge-a-pull-request',
          status: '405',
        });
        return true;
      }
      merge(world, store, repository, pull);
      sendJson(res, 200, {
        sha: pull.mergeSha,
        merged: true,
        message: 'Pull Request successfully merged',
      });
      return true;
    }
  }
  return false;
}
