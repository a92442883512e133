import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { wireTime } from '../clock';
import { sendJson } from '../http';
import { commitSha } from '../ids';
import { SCENARIO_DIR } from '../world/load';
import type { WorldState } from '../world/state';
import type { WorldService } from '../world/types';
import { numericId, runs } from './actions';

/** A code scanning alert of a security profile. */
export interface CodeScanningSpec {
  tool: string;
  rule: string;
  description: string;
  /** critical, high, medium or low (the rule's security-severity). */
  securitySeverity: string;
  tags: string[];
  path: string;
  line: number;
  message: string;
  /** stable: found in the first release's commit; canary: first in the newest's. */
  since: 'stable' | 'canary';
}

/** A Dependabot alert of a security profile. */
export interface DependabotSpec {
  ecosystem: string;
  package: string;
  manifest: string;
  ghsa: string;
  cve?: string;
  summary: string;
  severity: string;
  range: string;
  patched?: string;
  since: 'stable' | 'canary';
}

interface SecurityProfile {
  codeScanning: CodeScanningSpec[];
  dependabot: DependabotSpec[];
}

let profiles: Record<string, SecurityProfile> | undefined;

/** The security profiles of scenarios/security/github.json. */
function loadProfiles(): Record<string, SecurityProfile> {
  profiles ??= JSON.parse(
    readFileSync(join(SCENARIO_DIR, 'security', 'github.json'), 'utf8'),
  );
  return profiles!;
}

/** What GitHub reports for a service in its current scenario. */
export function securityProfile(
  world: WorldState,
  service: WorldService,
): SecurityProfile {
  const all = loadProfiles();
  const scenario = world.scenarios[service.name]?.name;
  return (scenario && all[scenario]) || all.default;
}

const REF = 'refs/heads/main';

/** The (committer) date of a release's commit: just before its CI run. */
function commitDateMs(
  world: WorldState,
  service: WorldService,
  version: string,
): number {
  const run = runs(world, service).find(r => r.version === version);
  return (run?.createdAt ?? world.startedAt) - 30_000;
}

/** When the code scanning analysis of a release's commit was uploaded. */
function analysedAt(world: WorldState, service: WorldService, version: string) {
  const run = runs(world, service).find(r => r.version === version);
  // the sast job's upload, a few minutes into the CI run
  return (run?.createdAt ?? world.startedAt) + 4 * 60_000;
}

function analysisJson(
  world: WorldState,
  base: string,
  service: WorldService,
  version: string,
  tool: string,
) {
  const repo = service.repository;
  const id = numericId(`analysis:${repo}:${version}:${tool}`, 9);
  const key =
    tool === 'CodeQL'
      ? '.github/workflows/codeql.yml:analyze'
      : `.github/workflows/ci.yaml:${tool.toLowerCase()}`;
  const specs = securityProfile(world, service).codeScanning.filter(
    s => s.tool === tool,
  );
  const newest = service.versions[service.versions.length - 1];
  return {
    ref: REF,
    commit_sha: commitSha(service.name, version),
    analysis_key: key,
    environment: tool === 'CodeQL' ? '{"language":"javascript"}' : '{}',
    error: '',
    category: tool === 'CodeQL' ? `${key}/language:javascript` : `${key}/`,
    created_at: wireTime(world.clock, analysedAt(world, service, version)),
    results_count: specs.filter(s => s.since === 'stable' || version === newest)
      .length,
    rules_count: tool === 'CodeQL' ? 162 : 41,
    id,
    url: `${base}/repos/${repo}/code-scanning/analyses/${id}`,
    sarif_id: `${numericId(`sarif:${id}`, 8)}-b078-4ac3-a3be-1dad7dbd0b53`,
    tool: {
      name: tool,
      guid: null,
      version: tool === 'CodeQL' ? '2.20.1' : '3.2.0',
    },
    deletable: true,
    warning: '',
  };
}

/**
 * The tools that analyse every release commit: the demo repositories run
 * CodeQL and Checkov in CI (so a commit without a Checkov alert has a clean
 * IaC layer, not an unknown one), plus any other tool a scenario's alerts
 * name.
 */
