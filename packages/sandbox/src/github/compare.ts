/*
 * GitHub's compare (`GET /repos/{owner}/{repo}/compare/{base}...{head}`)
 * over a demo service's releases, in the shape of GitHub's REST API
 * description example (packages/test-data/fixtures/github/compare-commits.json):
 * each release is one commit, squash-merged from a pull request.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { wireTime } from '../clock';
import { sendJson } from '../http';
import { commitSha } from '../ids';
import type { WorldState } from '../world/state';
import type { WorldService } from '../world/types';
import { userJson } from './users';

const AUTHORS = [
  { name: 'Ada Lovelace', login: 'ada' },
  { name: 'Grace Hopper', login: 'grace' },
  { name: 'Alan Turing', login: 'alan' },
];

/** One release of the service as a commit (swagger `commit`). */
function commitJson(
  world: WorldState,
  base: string,
  service: WorldService,
  index: number,
) {
  const version = service.versions[index];
  const sha = commitSha(service.name, version);
  const repo = service.repository;
  const author = AUTHORS[index % AUTHORS.length];
  const pr = 100 + index;
  const date = wireTime(
    world.clock,
    world.startedAt -
      (service.versions.length - 1 - index) * 3 * 86_400_000 -
      5 * 3_600_000,
  );
  const parent =
    index > 0
      ? commitSha(service.name, service.versions[index - 1])
      : undefined;
  const person = {
    name: author.name,
    email: `${author.login}@acme.example`,
    date,
  };
  return {
    url: `${base}/repos/${repo}/commits/${sha}`,
    sha,
    node_id: Buffer.from(`06:Commit${sha}`).toString('base64'),
    html_url: `https://github.com/${repo}/commit/${sha}`,
    comments_url: `${base}/repos/${repo}/commits/${sha}/comments`,
    commit: {
      url: `${base}/repos/${repo}/git/commits/${sha}`,
      author: person,
      committer: person,
      message: `release: ${service.name} ${version} (#${pr})\n\nBumps the image to ${service.image}:${version}.`,
      tree: {
        url: `${base}/repos/${repo}/git/trees/${commitSha(
          `tree:${service.name}`,
          version,
        )}`,
        sha: commitSha(`tree:${service.name}`, version),
      },
      comment_count: 0,
      verification: {
        verified: false,
        reason: 'unsigned',
        signature: null,
        payload: null,
        verified_at: null,
      },
    },
    author: userJson(author.login),
    committer: userJson(author.login),
    parents: parent
      ? [{ url: `${base}/repos/${repo}/commits/${parent}`, sha: parent }]
      : [],
  };
}

function notFound(res: ServerResponse) {
  sendJson(res, 404, {
    message: 'Not Found',
    documentation_url:
      'https://docs.github.com/rest/commits/commits#compare-two-commits',
    status: '404',
  });
}

/** The release a ref names: a full SHA, a prefix of 7 or more, or `main`. */
function releaseIndex(service: WorldService, ref: string): number {
  if (ref === 'main' || ref === 'HEAD') return service.versions.length - 1;
  return service.versions.findIndex(v => {
    const sha = commitSha(service.name, v);
    return sha === ref || (ref.length >= 7 && sha.startsWith(ref));
  });
}

/**
 * Answers `GET /repos/{owner}/{repo}/compare/{base}...{head}`; returns false
 * for any other path (the caller tries its other routes).
 */
export function handleCompare(
  world: WorldState,
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
  origin: string,
): boolean {
  const m = /^\/repos\/([^/]+)\/([^/]+)\/compare\/([^/]+?)\.\.\.([^/]+)$/.exec(
    path,
  );
  if (req.method !== 'GET' || !m) return false;
  const service = world.services.find(s => s.repository === `${m[1]}/${m[2]}`);
  const baseRef = decodeURIComponent(m[3]);
  const headRef = decodeURIComponent(m[4]);
  const b = service ? releaseIndex(service, baseRef) : -1;
  const h = service ? releaseIndex(service, headRef) : -1;
  if (!service || b < 0 || h < 0) {
    notFound(res);
    return true;
  }
  const api = `${origin}/github`;
  const repo = service.repository;
  const url = new URL(req.url ?? '/', 'http://sandbox');
  const perPage = Math.min(
    250,
    Math.max(1, Number(url.searchParams.get('per_page') ?? '250') || 250),
  );
  // releases form one line: head is ahead of base, or behind it
  const ahead = Math.max(0, h - b);
  const behind = Math.max(0, b - h);
  const mergeBase = Math.min(b, h);
  const commits = [];
  for (let i = mergeBase + 1; i <= h; i++) {
    commits.push(commitJson(world, api, service, i));
  }
  const baseSha = commitSha(service.name, service.versions[b]);
  const headSha = commitSha(service.name, service.versions[h]);
  let status = 'identical';
  if (ahead > 0) status = 'ahead';
  else if (behind > 0) status = 'behind';
  sendJson(res, 200, {
    url: `${api}/repos/${repo}/compare/${m[3]}...${m[4]}`,
    html_url: `https://github.com/${repo}/compare/${m[3]}...${m[4]}`,
    permalink_url: `https://github.com/${repo}/compare/${m[1]}:${baseSha}...${m[1]}:${headSha}`,
    diff_url: `https://github.com/${repo}/compare/${m[3]}...${m[4]}.diff`,
    patch_url: `https://github.com/${repo}/compare/${m[3]}...${m[4]}.patch`,
    base_commit: commitJson(world, api, service, b),
    merge_base_commit: commitJson(world, api, service, mergeBase),
    status,
    ahead_by: ahead,
    behind_by: behind,
    total_commits: commits.length,
    commits: commits.slice(0, perPage),
    files: [],
  });
  return true;
}
