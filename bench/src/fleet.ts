import { startChild } from './lib/child';
import { timeSequential } from './lib/load';
import { SandboxClient, type SandboxStats } from './lib/sandboxClient';
import { summarize, type LatencySummary } from './lib/stats';
import type { TargetResult } from './report';

/** What the fleet benchmark measured. */
export interface FleetBenchResults {
  components: number;
  environments: string[];
  rows: number;
  /** Upstream calls of one refresh of the page, cold (TTL 0) and warm. */
  perRefresh: {
    cold: FleetCalls;
    warm: FleetCalls;
  };
  cold: LatencySummary;
  warm: LatencySummary;
  /** Cells with Applications by signalsStatus, in an answer after the timed refreshes. */
  signals: { cold: Record<string, number>; warm: Record<string, number> };
  settings: { cold: string; warm: string };
}

/** Upstream calls of one fleet request, by kind. */
export interface FleetCalls {
  total: number;
  /** `GET .../api/v1/applications` per Argo CD instance. */
  applicationLists: Record<string, number>;
  /** Rollout manifests read (cells with a canary under way). */
  rolloutReads: number;
  /** Every call but the lists and the Rollout reads. */
  other: number;
  /** Those other calls by upstream and route kind (the signals' reads). */
  otherByUpstream: Record<string, number>;
  /**
   * Cold: all calls of the timed refreshes, the signals' background
   * computations included, per refresh.
   */
  withBackground?: number;
}

const FLEET_PATH = '/api/delivery/v1/fleet?owner=group:default/team-storefront';

type FleetAnswer = {
  rows: Array<{ cells: Array<{ signalsStatus?: string }> }>;
};

/** Refreshes until no cell says its signals are computing (or the time is up). */
async function untilNoCellComputing(url: string, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const answer = (await (await fetch(url)).json()) as FleetAnswer;
    const computing = answer.rows
      .flatMap(r => r.cells)
      .some(c => c.signalsStatus === 'computing');
    if (!computing) return;
    await new Promise(resolve => setTimeout(resolve, 2_000));
  }
}

/** The sandbox's calls per refresh once no call has come for 5 s. */
async function settledTotal(
  sandbox: SandboxClient,
  refreshes: number,
): Promise<number> {
  let last = -1;
  for (let i = 0; i < 60; i++) {
    const { total } = await sandbox.stats();
    if (total === last) break;
    last = total;
    await new Promise(resolve => setTimeout(resolve, 5_000));
  }
  return Math.round(last / refreshes);
}

/** Sorts one request's Argo CD calls into lists, Rollout reads and the rest. */
export function fleetCalls(stats: SandboxStats): FleetCalls {
  const calls: FleetCalls = {
    total: stats.total,
    applicationLists: {},
    rolloutReads: 0,
    other: 0,
    otherByUpstream: {},
  };
  for (const [upstream, u] of Object.entries(stats.upstreams)) {
    for (const [route, n] of Object.entries(u.routes)) {
      const list = /\/argocd\/([^/]+)\/api\/v1\/applications$/.exec(route);
      if (upstream === 'argocd' && list) {
        calls.applicationLists[list[1]] =
          (calls.applicationLists[list[1]] ?? 0) + n;
      } else if (upstream === 'argocd' && /\/resource$/.test(route)) {
        calls.rolloutReads += n;
      } else {
        calls.other += n;
        const kind =
          upstream === 'argocd'
            ? `argocd ${/\/resource-tree$/.test(route) ? 'tree' : 'other'}`
            : upstream;
        calls.otherByUpstream[kind] = (calls.otherByUpstream[kind] ?? 0) + n;
      }
    }
  }
  return calls;
}

/**
 * The fleet route over `components` generated components (copies of the
 * demo's checkout: dev, staging and production, a canary under way in
 * production) plus the demo's: the upstream calls of one refresh and the
 * latency of sequential refreshes with a cold (TTL 0) and a warm cache.
 */
