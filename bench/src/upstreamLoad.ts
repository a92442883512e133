import { startChild } from './lib/child';
import { SandboxClient, type SandboxStats } from './lib/sandboxClient';
import { overviewPath } from './latency';

const COMMUNITY = '/api/backstage-community-argocd';
const METADATA_ROUTE = /\/revisions\/\{revision\}\/metadata$/;

/** Upstream calls of one backend: per view and under polling viewers. */
export interface BackendLoad {
  backend: string;
  perView: { first: SandboxStats; poll: SandboxStats };
  polling: {
    viewerRequests: number;
    failedViewerRequests: number;
    stats: SandboxStats;
    /** Upstream calls per minute of the simulated (unscaled) time. */
    callsPerMinute: number;
    /** Of those, Argo CD calls per minute. */
    argocdCallsPerMinute?: number;
  };
  rssBytesAfterLoad?: number;
}

/** Results of the upstream load benchmark. */
export interface UpstreamLoadResults {
  settings: {
    viewers: number;
    pollSecondsSimulated: number;
    minutesSimulated: number;
    timeScale: number;
    pollSecondsActual: number;
    secondsActual: number;
    deliveryTtlSecondsSimulated: number;
    deliveryTtlSecondsActual: number;
    note: string;
  };
  delivery: BackendLoad & {
    /** Live-state calls per resource per TTL window (1 = the target). */
    liveCallsPerResourcePerTtl: number;
  };
  community: BackendLoad & { communityViewCalls: string };
  /** community calls per minute / delivery calls per minute. */
  ratio: number;
  /** The same ratio of Argo CD calls only. */
  argocdRatio?: number;
  /** Delivery with the Argo CD watch streams, per number of viewers. */
  streams?: StreamLoad[];
  /** community calls per minute / delivery's with streams (same viewers). */
  streamRatio?: number;
  /** The same ratio of Argo CD calls only. */
  streamArgocdRatio?: number;
}

/** Upstream calls of Delivery with its watch streams, for one viewer count. */
export interface StreamLoad {
  viewers: number;
  viewerRequests: number;
  failedViewerRequests: number;
  stats: SandboxStats;
  callsPerMinute: number;
  argocdCallsPerMinute: number;
  /** Upstream calls of the first view (opening the streams). */
  firstView: number;
}

type Viewer = (first: boolean) => Promise<void>;

/** Runs `viewers` pollers for `seconds`, each starting at a random offset. */
async function poll(
  viewers: number,
  intervalMs: number,
  seconds: number,
  view: Viewer,
): Promise<{ requests: number; failed: number }> {
  const end = Date.now() + seconds * 1000;
  let requests = 0;
  let failed = 0;
  const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));
  await Promise.all(
    Array.from({ length: viewers }, async () => {
      await sleep(Math.random() * intervalMs);
      let first = true;
      while (Date.now() < end) {
        const started = Date.now();
        try {
          await view(first);
        } catch {
          failed++;
        }
        requests++;
        first = false;
        // like the frontends: the next poll is scheduled after the answer
        await sleep(Math.max(0, intervalMs - (Date.now() - started)));
      }
    }),
  );
  return { requests, failed };
}

async function getJson(url: string): Promise<unknown> {
  const res = await fetch(url);
  const body = await res.json();
  if (!res.ok) throw new Error(`GET ${url}: ${res.status}`);
  return body;
}

/** What the community frontend's Argo CD cards ask its backend per view. */
function communityViewer(backendUrl: string): Viewer {
  const selector = encodeURIComponent('app=checkout');
  return async first => {
    const list = (await getJson(
      `${backendUrl}${COMMUNITY}/argoInstance/main/applications/selector/${selector}`,
    )) as {
      items: Array<{
        metadata: { name: string };
        status?: { history?: Array<{ revision?: string }> };
      }>;
    };
    if (!first) return; // the frontend keeps revision details per open tab
    const revisions = new Map<string, string>();
    for (const app of list.items) {
      for (const h of app.status?.history ?? []) {
        if (h.revision && !revisions.has(h.revision)) {
          revisions.set(h.revision, app.metadata.name);
        }
      }
    }
    await Promise.all(
      [...revisions].map(([rev, app]) =>
        getJson(
          `${backendUrl}${COMMUNITY}/argoInstance/main/applications/name/${app}/revisions/${rev}/metadata`,
        ),
      ),
    );
  };
}

function deliveryViewer(backendUrl: string): Viewer {
  return async () => {
    await getJson(`${backendUrl}${overviewPath('checkout')}`);
  };
}

