import autocannon from 'autocannon';
import { summarize, type LatencySummary } from './stats';

/** What one autocannon run measured. */
export interface LoadResult extends LatencySummary {
  connections: number;
  durationSeconds: number;
  requests: number;
  /** Completed requests per second over the run. */
  reqPerSec: number;
  /** Socket errors and timeouts plus non-2xx responses. */
  errors: number;
  non2xx: number;
}

/**
 * Runs autocannon against `paths` of `baseUrl` with `connections` concurrent
 * users for `durationSeconds`. With several paths every connection walks the
 * list from its own offset, so concurrent users ask for different entities.
 * Latencies are every response's time as autocannon's `response` event
 * reports it (p95 is not in autocannon's own histogram summary).
 */
export async function runLoad(options: {
  baseUrl: string;
  paths: string[];
  connections: number;
  durationSeconds: number;
}): Promise<LoadResult> {
  const { baseUrl, paths, connections, durationSeconds } = options;
  const latencies: number[] = [];
  let clientIndex = 0;
  let finish: (err: unknown, result: autocannon.Result) => void = () => {};
  const done = new Promise<autocannon.Result>((resolve, reject) => {
    finish = (err, result) => (err ? reject(err) : resolve(result));
  });
  const instance = autocannon(
    {
      url: baseUrl,
      connections,
      duration: durationSeconds,
      timeout: 30,
      requests: paths.map(path => ({ method: 'GET', path })),
      setupClient: client => {
        const offset = (clientIndex++ * 7) % paths.length;
        client.setRequests(
          [...paths.slice(offset), ...paths.slice(0, offset)].map(path => ({
            method: 'GET',
            path,
          })),
        );
      },
    },
    (err, result) => finish(err, result),
  );
  instance.on('response', (_client, _status, _bytes, responseTime) => {
    latencies.push(responseTime);
  });
  const result = await done;
  const completed = latencies.length;
  return {
    connections,
    durationSeconds,
    ...summarize(latencies),
    requests: completed,
    reqPerSec: Math.round((completed / durationSeconds) * 10) / 10,
    errors: result.errors + result.non2xx,
    non2xx: result.non2xx,
  };
}

/** Times sequential GETs of one URL (ms each), failing on a non-2xx. */
export async function timeSequential(
  url: string,
  count: number,
  headers: Record<string, string> = {},
): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    const start = performance.now();
    const res = await fetch(url, { headers });
    await res.arrayBuffer();
    times.push(performance.now() - start);
    if (!res.ok) throw new Error(`GET ${url} answered ${res.status}`);
  }
  return times;
}