function tools(world: WorldState, service: WorldService): string[] {
  return [
    ...new Set([
      'CodeQL',
      'Checkov',
      ...securityProfile(world, service).codeScanning.map(s => s.tool),
    ]),
  ];
}

function alertJson(
  world: WorldState,
  base: string,
  service: WorldService,
  spec: CodeScanningSpec,
) {
  const repo = service.repository;
  const number = securityProfile(world, service).codeScanning.indexOf(spec) + 1;
  const newest = service.versions[service.versions.length - 1];
  const firstFound =
    spec.since === 'canary' ? newest : service.versions[0] ?? newest;
  return {
    number,
    created_at: wireTime(
      world.clock,
      analysedAt(world, service, firstFound) + 20_000,
    ),
    url: `${base}/repos/${repo}/code-scanning/alerts/${number}`,
    html_url: `https://github.com/${repo}/security/code-scanning/${number}`,
    state: 'open',
    fixed_at: null,
    dismissed_by: null,
    dismissed_at: null,
    dismissed_reason: null,
    dismissed_comment: null,
    rule: {
      id: spec.rule,
      severity: spec.securitySeverity === 'low' ? 'warning' : 'error',
      security_severity_level: spec.securitySeverity,
      tags: spec.tags,
      description: spec.description,
      name: spec.rule,
    },
    tool: {
      name: spec.tool,
      guid: null,
      version: spec.tool === 'CodeQL' ? '2.20.1' : '3.2.0',
    },
    most_recent_instance: {
      ref: REF,
      analysis_key:
        spec.tool === 'CodeQL'
          ? '.github/workflows/codeql.yml:analyze'
          : `.github/workflows/ci.yaml:${spec.tool.toLowerCase()}`,
      category: '',
      environment: '{}',
      state: 'open',
      commit_sha: commitSha(service.name, newest),
      message: { text: spec.message },
      location: {
        path: spec.path,
        start_line: spec.line,
        end_line: spec.line,
        start_column: 7,
        end_column: 18,
      },
      classifications: [],
    },
    instances_url: `${base}/repos/${repo}/code-scanning/alerts/${number}/instances`,
  };
}

/**
 * One alert of `GET /repos/{owner}/{repo}/dependabot/alerts`, with the keys
 * of GitHub's recorded example (test-data fixtures/github/
 * dependabot-alerts.json) but no CVSS or EPSS scores: a profile has none.
 */
function dependabotJson(
  world: WorldState,
  base: string,
  service: WorldService,
  spec: DependabotSpec,
  number: number,
) {
  const repo = service.repository;
  const newest = service.versions[service.versions.length - 1];
  const firstFound =
    spec.since === 'canary' ? newest : service.versions[0] ?? newest;
  // Dependabot opens it minutes after the push of the release's commit
  const at = wireTime(
    world.clock,
    commitDateMs(world, service, firstFound) + 3 * 60_000,
  );
  const pkg = { ecosystem: spec.ecosystem, name: spec.package };
  return {
    number,
    state: 'open',
    dependency: {
      package: pkg,
      manifest_path: spec.manifest,
      scope: 'runtime',
    },
    security_advisory: {
      ghsa_id: spec.ghsa,
      cve_id: spec.cve ?? null,
      summary: spec.summary,
      description: spec.summary,
      vulnerabilities: [
        {
          package: pkg,
          severity: spec.severity,
          vulnerable_version_range: spec.range,
          first_patched_version: spec.patched
            ? { identifier: spec.patched }
            : null,
        },
      ],
      severity: spec.severity,
      cwes: [],
      identifiers: [
        { type: 'GHSA', value: spec.ghsa },
        ...(spec.cve ? [{ type: 'CVE', value: spec.cve }] : []),
      ],
      references: [],
      published_at: at,
      updated_at: at,
      withdrawn_at: null,
    },
    security_vulnerability: {
      package: pkg,
      severity: spec.severity,
      vulnerable_version_range: spec.range,
      first_patched_version: spec.patched ? { identifier: spec.patched } : null,
    },
    url: `${base}/repos/${repo}/dependabot/alerts/${number}`,
    html_url: `https://github.com/${repo}/security/dependabot/${number}`,
    created_at: at,
    updated_at: at,
    dismissed_at: null,
    dismissed_by: null,
    dismissed_reason: null,
    dismissed_comment: null,
    fixed_at: null,
    assignees: [],
  };
}

