import { jsonFixture } from 'delivery-test-data';
import { registerMswTestHooks } from '@backstage/backend-test-utils';
import { http, HttpResponse, delay } from 'msw';
import { setupServer } from 'msw/node';
import { fakeMetrics } from '@gitops-delivery/backstage-plugin-delivery-node/testUtils';
import { createPrometheusClient } from './PrometheusClient';
import { PrometheusError } from './PrometheusError';

const fixture = (name: string) => jsonFixture(`prometheus/${name}`);

const BASE = 'http://prometheus.test/prom';
const server = setupServer();
registerMswTestHooks(server);

const client = (timeoutMs = 1000) =>
  createPrometheusClient({
    name: 'main',
    url: `${BASE}/`,
    headers: { Authorization: 'Bearer super-secret-prom-token' },
    timeoutMs,
    argocdInstances: [],
  });

function answer(file: string, status = 200, onRequest?: (r: Request) => void) {
  const handler = ({ request }: { request: Request }) => {
    onRequest?.(request);
    return HttpResponse.json(fixture(file), { status });
  };
  server.use(
    http.get(`${BASE}/api/v1/query`, handler),
    http.get(`${BASE}/api/v1/query_range`, handler),
  );
}

describe('PrometheusClient', () => {
  it('counts its calls through the upstream helper when given a MetricsService', async () => {
    answer('query-vector-error-ratio.json');
    const { metrics, records } = fakeMetrics();
    const counted = createPrometheusClient(
      {
        name: 'main',
        url: BASE,
        headers: {},
        timeoutMs: 1000,
        argocdInstances: [],
      },
      { metrics },
    );
    await counted.query('up', 1795773154);
    expect(
      records
        .filter(r => r.name === 'delivery.prometheus.calls')
        .map(r => r.attributes),
    ).toEqual([
      { route: 'GET /api/v1/query', outcome: 'ok', instance: 'main' },
    ]);
  });

  it('parses a vector with string values and sends the configured headers', async () => {
    let seen: Request | undefined;
    answer('query-vector-error-ratio.json', 200, r => (seen = r));
    const result = await client().query('up', 1795773154);
    expect(result.resultType).toBe('vector');
    expect(result.samples).toEqual([
      {
        metric: {
          rollouts_pod_template_hash: '7d5979db69',
          service: 'checkout',
        },
        t: 1795773154.452,
        value: 0.07999999999999999,
      },
      expect.objectContaining({ value: 0.0050039215686274435 }),
    ]);
    const url = new URL(seen!.url);
    expect(url.searchParams.get('query')).toBe('up');
    expect(url.searchParams.get('time')).toBe('1795773154');
    expect(url.searchParams.get('timeout')).toBe('900ms');
    expect(seen!.headers.get('authorization')).toBe(
      'Bearer super-secret-prom-token',
    );
  });

  it('normalises a scalar to one unlabelled sample', async () => {
    answer('query-scalar.json');
    const result = await client().query('scalar(x)');
    expect(result).toEqual({
      resultType: 'scalar',
      samples: [{ metric: {}, t: 1795773154.472, value: 0.07999999999999999 }],
    });
  });

  it('keeps NaN and +Inf as numbers and an empty result as no samples', async () => {
    answer('query-vector-nan.json');
    expect((await client().query('x')).samples[0].value).toBeNaN();
    server.use(
      http.get(`${BASE}/api/v1/query`, () =>
        HttpResponse.json({
          status: 'success',
          data: {
            resultType: 'vector',
            result: [{ metric: {}, value: [1, '+Inf'] }],
          },
        }),
      ),
    );
    expect((await client().query('x')).samples[0].value).toBe(Infinity);
    answer('query-vector-empty.json');
    expect((await client().query('x')).samples).toEqual([]);
  });

  it('parses a matrix of a range query', async () => {
    answer('query-range-matrix-error-ratio.json');
    const series = await client().queryRange('x', 1, 2, 300);
    expect(series).toHaveLength(2);
    expect(series[1].points[0]).toEqual({
      t: 1795772254,
      value: 0.07999999999999999,
    });
    expect(series[0].points).toHaveLength(4);
  });

  it.each([
    [
      'error-400-bad-data-parse.json',
      400,
      'bad_data',
      /rejected as invalid \(bad_data, HTTP 400\): .*parse error/,
    ],
    [
      'error-400-bad-data-range.json',
      400,
      'bad_data',
      /end timestamp must not be before start time/,
    ],
    ['error-400-missing-query.json', 400, 'bad_data', /bad_data/],
    [
      'error-422-execution.json',
      422,
      'execution',
      /failed while being evaluated \(execution, HTTP 422\): found duplicate series/,
    ],
    [
      'error-503-timeout.json',
      503,
      'timeout',
      /timed out \(timeout, HTTP 503\): query timed out in query queue/,
    ],
  ])('explains %s', async (file, status, type, message) => {
    answer(file, status);
    const error = await client()
      .query('x')
      .catch(e => e);
    expect(error).toBeInstanceOf(PrometheusError);
    expect(error.errorType).toBe(type);
    expect(error.message).toMatch(message);
    expect(error.message).toContain('Prometheus "main"');
    expect(error.message).not.toContain('super-secret');
  });

  it('explains canceled, a non-JSON answer, an unreachable server and its own timeout', async () => {
    server.use(
      http.get(`${BASE}/api/v1/query`, () =>
        HttpResponse.json(
          {
            status: 'error',
            errorType: 'canceled',
            error: 'query was canceled',
          },
          { status: 503 },
        ),
      ),
    );
    await expect(client().query('x')).rejects.toThrow(
      /the query was canceled \(canceled/,
    );

    server.use(
      http.get(
        `${BASE}/api/v1/query`,
        () => new HttpResponse('<html>Bad Gateway</html>', { status: 502 }),
      ),
    );
    await expect(client().query('x')).rejects.toThrow(
      /not valid API JSON \(bad_response, HTTP 502\)/,
    );

    server.use(http.get(`${BASE}/api/v1/query`, () => HttpResponse.error()));
    await expect(client().query('x')).rejects.toThrow(
      /could not be reached \(unavailable\)/,
    );

    server.use(
      http.get(`${BASE}/api/v1/query`, async () => {
        await delay(500);
        return HttpResponse.json(fixture('query-scalar.json'));
      }),
    );
    await expect(client(50).query('x')).rejects.toThrow(
      /timed out \(timeout\): no answer within 50 ms/,
    );
  });

  it('refuses an unexpected result type', async () => {
    answer('query-range-matrix-error-ratio.json');
    await expect(client().query('x')).rejects.toThrow(
      /expected a vector or scalar result, got matrix/,
    );
  });
});
