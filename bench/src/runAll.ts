import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { resolve } from 'node:path';
import { runBundle } from './bundle';
import { runLatency } from './latency';
import { startChild } from './lib/child';
import { prettierFormat } from './lib/prettierFormat';
import { runChromiumRender } from './chromiumRender';
import { runLiveScreen } from './liveScreen';
import { runFleet } from './fleet';
import { runRender } from './render';
import { evaluateTargets, toMarkdown, type BenchResults } from './report';
import { runUpstreamLoad } from './upstreamLoad';

const env = (name: string, fallback: number) => {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isFinite(value) || value < 0) {
    throw new Error(`${name} must be a non-negative number`);
  }
  return value;
};

const log = (line: string) => process.stdout.write(`${line}\n`);

/**
 * `yarn bench`: every benchmark of the Delivery plugins, one after the other
 * (the machine has two cores; overlapping them would measure each other),
 * then bench/results/latest.json and latest.md. BENCH_SKIP (comma list of
 * latency, upstreamLoad, render, bundle) leaves parts out.
 */
async function main() {
  const started = Date.now();
  const skip = new Set(
    (process.env.BENCH_SKIP ?? '').split(',').filter(Boolean),
  );
  const sandboxLatency = {
    argocdLatencyMs: env('SANDBOX_LATENCY_ARGOCD_MS', 50),
    prometheusLatencyMs: env('SANDBOX_LATENCY_PROMETHEUS_MS', 20),
    jitter: env('SANDBOX_LATENCY_JITTER', 0.1),
  };
  const results: BenchResults = {
    startedAt: new Date(started).toISOString(),
    wallSeconds: 0,
    machine: {
      cpus: cpus().length,
      loadAverageAtStart: loadavg(),
      node: process.version,
    },
    sandbox: sandboxLatency,
    errors: {},
    targets: [],
  };
  const step = async <T>(
    name: string,
    fn: () => Promise<T>,
  ): Promise<T | undefined> => {
    if (skip.has(name)) return undefined;
    try {
      return await fn();
    } catch (e) {
      results.errors[name] = (e as Error).message;
      log(`${name} failed: ${(e as Error).message}`);
      return undefined;
    }
  };

  if (!skip.has('latency') || !skip.has('upstreamLoad')) {
    const sandbox = await startChild('src/sandbox/main.ts', {
      // a free port, whatever SANDBOX_PORT the shell has (the demo's is 7171)
      SANDBOX_PORT: '0',
      SANDBOX_LATENCY_ARGOCD_MS: String(sandboxLatency.argocdLatencyMs),
      SANDBOX_LATENCY_PROMETHEUS_MS: String(sandboxLatency.prometheusLatencyMs),
      SANDBOX_LATENCY_JITTER: String(sandboxLatency.jitter),
      BENCH_GENERATED_SERVICES: '50',
    });
    log(`sandbox on ${sandbox.info.url}`);
    try {
      results.latency = await step('latency', () =>
        runLatency({
          sandboxUrl: sandbox.info.url,
          durationSeconds: env('BENCH_DURATION_SECONDS', 6),
          connections: [1, 10, 50],
          floorSamples: env('BENCH_FLOOR_SAMPLES', 60),
          log,
        }),
      );
      results.upstreamLoad = await step('upstreamLoad', () =>
        runUpstreamLoad({
          sandboxUrl: sandbox.info.url,
          viewers: 20,
          pollSeconds: 10,
          minutes: 5,
          timeScale: env('BENCH_TIME_SCALE', 10),
          ttlSeconds: 10,
          log,
        }),
      );
    } finally {
      await sandbox.stop();
    }
    if (results.upstreamLoad) {
      const mib = (b?: number) =>
        b === undefined ? undefined : Math.round((b / 1024 / 1024) * 10) / 10;
      results.memory = {
        deliveryRssMiBAfterLoad: mib(
          results.upstreamLoad.delivery.rssBytesAfterLoad,
        ),
        communityRssMiBAfterLoad: mib(
          results.upstreamLoad.community.rssBytesAfterLoad,
        ),
        note: 'VmRSS of each backend child process (a Backstage test backend with only that plugin, a mock catalog of 55 entities and the in-memory cache) read from /proc right after its polling run',
      };
      log(
        `memory: RSS after the load: delivery ${results.memory.deliveryRssMiBAfterLoad} MiB, community ${results.memory.communityRssMiBAfterLoad} MiB`,
      );
    }
  }
  results.fleet = await step('fleet', () =>
    runFleet({
      components: env('BENCH_FLEET_COMPONENTS', 200),
      argocdLatencyMs: sandboxLatency.argocdLatencyMs,
      log,
    }),
  );
  results.chromiumRender = await step('chromiumRender', () =>
    runChromiumRender(log),
  );
  results.liveScreen = await step('liveScreen', () => runLiveScreen(log));
  results.render = await step('render', () => runRender(log));
  results.bundle = await step('bundle', () => runBundle(log));

  results.machine.loadAverageAtEnd = loadavg();
  results.wallSeconds = Math.round((Date.now() - started) / 100) / 10;
  results.targets = evaluateTargets(results);
  // BENCH_RESULTS_DIR: where a partial run (BENCH_SKIP) writes, so that it
  // does not replace the full run's results/latest.*
  const dir = process.env.BENCH_RESULTS_DIR
    ? resolve(process.env.BENCH_RESULTS_DIR)
    : // eslint-disable-next-line no-restricted-syntax -- bench runs from source, never bundled
      resolve(__dirname, '..', 'results');
  mkdirSync(dir, { recursive: true });
  const jsonFile = resolve(dir, 'latest.json');
  const mdFile = resolve(dir, 'latest.md');
  writeFileSync(
    jsonFile,
    prettierFormat(log, jsonFile, JSON.stringify(results, null, 2)),
  );
  const md = prettierFormat(log, mdFile, toMarkdown(results));
  writeFileSync(mdFile, md);
  log('');
  log(md);
  log(`wrote ${jsonFile} and latest.md in ${results.wallSeconds} s`);
  if (Object.keys(results.errors).length > 0) process.exitCode = 1;
}

main().catch(error => {
  process.stderr.write(`${(error as Error).stack}\n`);
  process.exit(1);
});
