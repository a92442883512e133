import { startChild } from './lib/child';
import { runLoad, timeSequential, type LoadResult } from './lib/load';
import { SandboxClient } from './lib/sandboxClient';
import { summarize, type LatencySummary } from './lib/stats';
import { generatedServiceName } from './sandbox/generatedServices';

/** Path of an entity's overview on the backend. */
export function overviewPath(name: string): string {
  return `/api/delivery/v1/entities/default/component/${name}/overview`;
}

/** One upstream call of the checkout view timed directly against the sandbox. */
export interface UpstreamTiming extends LatencySummary {
  call: string;
}

/** Results of the latency benchmark. */
export interface LatencyResults {
  /** Cold (TTL 0) overviews served while the watch streams are current. */
  streams?: StreamLatency;
  settings: {
    durationSeconds: number;
    connections: number[];
    coldCache: string;
    warmCache: string;
  };
  floor: { calls: UpstreamTiming[]; slowest: UpstreamTiming };
  firstRequestMs: number;
  firstViewOf50Entities: LatencySummary & { connections: number };
  runs: Array<
    LoadResult & {
      cache: 'cold' | 'warm';
      target: 'one entity' | '50 entities';
      /** Calls the sandbox received during the run. */
      upstreamCalls: number;
      /** Of those, calls to Argo CD (the rest: Prometheus, scanners, CI). */
      argocdCalls?: number;
    }
  >;
}

const TOKEN = { Authorization: 'Bearer sandbox-demo-token' };

/**
 * The latency floor: each Argo CD call the checkout overview makes (found
 * from the sandbox's counters), timed one at a time directly against the
 * sandbox, so its injected latency is the only wait.
 */
async function measureFloor(
  sandboxUrl: string,
  samples: number,
): Promise<LatencyResults['floor']> {
  const base = `${sandboxUrl}/argocd/main/api/v1/applications`;
  const listUrl = `${base}?selector=${encodeURIComponent('app=checkout')}`;
  const list = (await (await fetch(listUrl, { headers: TOKEN })).json()) as {
    items: Array<{
      metadata: { name: string };
      status?: { history?: Array<{ revision?: string }> };
    }>;
  };
  const production = list.items.find(a =>
    a.metadata.name.endsWith('-production'),
  );
  if (!production) throw new Error('sandbox has no checkout-production');
  const app = production.metadata.name;
  const revision = production.status?.history?.at(-1)?.revision;
  const rollout = new URLSearchParams({
    appNamespace: 'argocd',
    namespace: 'checkout',
    resourceName: 'checkout',
    group: 'argoproj.io',
    kind: 'Rollout',
    version: 'v1alpha1',
  }).toString();
  const calls: Array<[string, string]> = [
    ['applications by selector', listUrl],
    ...list.items.map(
      a =>
        [
          `resource-tree ${a.metadata.name}`,
          `${base}/${a.metadata.name}/resource-tree?appNamespace=argocd`,
        ] as [string, string],
    ),
    ['Rollout resource', `${base}/${app}/resource?${rollout}`],
    ['Rollout resource actions', `${base}/${app}/resource/actions?${rollout}`],
  ];
  if (revision) {
    calls.push([
      'revision metadata',
      `${base}/${app}/revisions/${revision}/metadata?appNamespace=argocd`,
    ]);
  }
  const timings: UpstreamTiming[] = [];
  for (const [call, url] of calls) {
    timings.push({
      call,
      ...summarize(await timeSequential(url, samples, TOKEN)),
    });
  }
  const slowest = timings.reduce((a, b) => (b.p99 > a.p99 ? b : a));
  return { calls: timings, slowest };
}

/**
 * Overview latency under load: autocannon at each concurrency on one entity
 * and on 50 different entities, against a backend whose live-state cache
 * is disabled (cold: every overview pays its upstream calls) and against
 * one whose cache is warm.
 */