function page<T>(url: URL, items: T[]): T[] {
  const perPage = Math.min(
    100,
    Math.max(1, Number(url.searchParams.get('per_page') ?? '30') || 30),
  );
  const pageNo = Math.max(1, Number(url.searchParams.get('page') ?? '1') || 1);
  return items.slice((pageNo - 1) * perPage, pageNo * perPage);
}

/**
 * Serves GitHub's code scanning analyses and alerts, Dependabot alerts and
 * a commit's dates for the demo repositories, shaped like GitHub's REST
 * API (packages/test-data/fixtures/github). Answers true when it handled
 * the path.
 */
export function handleCodeScanning(
  world: WorldState,
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
  base: string,
): boolean {
  const m =
    /^\/repos\/([^/]+)\/([^/]+)\/(code-scanning\/analyses|code-scanning\/alerts|dependabot\/alerts|commits\/([0-9a-f]{40}))$/.exec(
      path,
    );
  if (req.method !== 'GET' || !m) return false;
  const service = world.services.find(s => s.repository === `${m[1]}/${m[2]}`);
  if (!service) {
    sendJson(res, 404, {
      message: 'Not Found',
      documentation_url: 'https://docs.github.com/rest',
      status: '404',
    });
    return true;
  }
  const url = new URL(req.url ?? '/', 'http://sandbox');
  const profile = securityProfile(world, service);
  if (m[4]) {
    const version = service.versions.find(
      v => commitSha(service.name, v) === m[4],
    );
    if (!version) {
      sendJson(res, 422, {
        message: `No commit found for SHA: ${m[4]}`,
        documentation_url:
          'https://docs.github.com/rest/commits/commits#get-a-commit',
        status: '422',
      });
      return true;
    }
    const date = wireTime(world.clock, commitDateMs(world, service, version));
    const author = {
      name: 'Release Bot',
      email: 'release-bot@acme.example',
      date,
    };
    sendJson(res, 200, {
      sha: m[4],
      node_id: `C_${m[4].slice(0, 20)}`,
      commit: {
        author,
        committer: author,
        message: `release: ${service.name} ${version}`,
      },
      html_url: `https://github.com/${service.repository}/commit/${m[4]}`,
    });
    return true;
  }
  if (m[3] === 'code-scanning/analyses') {
    const sha = url.searchParams.get('sha');
    const ref = url.searchParams.get('ref');
    const tool = url.searchParams.get('tool_name');
    const all = [...service.versions]
      .reverse()
      .flatMap(v =>
        tools(world, service).map(t =>
          analysisJson(world, base, service, v, t),
        ),
      )
      .filter(
        a =>
          (!sha || a.commit_sha === sha) &&
          (!ref || a.ref === ref || `refs/heads/${ref}` === a.ref) &&
          (!tool || a.tool.name === tool),
      );
    sendJson(res, 200, page(url, all));
    return true;
  }
  if (m[3] === 'code-scanning/alerts') {
    const ref = url.searchParams.get('ref');
    const tool = url.searchParams.get('tool_name');
    const state = url.searchParams.get('state');
    const all = profile.codeScanning
      .filter(
        s =>
          (!tool || s.tool === tool) &&
          (!ref || ref === REF || `refs/heads/${ref}` === REF) &&
          (!state || state === 'open'),
      )
      .map(s => alertJson(world, base, service, s))
      .sort((a, b) => b.number - a.number);
    sendJson(res, 200, page(url, all));
    return true;
  }
  const states = (url.searchParams.get('state') ?? 'open').split(',');
  const alerts = states.includes('open')
    ? profile.dependabot.map((s, i) =>
        dependabotJson(world, base, service, s, i + 1),
      )
    : [];
  sendJson(res, 200, page(url, alerts.reverse()));
  return true;
}
