import { mockServices } from '@backstage/backend-test-utils';
import { memoryCache } from '@gitops-delivery/backstage-plugin-delivery-node/testUtils';
import { runInReadScope } from '@gitops-delivery/backstage-plugin-delivery-node';
import { createMetricsService } from '../prometheus/MetricsService';
import { DEFAULT_SLOS } from '../prometheus/sloDefinitions';
import { createSignalCache } from './SignalCache';

// The overview's SLO summary with a warm cache: within the live-state TTL,
// views read Prometheus once, however far apart they are.

const rollout = {
  instance: 'main',
  application: 'checkout-production',
  namespace: 'checkout',
  name: 'checkout',
  canaryPodHash: '8566c77b97',
  stablePodHash: '77f4f8ff97',
};

function setUp(liveTtlMs?: number) {
  let clock = Date.parse('2026-11-27T12:00:01Z');
  const queries: string[] = [];
  const fetchMock = (async (input: string | URL | Request) => {
    queries.push(String(input));
    const range = new URL(String(input)).pathname.endsWith('/query_range');
    return new Response(
      JSON.stringify({
        status: 'success',
        data: range
          ? {
              resultType: 'matrix',
              result: [{ metric: {}, values: [[clock / 1000, '0.0005']] }],
            }
          : {
              resultType: 'vector',
              result: [{ metric: {}, value: [clock / 1000, '0.0005'] }],
            },
      }),
      { headers: { 'Content-Type': 'application/json' } },
    );
  }) as typeof fetch;
  const metrics = createMetricsService({
    config: {
      instances: [
        {
          name: 'main',
          url: 'http://prometheus.test',
          headers: {},
          timeoutMs: 1000,
          argocdInstances: [],
        },
      ],
      slos: DEFAULT_SLOS,
    },
    cache: createSignalCache(memoryCache()),
    logger: mockServices.logger.mock(),
    liveTtlMs,
    now: () => clock,
    fetch: fetchMock,
  });
  const summarize = () =>
    metrics.summarize({ environment: 'production', rollouts: [rollout] });
  const series = () =>
    metrics.getMetrics({
      entityRef: 'component:default/checkout',
      environment: 'production',
      rollouts: [rollout],
      rangeSeconds: 3600,
    });
  return {
    summarize,
    series,
    queries,
    advance: (ms: number) => {
      clock += ms;
    },
  };
}

describe('SLO reads and the live-state TTL', () => {
  it('reads Prometheus again after 15 s with the default TTL', async () => {
    const t = setUp(10_000);
    await t.summarize();
    const first = t.queries.length;
    expect(first).toBeGreaterThan(0);
    t.advance(20_000);
    await t.summarize();
    expect(t.queries.length).toBe(2 * first);
  });

  it('makes no Prometheus call within a 1 h TTL, whatever the time between views', async () => {
    const t = setUp(3_600_000);
    const result = await t.summarize();
    expect(result.slo.status).toBe('ok');
    const first = t.queries.length;
    for (const step of [20_000, 60_000, 600_000]) {
      t.advance(step);
      expect(await t.summarize()).toEqual(result);
    }
    expect(t.queries.length).toBe(first);
  });
});

describe('the current SLO values of a window', () => {
  it('are one instant query per SLO and side, whether the overview or the metrics route asks first', async () => {
    const paths = (queries: string[]) =>
      queries.map(q => new URL(q).pathname.replace(/^.*\/api\/v1\//, ''));
    // two SLOs, canary and stable
    const t = setUp();
    await t.summarize();
    expect(paths(t.queries)).toEqual(Array(4).fill('query'));
    const metrics = await t.series();
    // the series add their range queries; the current values are shared
    expect(paths(t.queries).sort()).toEqual([
      ...Array(4).fill('query'),
      ...Array(4).fill('query_range'),
    ]);
    const [errorRate] = metrics.rollouts[0].slos;
    expect(errorRate.canary.current).toBe(0.0005);
    expect(errorRate.canary.series).toHaveLength(1);

    const u = setUp();
    await u.series();
    await u.summarize();
    expect(paths(u.queries).sort()).toEqual([
      ...Array(4).fill('query'),
      ...Array(4).fill('query_range'),
    ]);
  });
});

describe('one view', () => {
  it('reads its SLO windows at one instant, also when a window boundary passes during it', async () => {
    // 12:00:14.5: a 15 s window ends half a second later
    const t = setUp();
    t.advance(13_500);
    await runInReadScope(async () => {
      // the overview's early reads, then its summary and its policy's series
      await t.summarize();
      t.advance(1_000);
      await t.summarize();
      await t.series();
    });
    const ends = new Set(
      t.queries.map(
        q =>
          new URL(q).searchParams.get('time') ??
          new URL(q).searchParams.get('end'),
      ),
    );
    expect(ends).toEqual(
      new Set([String(Date.parse('2026-11-27T12:00:00Z') / 1000)]),
    );
    expect(t.queries).toHaveLength(8);

    // the next view reads the next window
    await runInReadScope(() => t.summarize());
    expect(t.queries).toHaveLength(12);
  });
});
