import { startChild } from './lib/child';
import { SandboxClient, type SandboxStats } from './lib/sandboxClient';
import { overviewPath } from './latency';
import { generatedServiceName } from './sandbox/generatedServices';

/**
 * `yarn workspace bench calls`: exact upstream call counts of the Delivery
 * overview, route by route, without timing anything (so it is cheap and
 * its numbers do not depend on the machine's load). Starts its own sandbox
 * (no injected latency) and backends on free ports.
 *
 * Prints, for a backend with a cold cache (TTL 0) and one with a warm cache
 * (TTL 1 h): the calls of one checkout overview, of 20 concurrent identical
 * overviews, of a first pass over 50 entities and of two more passes, and
 * what background tasks call in 10 s without requests.
 */
const log = (line: string) => process.stdout.write(`${line}\n`);

function routes(stats: SandboxStats): string {
  return Object.entries(stats.upstreams)
    .flatMap(([upstream, u]) =>
      Object.entries(u.routes).map(
        ([route, n]) => `    ${n} ${upstream} ${route}`,
      ),
    )
    .join('\n');
}

async function get(url: string): Promise<void> {
  const res = await fetch(url);
  await res.arrayBuffer();
  if (!res.ok) throw new Error(`GET ${url}: ${res.status}`);
}

async function main() {
  const sandboxChild = await startChild('src/sandbox/main.ts', {
    SANDBOX_PORT: '0',
    SANDBOX_LATENCY_ARGOCD_MS: '0',
    SANDBOX_LATENCY_PROMETHEUS_MS: '0',
    SANDBOX_LATENCY_JITTER: '0',
    BENCH_GENERATED_SERVICES: '50',
  });
  const sandbox = new SandboxClient(sandboxChild.info.url);
  const fifty = Array.from({ length: 50 }, (_, i) =>
    overviewPath(generatedServiceName(i)),
  );
  const measure = async (what: string, fn: () => Promise<unknown>) => {
    await sandbox.resetStats();
    await fn();
    const stats = await sandbox.stats();
    log(`  ${what}: ${stats.total} upstream calls`);
    log(routes(stats));
    return stats;
  };
  try {
    for (const ttl of ['0', '3600']) {
      const backend = await startChild('src/backend/main.ts', {
        BENCH_PLUGIN: 'delivery',
        BENCH_SANDBOX_URL: sandbox.url,
        BENCH_TTL_SECONDS: ttl,
      });
      const url = backend.info.url;
      log(`delivery backend, live-state TTL ${ttl} s`);
      try {
        const one = `${url}${overviewPath('checkout')}`;
        await measure('one checkout overview', () => get(one));
        await measure('the same overview again', () => get(one));
        await measure('20 concurrent checkout overviews', () =>
          Promise.all(Array.from({ length: 20 }, () => get(one))),
        );
        await measure('50 entities, first pass (10 at a time)', async () => {
          const queue = [...fifty];
          await Promise.all(
            Array.from({ length: 10 }, async () => {
              for (let p = queue.shift(); p; p = queue.shift()) {
                await get(`${url}${p}`);
              }
            }),
          );
        });
        for (const pass of ['second', 'third']) {
          await measure(`50 entities, ${pass} pass`, () =>
            Promise.all(fifty.map(p => get(`${url}${p}`))),
          );
        }
        await measure(
          '10 s without any request (background tasks)',
          () => new Promise(r => setTimeout(r, 10_000)),
        );
      } finally {
        await backend.stop();
      }
    }
  } finally {
    await sandboxChild.stop();
  }
}

main().catch(error => {
  process.stderr.write(`${(error as Error).stack}\n`);
  process.exit(1);
});
