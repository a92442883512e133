import {
  createServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { handleArgoCd, ARGOCD_INSTANCES } from './argocd/router';
import { createClock, type Clock } from './clock';
import { handleControl } from './control/router';
import { CallStats, routeTemplate } from './control/stats';
import { handleGitHub } from './github/actions';
import { handlePulls } from './github/pulls';
import { handleGitLab } from './gitlab/pipelines';
import { sendJson } from './http';
import { handlePrometheus, measureQuery } from './prometheus/router';
import { handleSnyk } from './scanners/snyk';
import { handleTrivy } from './scanners/trivy';
import { WorldState } from './world/state';

/** Injected latency per upstream (the benchmarks' slow upstreams). */
export interface LatencyOptions {
  argocdMs?: number;
  prometheusMs?: number;
  /** Relative jitter, e.g. 0.1 for ±10%. */
  jitter?: number;
}

/** Options of the sandbox server. */
export interface SandboxOptions {
  /** Port to listen on; 0 picks a free one. */
  port: number;
  /** Host to bind; loopback by default. */
  host?: string;
  /** Whole-world scenario (or service scenario name) to start with. */
  scenario?: string;
  /** Simulated time runs this many times faster than real time. */
  timeScale?: number;
  /** A clock to use instead of a real-time one (tests). */
  clock?: Clock;
  latency?: LatencyOptions;
}

/** A running sandbox. */
export interface Sandbox {
  server: Server;
  url: string;
  world: WorldState;
  stats: CallStats;
  close(): Promise<void>;
}

export { DEMO_ARGOCD_TOKEN } from './argocd/auth';

function delay(ms: number | undefined, jitter: number) {
  if (!ms || ms <= 0) return Promise.resolve();
  const factor = 1 + jitter * (Math.random() * 2 - 1);
  return new Promise(resolve => setTimeout(resolve, Math.max(0, ms * factor)));
}

/** Starts the sandbox HTTP server. */
export async function startSandbox(options: SandboxOptions): Promise<Sandbox> {
  const clock = options.clock ?? createClock(options.timeScale ?? 1);
  const stats = new CallStats();
  let origin = '';
  // eslint-disable-next-line prefer-const
  let world: WorldState;
  const measure = () => (query: string, at: number) =>
    measureQuery(world, query, at);
  world = new WorldState(clock, '', measure);
  const latency = options.latency ?? {};
  const jitter = latency.jitter ?? 0;

  async function handle(req: IncomingMessage, res: ServerResponse) {
    res.setHeader('x-sandbox', 'true');
    const url = new URL(req.url ?? '/', 'http://sandbox');
    const path = url.pathname;
    const method = req.method ?? 'GET';
    const argo = /^\/argocd\/([^/]+)(\/.*)$/.exec(path);
    if (argo) {
      if (!ARGOCD_INSTANCES.includes(argo[1])) {
        sendJson(res, 404, {
          error: `No Argo CD instance "${
            argo[1]
          }"; instances: ${ARGOCD_INSTANCES.join(', ')}`,
        });
        return;
      }
      stats.record('argocd', routeTemplate('argocd', method, path));
      await delay(latency.argocdMs, jitter);
      await handleArgoCd(world, argo[1], req, res, argo[2]);
      return;
    }
    if (path.startsWith('/prometheus/')) {
      stats.record('prometheus', routeTemplate('prometheus', method, path));
      await delay(latency.prometheusMs, jitter);
      await handlePrometheus(world, req, res, path.slice('/prometheus'.length));
      return;
    }
    if (path.startsWith('/trivy/')) {
      stats.record('trivy', routeTemplate('trivy', method, path));
      handleTrivy(world, method, path.slice('/trivy'.length), res);
      return;
    }
    if (path.startsWith('/snyk/rest/')) {
      stats.record('snyk', routeTemplate('snyk', method, path));
      handleSnyk(world, req, res, path.slice('/snyk/rest'.length));
      return;
    }
    if (path.startsWith('/github/')) {
      stats.record('github', routeTemplate('github', method, path));
      const githubPath = path.slice('/github'.length);
      // git data and pull requests (the GitOps rollback), then the reads
      if (await handlePulls(world, req, res, githubPath, origin)) return;
      handleGitHub(world, req, res, githubPath, origin);
      return;
    }
    if (path.startsWith('/gitlab/api/v4/')) {
      stats.record('gitlab', routeTemplate('gitlab', method, path));
      handleGitLab(world, req, res, path.slice('/gitlab/api/v4'.length));
      return;
    }
    if (path.startsWith('/sandbox/')) {
      await handleControl(
        world,
        stats,
        req,
        res,
        path.slice('/sandbox'.length),
      );
      return;
    }
    if (path === '/healthz') {
      sendJson(res, 200, {
        status: 'ok',
        sandbox: true,
        scenario: world.worldScenario,
      });
      return;
    }
    sendJson(res, 404, { error: `No sandbox route ${path}` });
  }

  const server = createServer((req, res) => {
    handle(req, res).catch(error => {
      if (!res.headersSent)
        sendJson(res, 500, { error: (error as Error).message });
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  origin = `http://127.0.0.1:${port}`;
  // the AnalysisTemplates point their Prometheus provider at this sandbox
  world = new WorldState(clock, `${origin}/prometheus`, measure);
  try {
    world.selectWorld(options.scenario ?? 'demo');
  } catch (e) {
    server.close();
    throw e;
  }
  return {
    server,
    url: origin,
    get world() {
      return world;
    },
    stats,
    close: () =>
      new Promise<void>(resolve => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