export async function runFleet(options: {
  components: number;
  argocdLatencyMs: number;
  log: (line: string) => void;
}): Promise<FleetBenchResults> {
  const { log, components } = options;
  const sandboxChild = await startChild('src/sandbox/main.ts', {
    SANDBOX_PORT: '0',
    SANDBOX_LATENCY_ARGOCD_MS: String(options.argocdLatencyMs),
    SANDBOX_LATENCY_PROMETHEUS_MS: '0',
    SANDBOX_LATENCY_JITTER: '0',
    BENCH_GENERATED_SERVICES: String(components),
  });
  const sandbox = new SandboxClient(sandboxChild.info.url);
  const run = async (ttl: string, samples: number) => {
    const backend = await startChild('src/backend/main.ts', {
      BENCH_PLUGIN: 'delivery',
      BENCH_SANDBOX_URL: sandbox.url,
      BENCH_TTL_SECONDS: ttl,
      BENCH_ENTITIES: String(components),
    });
    try {
      const url = `${backend.info.url}${FLEET_PATH}`;
      // the first request warms the process (and, with a TTL, the cache)
      const first = await fetch(url);
      const body = (await first.json()) as {
        rows: unknown[];
        environments: string[];
      };
      if (!first.ok) throw new Error(`GET ${url}: ${first.status}`);
      if (ttl !== '0') {
        // warm: the signals computed (and the answer kept) before measuring
        await untilNoCellComputing(url, 300_000);
      }
      await sandbox.resetStats();
      await timeSequential(url, 1);
      const calls = fleetCalls(await sandbox.stats());
      const times = await timeSequential(url, samples);
      if (ttl === '0') {
        // cold: the signals of every refresh are computed in the background
        // after its answer; their calls count once they have all ended
        calls.withBackground = await settledTotal(sandbox, 1 + samples);
      }
      const last = (await (await fetch(url)).json()) as {
        rows: Array<{
          cells: Array<{ applications: string[]; signalsStatus?: string }>;
        }>;
      };
      const signals: Record<string, number> = {};
      for (const cell of last.rows.flatMap(r => r.cells)) {
        if (cell.applications.length === 0) continue;
        const status = cell.signalsStatus ?? 'none';
        signals[status] = (signals[status] ?? 0) + 1;
      }
      return { body, calls, latency: summarize(times), signals };
    } finally {
      await backend.stop();
    }
  };
  try {
    const cold = await run('0', 20);
    log(
      `fleet, cold: ${cold.body.rows.length} rows, p99 ${
        cold.latency.p99
      } ms; one refresh: ${JSON.stringify(
        cold.calls,
      )}; signals: ${JSON.stringify(cold.signals)}`,
    );
    const warm = await run('3600', 200);
    log(
      `fleet, warm: p99 ${warm.latency.p99} ms; one refresh: ${JSON.stringify(
        warm.calls,
      )}; signals: ${JSON.stringify(warm.signals)}`,
    );
    return {
      components,
      environments: cold.body.environments,
      rows: cold.body.rows.length,
      perRefresh: { cold: cold.calls, warm: warm.calls },
      cold: cold.latency,
      warm: warm.latency,
      signals: { cold: cold.signals, warm: warm.signals },
      settings: {
        cold: `live-state TTL 0: every refresh reads Argo CD again (Argo CD answers in ${options.argocdLatencyMs} ms) and computes the signals again (the page waits for them at most 2 s); 20 sequential refreshes`,
        warm: 'live-state TTL 1 h, warmed until every cell has its signals; 200 sequential refreshes',
      },
    };
  } finally {
    await sandboxChild.stop();
  }
}

/** The fleet targets: one Application list per instance per refresh, warm p99 ≤ 50 ms. */
export function fleetTargets(f: FleetBenchResults | undefined): TargetResult[] {
  const listTarget =
    'fleet: at most one Application list per Argo CD instance per refresh (cold; 0 while its watch stream serves)';
  const warmTarget = 'fleet: warm p99 ≤ 50 ms';
  if (!f) {
    return [
      { target: listTarget, measured: 'not measured', pass: null },
      { target: warmTarget, measured: 'not measured', pass: null },
    ];
  }
  // an instance the Argo CD watch serves from its stream costs no list (0)
  const lists = Object.values(f.perRefresh.cold.applicationLists);
  return [
    {
      target: `${listTarget}, ${f.components} components`,
      measured:
        lists.length > 0
          ? JSON.stringify(f.perRefresh.cold.applicationLists)
          : '0 (every instance served from its watch stream)',
      pass: lists.every(n => n <= 1),
    },
    {
      target: `${warmTarget}, ${f.components} components`,
      measured: `${f.warm.p99} ms`,
      pass: f.warm.p99 <= 50,
    },
  ];
}

/** The fleet section of latest.md. */
export function fleetMarkdown(f: FleetBenchResults): string[] {
  const byKind = (counts: Record<string, number>) =>
    Object.entries(counts)
      .map(([kind, n]) => `${kind}: ${n}`)
      .join(', ');
  const lists = (c: FleetCalls) =>
    Object.entries(c.applicationLists)
      .map(([i, n]) => `${i}: ${n}`)
      .join(', ') || '0';
  return [
    `## Fleet page (\`GET ${FLEET_PATH}\`; ${f.rows} rows × ${f.environments.length} environments)`,
    '',
    `Cold: ${f.settings.cold}. Warm: ${f.settings.warm}.`,
    '',
    '| cache | p50 ms | p95 ms | p99 ms | upstream calls per refresh (until the answer; with the background signals) | Application lists per instance | Rollout reads | other calls (signals) | cells by signals status |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    ...(['cold', 'warm'] as const).map(
      k =>
        `| ${k} | ${f[k].p50} | ${f[k].p95} | ${f[k].p99} | ${
          f.perRefresh[k].total
        }${
          f.perRefresh[k].withBackground !== undefined
            ? `; ${f.perRefresh[k].withBackground}`
            : ''
        } | ${lists(f.perRefresh[k])} | ${f.perRefresh[k].rolloutReads} | ${
          byKind(f.perRefresh[k].otherByUpstream ?? {}) || '0'
        } | ${byKind(f.signals?.[k] ?? {}) || '-'} |`,
    ),
    '',
  ];
}