async function measureBackend(options: {
  backend: 'delivery' | 'community';
  sandbox: SandboxClient;
  env: Record<string, string>;
  viewers: number;
  intervalMs: number;
  seconds: number;
  settleMs: number;
  minutesSimulated: number;
  /** Simulated seconds the world moves per real second while viewers poll. */
  worldSecondsPerSecond: number;
}): Promise<BackendLoad> {
  const { sandbox } = options;
  const child = await startChild('src/backend/main.ts', {
    BENCH_PLUGIN: options.backend,
    BENCH_SANDBOX_URL: sandbox.url,
    ...options.env,
  });
  try {
    const view =
      options.backend === 'delivery'
        ? deliveryViewer(child.info.url)
        : communityViewer(child.info.url);
    await sandbox.resetStats();
    await view(true);
    const first = await sandbox.stats();
    await sandbox.resetStats();
    await view(false);
    const pollStats = await sandbox.stats();
    // let the cache entries of the per-view measurement expire
    await new Promise(r => setTimeout(r, options.settleMs));
    // every run watches the same release: checkout's canary from its start
    // (new ReplicaSet, first weight, analysis, the 10-minute pause)
    await sandbox.scenario('checkout', 'healthy-canary');
    await sandbox.resetStats();
    // the world moves as fast as the viewers' time: canary steps, analyses
    const ticker = setInterval(() => {
      sandbox.advance(options.worldSecondsPerSecond).catch(() => {});
    }, 1000);
    let polled: { requests: number; failed: number };
    try {
      polled = await poll(
        options.viewers,
        options.intervalMs,
        options.seconds,
        view,
      );
    } finally {
      clearInterval(ticker);
    }
    const { requests, failed } = polled;
    const stats = await sandbox.stats();
    return {
      backend: options.backend,
      perView: { first, poll: pollStats },
      polling: {
        viewerRequests: requests,
        failedViewerRequests: failed,
        stats,
        callsPerMinute:
          Math.round((stats.total / options.minutesSimulated) * 10) / 10,
        argocdCallsPerMinute:
          Math.round(
            ((stats.upstreams.argocd?.total ?? 0) / options.minutesSimulated) *
              10,
          ) / 10,
      },
      rssBytesAfterLoad: child.rssBytes(),
    };
  } finally {
    await child.stop();
  }
}

function liveCalls(stats: SandboxStats): number {
  const routes = stats.upstreams.argocd?.routes ?? {};
  return Object.entries(routes)
    .filter(([route]) => !METADATA_ROUTE.test(route))
    .reduce((sum, [, n]) => sum + n, 0);
}

/**
 * Upstream load of 20 viewers polling the checkout view, time-scaled: the
 * delivery backend (cache TTL scaled like the poll interval) and the
 * community Argo CD backend, one after the other against the same sandbox.
 */
