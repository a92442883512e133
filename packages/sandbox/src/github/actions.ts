import type { IncomingMessage, ServerResponse } from 'node:http';
import { wireTime } from '../clock';
import { sendJson } from '../http';
import { commitSha, unitNoise } from '../ids';
import { scanImage } from '../scanners/vulnerabilities';
import type { WorldState } from '../world/state';
import type { WorldService } from '../world/types';
import { handleCompare } from './compare';
import { handleCodeScanning } from './codeScanning';

/** The CI jobs every demo repository runs, in order. */
export const CI_JOBS = [
  'build',
  'test',
  'sast',
  'container-build',
  'image-scan',
];

/** A stable numeric id of `digits` digits for a seed. */
export function numericId(seed: string, digits = 10) {
  return Math.floor(unitNoise(seed) * 10 ** digits) + 10 ** (digits - 1);
}

/** One CI run of a service version, shared by the GitHub and GitLab APIs. */
export interface RunModel {
  id: number;
  service: WorldService;
  version: string;
  sha: string;
  createdAt: number;
  jobs: Array<{
    name: string;
    id: number;
    startedAt: number;
    completedAt: number;
    conclusion: 'success' | 'failure';
  }>;
}

/** The CI runs of a service, one per version (its image scan fails on a CRITICAL/HIGH CVE). */
export function runs(world: WorldState, service: WorldService): RunModel[] {
  return service.versions.map((version, i) => {
    const sha = commitSha(service.name, version);
    const createdAt =
      world.startedAt -
      (service.versions.length - 1 - i) * 3 * 86_400_000 -
      5 * 3_600_000 +
      30_000;
    const critical = scanImage(world, service, version).vulnerabilities.some(
      v => v.severity === 'CRITICAL' || v.severity === 'HIGH',
    );
    let at = createdAt + 5_000;
    const jobs = CI_JOBS.map(name => {
      const duration =
        40_000 + Math.floor(unitNoise(`${sha}:${name}`) * 120_000);
      const job = {
        name,
        id: numericId(`job:${sha}:${name}`, 11),
        startedAt: at,
        completedAt: at + duration,
        conclusion: (name === 'image-scan' && critical
          ? 'failure'
          : 'success') as 'success' | 'failure',
      };
      at += duration + 2_000;
      return job;
    });
    return {
      id: numericId(`run:${sha}`),
      service,
      version,
      sha,
      createdAt,
      jobs,
    };
  });
}

function runJson(world: WorldState, base: string, run: RunModel) {
  const t = (ms: number) => wireTime(world.clock, ms);
  const repo = run.service.repository;
  const failed = run.jobs.some(j => j.conclusion === 'failure');
  const updatedAt = run.jobs[run.jobs.length - 1].completedAt;
  return {
    id: run.id,
    name: 'ci',
    node_id: `WFR_${run.id}`,
    head_branch: 'main',
    head_sha: run.sha,
    path: '.github/workflows/ci.yaml',
    display_title: `release: ${run.service.name} ${run.version}`,
    run_number: run.service.versions.indexOf(run.version) + 100,
    event: 'push',
    status: 'completed',
    conclusion: failed ? 'failure' : 'success',
    workflow_id: numericId(`wf:${repo}`, 8),
    url: `${base}/repos/${repo}/actions/runs/${run.id}`,
    html_url: `https://github.com/${repo}/actions/runs/${run.id}`,
    jobs_url: `${base}/repos/${repo}/actions/runs/${run.id}/jobs`,
    logs_url: `${base}/repos/${repo}/actions/runs/${run.id}/logs`,
    created_at: t(run.createdAt),
    updated_at: t(updatedAt),
    run_started_at: t(run.createdAt),
    run_attempt: 1,
    actor: { login: 'release-bot', type: 'Bot' },
    head_commit: {
      id: run.sha,
      tree_id: commitSha(`tree:${run.service.name}`, run.version),
      message: `release: ${run.service.name} ${run.version}`,
      timestamp: t(run.createdAt - 30_000),
      author: { name: 'Release Bot', email: 'release-bot@acme.example' },
    },
    repository: {
      id: numericId(`repo:${repo}`, 9),
      name: repo.split('/')[1],
      full_name: repo,
      private: true,
    },
  };
}

