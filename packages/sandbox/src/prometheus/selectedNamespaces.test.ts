import { testSandbox } from '../testUtils';
import type { Sandbox } from '../server';
import type { Clock } from '../clock';
import { evaluate } from './evaluate';
import { parsePromQL } from './promql';
import { instantQuery, selectedNamespaces, seriesAt } from './router';

describe('the series a query is evaluated over', () => {
  it('are pinned to the namespaces every selector names', () => {
    const pinned = (q: string) => selectedNamespaces(parsePromQL(q));
    expect(
      pinned(
        'sum(rate(x{namespace="a",code=~"5.."}[1m])) / sum(rate(x{namespace="b"}[1m]))',
      ),
    ).toEqual(new Set(['a', 'b']));
    expect(pinned('sum by (rule) (falco_events{k8s_ns_name="c"})')).toEqual(
      new Set(['c']),
    );
    // one selector not pinned, or pinned by a regex: every series
    expect(pinned('sum(x{namespace="a"}) / sum(y)')).toBeUndefined();
    expect(pinned('sum(x{namespace=~"a|b"})')).toBeUndefined();
    expect(pinned('vector(1)')).toEqual(new Set());
  });

  describe('in the demo world', () => {
    let sandbox: Sandbox & { clock: Clock };
    beforeAll(async () => {
      sandbox = await testSandbox('demo');
    });
    afterAll(() => sandbox.close());

    it('give the same answers as all the series do', () => {
      const world = sandbox.world;
      const t = sandbox.clock.now();
      for (const q of [
        'sum(rate(http_requests_total{namespace="checkout",code="500"}[1m])) / sum(rate(http_requests_total{namespace="checkout"}[1m]))',
        'histogram_quantile(0.99, sum by (le) (rate(http_request_duration_seconds_bucket{namespace="checkout"}[5m])))',
        'sum by (rule) (falcosecurity_falcosidekick_falco_events_total{k8s_ns_name="payments"})',
      ]) {
        const everything = evaluate(parsePromQL(q), seriesAt(world, t), ms =>
          seriesAt(world, t - ms),
        );
        expect(instantQuery(world, q, t)).toEqual(everything);
      }
      // and the pinned set is smaller than all
      const all = seriesAt(world, t).length;
      expect(seriesAt(world, t, new Set(['checkout'])).length).toBeLessThan(
        all,
      );
      expect(seriesAt(world, t, new Set(['checkout'])).length).toBeGreaterThan(
        0,
      );
    });
  });
});