export async function runLatency(options: {
  sandboxUrl: string;
  durationSeconds: number;
  connections: number[];
  floorSamples: number;
  log: (line: string) => void;
}): Promise<LatencyResults> {
  const { sandboxUrl, durationSeconds, connections, log } = options;
  const one = [overviewPath('checkout')];
  const fifty = Array.from({ length: 50 }, (_, i) =>
    overviewPath(generatedServiceName(i)),
  );

  log('latency floor: timing each upstream call of the view directly');
  const floor = await measureFloor(sandboxUrl, options.floorSamples);
  for (const t of floor.calls) {
    log(`  ${t.call}: p50 ${t.p50} ms, p99 ${t.p99} ms`);
  }

  const runs: LatencyResults['runs'] = [];
  const sandbox = new SandboxClient(sandboxUrl);
  const measureRun = async (baseUrl: string, paths: string[], c: number) => {
    await sandbox.resetStats();
    const r = await runLoad({
      baseUrl,
      paths,
      connections: c,
      durationSeconds,
    });
    const stats = await sandbox.stats();
    return {
      ...r,
      upstreamCalls: stats.total,
      argocdCalls: stats.upstreams.argocd?.total ?? 0,
    };
  };
  // every user count on one entity, then on 50 different ones
  const measureAll = async (baseUrl: string, cache: 'cold' | 'warm') => {
    for (const [target, paths] of [
      ['one entity', one],
      ['50 entities', fifty],
    ] as const) {
      for (const c of connections) {
        const r = await measureRun(baseUrl, paths, c);
        runs.push({ cache, target, ...r });
        log(formatRun(cache, target, r));
      }
    }
  };
  const cold = await startChild('src/backend/main.ts', {
    BENCH_PLUGIN: 'delivery',
    BENCH_SANDBOX_URL: sandboxUrl,
    BENCH_TTL_SECONDS: '0',
    BENCH_WATCH: 'off',
  });
  let firstRequestMs: number;
  try {
    const url = cold.info.url;
    [firstRequestMs] = await timeSequential(`${url}${one[0]}`, 1);
    log(`first request on a fresh backend: ${firstRequestMs.toFixed(1)} ms`);
    await measureAll(url, 'cold');
  } finally {
    await cold.stop();
  }

  const warm = await startChild('src/backend/main.ts', {
    BENCH_PLUGIN: 'delivery',
    BENCH_SANDBOX_URL: sandboxUrl,
    BENCH_TTL_SECONDS: '3600',
    BENCH_WATCH: 'off',
  });
  let firstView: LatencyResults['firstViewOf50Entities'];
  try {
    const url = warm.info.url;
    // warm up the process on one entity, then the first view of 50 others
    await timeSequential(`${url}${one[0]}`, 1);
    const firstViewConnections = 10;
    const times: number[] = [];
    const queue = [...fifty];
    await Promise.all(
      Array.from({ length: firstViewConnections }, async () => {
        for (let path = queue.shift(); path; path = queue.shift()) {
          times.push(...(await timeSequential(`${url}${path}`, 1)));
        }
      }),
    );
    firstView = { connections: firstViewConnections, ...summarize(times) };
    log(
      `first view of 50 entities (fresh cache, ${firstViewConnections} at a time): p50 ${firstView.p50} ms, p99 ${firstView.p99} ms`,
    );
    await measureAll(url, 'warm');
  } finally {
    await warm.stop();
  }

  const streams = await measureStreams({
    sandbox,
    durationSeconds,
    one: one[0],
    fresh: fifty.slice(-10),
    slowestP99: floor.slowest.p99,
    log,
  });

  return {
    streams,
    settings: {
      durationSeconds,
      connections,
      coldCache:
        'fresh backend with delivery.cache.ttlSeconds 0: live Argo CD state is never cached, so every overview pays its upstream calls (identical concurrent calls are still coalesced; immutable git metadata keeps its cache)',
      warmCache:
        'fresh backend with delivery.cache.ttlSeconds 3600, warmed by the first-view pass over all 50 entities',
    },
    floor,
    firstRequestMs,
    firstViewOf50Entities: firstView,
    runs,
  };
}