function jobsJson(world: WorldState, base: string, run: RunModel) {
  const t = (ms: number) => wireTime(world.clock, ms);
  const repo = run.service.repository;
  return {
    total_count: run.jobs.length,
    jobs: run.jobs.map(j => ({
      id: j.id,
      run_id: run.id,
      run_url: `${base}/repos/${repo}/actions/runs/${run.id}`,
      node_id: `CR_${j.id}`,
      head_sha: run.sha,
      head_branch: 'main',
      url: `${base}/repos/${repo}/actions/jobs/${j.id}`,
      html_url: `https://github.com/${repo}/actions/runs/${run.id}/job/${j.id}`,
      status: 'completed',
      conclusion: j.conclusion,
      created_at: t(j.startedAt - 1_000),
      started_at: t(j.startedAt),
      completed_at: t(j.completedAt),
      name: j.name,
      workflow_name: 'ci',
      steps: [
        {
          name: 'Set up job',
          status: 'completed',
          conclusion: 'success',
          number: 1,
          started_at: t(j.startedAt),
          completed_at: t(j.startedAt + 2_000),
        },
        {
          name: `Run ${j.name}`,
          status: 'completed',
          conclusion: j.conclusion,
          number: 2,
          started_at: t(j.startedAt + 2_000),
          completed_at: t(j.completedAt),
        },
      ],
      labels: ['ubuntu-latest'],
      runner_name: `GitHub Actions ${j.id % 100}`,
      runner_group_name: 'GitHub Actions',
    })),
  };
}

function notFound(res: ServerResponse) {
  sendJson(res, 404, {
    message: 'Not Found',
    documentation_url: 'https://docs.github.com/rest',
    status: '404',
  });
}

/** Serves the GitHub Actions REST subset under /github. */
export function handleGitHub(
  world: WorldState,
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
  origin: string,
) {
  if (handleCompare(world, req, res, path, origin)) return;
  const url = new URL(req.url ?? '/', 'http://sandbox');
  const base = `${origin}/github`;
  // code scanning, Dependabot and commits: the security layers' double
  if (handleCodeScanning(world, req, res, path, base)) return;
  const m =
    /^\/repos\/([^/]+)\/([^/]+)\/actions\/runs(?:\/(\d+)(\/jobs)?)?$/.exec(
      path,
    );
  if (req.method !== 'GET' || !m) {
    notFound(res);
    return;
  }
  const service = world.services.find(s => s.repository === `${m[1]}/${m[2]}`);
  if (!service) {
    notFound(res);
    return;
  }
  const all = runs(world, service).sort((a, b) => b.createdAt - a.createdAt);
  if (m[3]) {
    const run = all.find(r => String(r.id) === m[3]);
    if (!run) {
      notFound(res);
      return;
    }
    sendJson(
      res,
      200,
      m[4] ? jobsJson(world, base, run) : runJson(world, base, run),
    );
    return;
  }
  const headSha = url.searchParams.get('head_sha');
  const branch = url.searchParams.get('branch');
  const perPage = Math.min(
    100,
    Math.max(1, Number(url.searchParams.get('per_page') ?? '30') || 30),
  );
  const pageNo = Math.max(1, Number(url.searchParams.get('page') ?? '1') || 1);
  const selected = all.filter(
    r => (!headSha || r.sha === headSha) && (!branch || branch === 'main'),
  );
  sendJson(res, 200, {
    total_count: selected.length,
    workflow_runs: selected
      .slice((pageNo - 1) * perPage, pageNo * perPage)
      .map(r => runJson(world, base, r)),
  });
}
