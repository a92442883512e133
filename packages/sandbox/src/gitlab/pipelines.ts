import type { IncomingMessage, ServerResponse } from 'node:http';
import { wireTime } from '../clock';
import { runs, numericId, type RunModel } from '../github/actions';
import { sendJson } from '../http';
import type { WorldState } from '../world/state';
import type { WorldService } from '../world/types';

// The same five CI jobs as on GitHub, named and staged the way GitLab's
// CI templates do (SAST and container scanning templates run in `test`).
const GITLAB_JOBS: Record<string, { name: string; stage: string }> = {
  build: { name: 'build', stage: 'build' },
  test: { name: 'unit-test', stage: 'test' },
  sast: { name: 'semgrep-sast', stage: 'test' },
  'container-build': { name: 'docker-build', stage: 'package' },
  'image-scan': { name: 'container_scanning', stage: 'test' },
};

const USER = {
  id: 1,
  name: 'Release Bot',
  username: 'release-bot',
  state: 'active',
  avatar_url: 'https://gitlab.com/uploads/-/system/user/avatar/1/avatar.png',
  web_url: 'https://gitlab.com/release-bot',
  created_at: '2024-01-02T09:00:00.000Z',
};

const projectId = (service: WorldService) =>
  numericId(`gitlab-project:${service.repository}`, 8);

function pipelineJson(world: WorldState, run: RunModel) {
  const t = (ms: number) => wireTime(world.clock, ms);
  const failed = run.jobs.some(j => j.conclusion === 'failure');
  return {
    id: run.id,
    iid: run.service.versions.indexOf(run.version) + 100,
    project_id: projectId(run.service),
    status: failed ? 'failed' : 'success',
    source: 'push',
    ref: 'main',
    sha: run.sha,
    name: `release ${run.version}`,
    web_url: `https://gitlab.com/${run.service.repository}/-/pipelines/${run.id}`,
    created_at: t(run.createdAt),
    updated_at: t(run.jobs[run.jobs.length - 1].completedAt),
  };
}

function jobsJson(world: WorldState, run: RunModel) {
  const t = (ms: number) => wireTime(world.clock, ms);
  const pipeline = pipelineJson(world, run);
  const title = `release: ${run.service.name} ${run.version}`;
  // GitLab lists a pipeline's jobs newest first
  return [...run.jobs].reverse().map(j => ({
    commit: {
      author_email: 'release-bot@acme.example',
      author_name: 'Release Bot',
      created_at: t(run.createdAt - 30_000),
      id: run.sha,
      message: title,
      short_id: run.sha.slice(0, 8),
      title,
    },
    coverage: null,
    allow_failure: false,
    created_at: t(run.createdAt),
    started_at: t(j.startedAt),
    finished_at: t(j.completedAt),
    duration: (j.completedAt - j.startedAt) / 1000,
    queued_duration: 1.5,
    tag_list: ['docker'],
    id: j.id,
    name: GITLAB_JOBS[j.name]?.name ?? j.name,
    pipeline: {
      id: run.id,
      project_id: pipeline.project_id,
      ref: 'main',
      sha: run.sha,
      status: pipeline.status,
    },
    ref: 'main',
    artifacts: [],
    runner: null,
    stage: GITLAB_JOBS[j.name]?.stage ?? 'test',
    status: j.conclusion === 'failure' ? 'failed' : 'success',
    ...(j.conclusion === 'failure' ? { failure_reason: 'script_failure' } : {}),
    tag: false,
    web_url: `https://gitlab.com/${run.service.repository}/-/jobs/${j.id}`,
    project: { ci_job_token_scope_enabled: false },
    user: USER,
  }));
}

function notFound(res: ServerResponse, what = 'Project') {
  sendJson(res, 404, { message: `404 ${what} Not Found` });
}

/** The service a project id or URL-encoded path names, if any. */
function serviceOf(world: WorldState, segment: string) {
  let id: string;
  try {
    id = decodeURIComponent(segment);
  } catch {
    return undefined;
  }
  return world.services.find(
    s => s.repository === id || String(projectId(s)) === id,
  );
}

/**
 * Serves the GitLab CI REST subset under /gitlab/api/v4: a project's
 * pipelines (filtered by `sha`, `ref`, paged) and a pipeline's jobs, for the
 * world's services (project path = the service's repository).
 */
export function handleGitLab(
  world: WorldState,
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
) {
  const url = new URL(req.url ?? '/', 'http://sandbox');
  const m = /^\/projects\/([^/]+)\/pipelines(?:\/(\d+)\/jobs)?$/.exec(path);
  if (req.method !== 'GET' || !m) {
    sendJson(res, 404, { error: '404 Not Found' });
    return;
  }
  const service = serviceOf(world, m[1]);
  if (!service) {
    notFound(res);
    return;
  }
  const all = runs(world, service).sort((a, b) => b.id - a.id);
  if (m[2]) {
    const run = all.find(r => String(r.id) === m[2]);
    if (!run) {
      notFound(res, 'Pipeline');
      return;
    }
    sendJson(res, 200, jobsJson(world, run));
    return;
  }
  const sha = url.searchParams.get('sha');
  const ref = url.searchParams.get('ref');
  const perPage = Math.min(
    100,
    Math.max(1, Number(url.searchParams.get('per_page') ?? '20') || 20),
  );
  const pageNo = Math.max(1, Number(url.searchParams.get('page') ?? '1') || 1);
  const selected = all.filter(
    r => (!sha || r.sha === sha) && (!ref || ref === 'main'),
  );
  res.setHeader('x-total', String(selected.length));
  res.setHeader('x-page', String(pageNo));
  res.setHeader('x-per-page', String(perPage));
  sendJson(
    res,
    200,
    selected
      .slice((pageNo - 1) * perPage, pageNo * perPage)
      .map(r => pipelineJson(world, r)),
  );
}