/** The overview's latency with the Argo CD watch streams (TTL 0). */
export interface StreamLatency {
  /** Sequential requests until one made no Application list or tree read. */
  requestsUntilServedFromStreams: number;
  /** autocannon, 1 connection, the checkout overview, repeated. */
  repeat: LoadResult & { upstreamCalls: number; argocdCalls: number };
  /** p99(repeat) / p99(slowest upstream call). */
  repeatRatio: number;
  /** The first view of 10 entities not viewed before, one after the other. */
  firstViewOfEntity: LatencySummary & { argocdCalls: number };
  /** p99(first view) / p99(slowest upstream call). */
  firstViewRatio: number;
}

/**
 * A fresh backend with TTL 0 and the watch streams on: once the first views
 * have opened and synced the streams, the checkout overview repeated
 * (1 connection, autocannon) and the first view of entities not viewed
 * before, each as a ratio of the slowest upstream call.
 */
async function measureStreams(options: {
  sandbox: SandboxClient;
  durationSeconds: number;
  one: string;
  fresh: string[];
  slowestP99: number;
  log: (line: string) => void;
}): Promise<StreamLatency> {
  const { sandbox, log } = options;
  const child = await startChild('src/backend/main.ts', {
    BENCH_PLUGIN: 'delivery',
    BENCH_SANDBOX_URL: sandbox.url,
    BENCH_TTL_SECONDS: '0',
    BENCH_WATCH: 'on',
  });
  try {
    const url = child.info.url;
    let requests = 0;
    for (; requests < 100; requests++) {
      await sandbox.resetStats();
      await timeSequential(`${url}${options.one}`, 1);
      const routes = Object.keys(
        (await sandbox.stats()).upstreams.argocd?.routes ?? {},
      );
      if (
        requests > 0 &&
        !routes.some(
          r =>
            r.endsWith('/api/v1/applications') || r.endsWith('/resource-tree'),
        )
      ) {
        break;
      }
      await new Promise(r => setTimeout(r, 100));
    }
    await sandbox.resetStats();
    const r = await runLoad({
      baseUrl: url,
      paths: [options.one],
      connections: 1,
      durationSeconds: options.durationSeconds,
    });
    const stats = await sandbox.stats();
    const repeat = {
      ...r,
      upstreamCalls: stats.total,
      argocdCalls: stats.upstreams.argocd?.total ?? 0,
    };
    await sandbox.resetStats();
    const times: number[] = [];
    for (const path of options.fresh) {
      times.push(...(await timeSequential(`${url}${path}`, 1)));
    }
    const firstStats = await sandbox.stats();
    const firstViewOfEntity = {
      ...summarize(times),
      argocdCalls: firstStats.upstreams.argocd?.total ?? 0,
    };
    const ratio = (p99: number) =>
      Math.round((p99 / options.slowestP99) * 100) / 100;
    const result: StreamLatency = {
      requestsUntilServedFromStreams: requests + 1,
      repeat,
      repeatRatio: ratio(repeat.p99),
      firstViewOfEntity,
      firstViewRatio: ratio(firstViewOfEntity.p99),
    };
    log(
      `  watch streams, TTL 0: served from the streams after ${
        result.requestsUntilServedFromStreams
      } requests; ${formatRun('streams', 'one entity', repeat)}; p99 ${
        repeat.p99
      } ms = ${result.repeatRatio}× the slowest call; first view of ${
        options.fresh.length
      } entities not viewed before: p50 ${firstViewOfEntity.p50} ms, p99 ${
        firstViewOfEntity.p99
      } ms = ${result.firstViewRatio}× (${
        firstViewOfEntity.argocdCalls
      } Argo CD calls)`,
    );
    return result;
  } finally {
    await child.stop();
  }
}

function formatRun(
  cache: string,
  target: string,
  r: LoadResult & { upstreamCalls: number; argocdCalls?: number },
): string {
  return `  ${cache} ${target} x${r.connections}: p50 ${r.p50} ms, p95 ${r.p95} ms, p99 ${r.p99} ms, ${r.reqPerSec} req/s, ${r.errors} errors, ${r.upstreamCalls} upstream calls (${r.argocdCalls} Argo CD)`;
}