export async function runUpstreamLoad(options: {
  sandboxUrl: string;
  viewers: number;
  pollSeconds: number;
  minutes: number;
  timeScale: number;
  ttlSeconds: number;
  log: (line: string) => void;
  /** Viewer counts of the runs with the watch streams (default 1, 20, 100). */
  streamViewers?: number[];
}): Promise<UpstreamLoadResults> {
  const { viewers, timeScale, log } = options;
  const sandbox = new SandboxClient(options.sandboxUrl);
  const intervalMs = (options.pollSeconds * 1000) / timeScale;
  const seconds = (options.minutes * 60) / timeScale;
  const ttlActual = options.ttlSeconds / timeScale;
  const common = {
    sandbox,
    viewers,
    intervalMs,
    seconds,
    minutesSimulated: options.minutes,
    worldSecondsPerSecond: timeScale - 1,
  };

  log(
    `upstream load: ${viewers} viewers every ${
      intervalMs / 1000
    } s for ${seconds} s (= every ${options.pollSeconds} s for ${
      options.minutes
    } min at time scale ${timeScale})`,
  );
  const delivery = await measureBackend({
    ...common,
    backend: 'delivery',
    env: { BENCH_TTL_SECONDS: String(ttlActual), BENCH_WATCH: 'off' },
    settleMs: ttlActual * 1000 + 200,
  });
  const windows = seconds / ttlActual;
  const perResource =
    liveCalls(delivery.polling.stats) /
    (windows * liveCalls(delivery.perView.first));
  log(
    `  delivery: ${
      delivery.perView.first.total
    } upstream calls for a first view, ${
      delivery.perView.poll.total
    } for a repeat within the TTL; ${delivery.polling.stats.total} calls for ${
      delivery.polling.viewerRequests
    } viewer requests = ${
      delivery.polling.callsPerMinute
    }/min; ${perResource.toFixed(2)} live calls per resource per TTL`,
  );
  const streams: StreamLoad[] = [];
  for (const n of options.streamViewers ?? [1, 20, 100]) {
    const load = await measureBackend({
      ...common,
      viewers: n,
      backend: 'delivery',
      env: { BENCH_TTL_SECONDS: String(ttlActual), BENCH_WATCH: 'on' },
      settleMs: ttlActual * 1000 + 200,
    });
    streams.push({
      viewers: n,
      viewerRequests: load.polling.viewerRequests,
      failedViewerRequests: load.polling.failedViewerRequests,
      stats: load.polling.stats,
      callsPerMinute: load.polling.callsPerMinute,
      argocdCallsPerMinute: load.polling.argocdCallsPerMinute ?? 0,
      firstView: load.perView.first.total,
    });
    log(
      `  delivery with watch streams, ${n} viewers: ${
        load.polling.stats.total
      } calls for ${load.polling.viewerRequests} viewer requests = ${
        load.polling.callsPerMinute
      }/min (Argo CD ${load.polling.argocdCallsPerMinute}/min: ${argocdRoutes(
        load.polling.stats,
      )})`,
    );
  }
  const community = await measureBackend({
    ...common,
    backend: 'community',
    env: {},
    settleMs: 0,
  });
  log(
    `  community: ${community.perView.first.total} upstream calls for a first view, ${community.perView.poll.total} per poll; ${community.polling.stats.total} calls for ${community.polling.viewerRequests} viewer requests = ${community.polling.callsPerMinute}/min`,
  );
  const ratio =
    Math.round(
      (community.polling.callsPerMinute / delivery.polling.callsPerMinute) *
        100,
    ) / 100;
  const argocdRatio =
    Math.round(
      ((community.polling.argocdCallsPerMinute ?? 0) /
        (delivery.polling.argocdCallsPerMinute || 1)) *
        100,
    ) / 100;
  log(
    `  ratio community / delivery (polling): ${ratio} (Argo CD calls only: ${argocdRatio})`,
  );
  const withStreams = streams.find(s => s.viewers === viewers) ?? streams[0];
  const streamRatio = withStreams
    ? Math.round(
        (community.polling.callsPerMinute /
          (withStreams.callsPerMinute || 0.1)) *
          10,
      ) / 10
    : undefined;
  const streamArgocdRatio = withStreams
    ? Math.round(
        ((community.polling.argocdCallsPerMinute ?? 0) /
          (withStreams.argocdCallsPerMinute || 0.1)) *
          10,
      ) / 10
    : undefined;
  log(
    `  ratio community / delivery (watch streams, ${
      withStreams?.viewers
    } viewers): ${streamRatio} (Argo CD calls only: ${streamArgocdRatio}); calls/min with 1, 20, 100 viewers: ${streams
      .map(s => `${s.callsPerMinute} (Argo CD ${s.argocdCallsPerMinute})`)
      .join(', ')}`,
  );
  return {
    settings: {
      viewers,
      pollSecondsSimulated: options.pollSeconds,
      minutesSimulated: options.minutes,
      timeScale,
      pollSecondsActual: intervalMs / 1000,
      secondsActual: seconds,
      deliveryTtlSecondsSimulated: options.ttlSeconds,
      deliveryTtlSecondsActual: ttlActual,
      note: 'time-scaled: poll interval, run length and the Delivery cache TTL are divided by the time scale; per-minute figures are per minute of simulated time',
    },
    delivery: {
      ...delivery,
      liveCallsPerResourcePerTtl: Math.round(perResource * 100) / 100,
    },
    community: {
      ...community,
      communityViewCalls:
        'what the community frontend (EntityArgoCDOverviewCard / history) asks per open tab: applications by selector per instance on every poll, plus revision metadata per unique revision on the first view',
    },
    ratio,
    argocdRatio,
    streams,
    streamRatio,
    streamArgocdRatio,
  };
}

/** The Argo CD routes of a run, by count, for the log. */
function argocdRoutes(stats: SandboxStats): string {
  return Object.entries(stats.upstreams.argocd?.routes ?? {})
    .sort((a, b) => b[1] - a[1])
    .map(([route, n]) => `${n} ${route.replace(/^GET \/argocd\/[^/]+/, '')}`)
    .join(', ');
}
