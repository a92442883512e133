import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { jsonFixture } from 'delivery-test-data';
import { getJson, testSandbox } from '../testUtils';
import { shapeDiff } from '../shapeDiff';
import type { Sandbox } from '../server';
import type { Clock } from '../clock';
import { bucketQuantile, evaluate } from './evaluate';
import { formatAlertValue, formatSampleValue } from './format';
import { parsePromQL } from './promql';
import { BUCKETS, cumulativeFractions } from './series';

const fixture = (name: string) => jsonFixture(`prometheus/${name}`);

describe('PromQL subset', () => {
  it('parses the default SLO queries and rejects what it does not understand', () => {
    expect(
      parsePromQL('sum(rate(x{a="b",c=~"5.."}[5m])) / sum(rate(x{a="b"}[5m]))'),
    ).toMatchObject({ type: 'binary', op: '/' });
    expect(parsePromQL('sum by (le) (rate(x[5m]))')).toMatchObject({
      type: 'aggregate',
      grouping: { mode: 'by', labels: ['le'] },
    });
    expect(parsePromQL('sum(rate(x[1m])) by (le)')).toMatchObject({
      type: 'aggregate',
      grouping: { mode: 'by', labels: ['le'] },
    });
    expect(() => parsePromQL('sum(rate(x[5m])')).toThrow(/parse error/);
    expect(() => parsePromQL('')).toThrow(
      '1:1: parse error: no expression found in input',
    );
    expect(() => parsePromQL('topk(3, x)')).toThrow(/does not support/);
    expect(parsePromQL('(sum(x) or vector(0)) / sum(y)')).toMatchObject({
      type: 'binary',
      op: '/',
      lhs: { type: 'binary', op: 'or' },
    });
    expect(parsePromQL('x{a="b"} offset 5m')).toMatchObject({
      type: 'selector',
      offsetMs: 300_000,
    });
    expect(parsePromQL('rate(x[5m] offset 1h30m)')).toMatchObject({
      args: [{ rangeMs: 300_000, offsetMs: 5_400_000 }],
    });
    expect(() => parsePromQL('sum(x) offset 5m')).toThrow(
      /parse error: unexpected identifier "offset"/,
    );
    expect(() => parsePromQL('x offset 5m offset 1m')).toThrow(
      /offset modifier must be preceded by an instant vector selector/,
    );
    expect(() => parsePromQL('x offset 5')).toThrow(
      /bad number or duration syntax/,
    );
    expect(() => parsePromQL('label_replace(x, "a", "b", "c", "d")')).toThrow(
      /unknown function/,
    );
  });

  it('evaluates arithmetic with Prometheus semantics (NaN on 0/0, precedence, vector matching)', () => {
    const v = (q: string) => evaluate(parsePromQL(q), []);
    expect(v('1 + 2 * 3')).toEqual({ kind: 'scalar', value: 7 });
    expect(v('(sum(nothing) or vector(0)) / vector(4)')).toMatchObject({
      samples: [{ labels: {}, value: 0 }],
    });
    expect(v('vector(1) and vector(2)')).toMatchObject({
      samples: [{ value: 1 }],
    });
    expect(v('vector(1) unless vector(2)')).toMatchObject({ samples: [] });
    expect(v('vector(0) / vector(0)')).toMatchObject({
      kind: 'vector',
      samples: [{ labels: {}, value: NaN }],
    });
    const series = [
      { labels: { __name__: 'm', a: '1' }, rate: 2, value: 10 },
      { labels: { __name__: 'm', a: '2' }, rate: 3, value: 20 },
    ];
    expect(evaluate(parsePromQL('m > 15'), series)).toMatchObject({
      samples: [{ value: 20 }],
    });
    expect(evaluate(parsePromQL('sum(rate(m[5m]))'), series)).toMatchObject({
      samples: [{ labels: {}, value: 5 }],
    });
    expect(evaluate(parsePromQL('m / m'), series)).toMatchObject({
      samples: [{ value: 1 }, { value: 1 }],
    });
    expect(evaluate(parsePromQL('m / sum(m)'), series)).toEqual({
      kind: 'vector',
      samples: [],
    });
  });

  it('evaluates offset against the series of the earlier time, as the Falco runtime query uses it', () => {
    const M = 'falcosecurity_falcosidekick_falco_events_total';
    const pod = (p: string, rule: string, value: number) => ({
      labels: {
        __name__: M,
        k8s_ns_name: 'checkout',
        k8s_pod_name: p,
        rule,
        priority: rule === 'shell' ? 'Notice' : 'Critical',
      },
      rate: 0,
      value,
    });
    // 10 minutes ago: one canary Pod had 2 shell events; the drop
    // series did not exist yet (Falcosidekick creates it at its first event)
    const before = [pod('checkout-7d5979db69-aaaaa', 'shell', 2)];
    const now = [
      pod('checkout-7d5979db69-aaaaa', 'shell', 5),
      pod('checkout-7d5979db69-aaaaa', 'drop', 3),
      pod('checkout-6b566f47b7-bbbbb', 'drop', 1),
    ];
    const seen: number[] = [];
    const query = `sum by (rule, priority, k8s_pod_name) (${M}{k8s_ns_name="checkout",k8s_pod_name=~"checkout-7d5979db69-[a-z0-9]+"} - (${M}{k8s_ns_name="checkout",k8s_pod_name=~"checkout-7d5979db69-[a-z0-9]+"} offset 600s or ${M}{k8s_ns_name="checkout",k8s_pod_name=~"checkout-7d5979db69-[a-z0-9]+"} * 0)) > 0`;
    const result = evaluate(parsePromQL(query), now, ms => {
      seen.push(ms);
      return before;
    });
    expect(seen).toEqual([600_000]);
    expect(result).toMatchObject({ kind: 'vector' });
    const samples = (
      result as { samples: Array<{ labels: any; value: number }> }
    ).samples;
    expect(
      samples.map(s => [s.labels.rule, s.labels.k8s_pod_name, s.value]).sort(),
    ).toEqual([
      ['drop', 'checkout-7d5979db69-aaaaa', 3],
      ['shell', 'checkout-7d5979db69-aaaaa', 3],
    ]);
    // without the earlier series an offset cannot be evaluated
    expect(() => evaluate(parsePromQL(`${M} offset 5m`), now)).toThrow(
      'offset needs the series of another time',
    );
  });

  it('shapes buckets so that histogram_quantile(0.99) returns the scenario p99 exactly', () => {
    for (const p99 of [0.018, 0.18, 0.21, 0.8, 3]) {
      const fractions = cumulativeFractions(p99);
      const buckets = [
        ...BUCKETS.map((le, i) => ({ le, count: 100 * fractions[i] })),
        { le: Infinity, count: 100 },
      ];
      expect(bucketQuantile(0.99, buckets)).toBeCloseTo(p99, 9);
      expect(fractions).toEqual([...fractions].sort((a, b) => a - b));
    }
    expect(
      bucketQuantile(0.99, [
        { le: 1, count: 0 },
        { le: Infinity, count: 0 },
      ]),
    ).toBeNaN();
  });

  it('formats sample values like Go (no exponent) and alert values in e-notation', () => {
    expect(formatSampleValue(0.07999999999999999)).toBe('0.07999999999999999');
    expect(formatSampleValue(1.2e-7)).toBe('0.00000012');
    expect(formatSampleValue(NaN)).toBe('NaN');
    expect(formatSampleValue(Infinity)).toBe('+Inf');
    expect(formatSampleValue(3e21)).toBe('3000000000000000000000');
    expect(formatAlertValue(0.08)).toBe('8e-02');
  });
});

describe('Prometheus HTTP API: responses have the recorded shapes', () => {
  let sandbox: Sandbox & { clock: Clock };
  beforeAll(async () => {
    sandbox = await testSandbox('slo-breach');
  });
  afterAll(() => sandbox.close());

  const query = (path: string, params: Record<string, string>) =>
    getJson(
      `${sandbox.url}/prometheus/api/v1/${path}?${new URLSearchParams(params)}`,
    );

  it('answers instant queries like the fixtures (vector, scalar, empty, NaN)', async () => {
    const ratio = await query('query', {
      query:
        'sum by (rollouts_pod_template_hash, service) (rate(http_requests_total{service="checkout",code=~"5.."}[5m])) / sum by (rollouts_pod_template_hash, service) (rate(http_requests_total{service="checkout"}[5m]))',
    });
    expect(ratio.status).toBe(200);
    expect(
      shapeDiff(ratio.body, fixture('query-vector-error-ratio.json')),
    ).toEqual([]);
    expect(ratio.body.data.result).toHaveLength(2);
    const p99 = await query('query', {
      query:
        'histogram_quantile(0.99, sum by (le, rollouts_pod_template_hash) (rate(http_request_duration_seconds_bucket{service="checkout"}[5m])))',
    });
    expect(
      shapeDiff(p99.body, fixture('query-vector-p99-latency.json')),
    ).toEqual([]);
    const scalar = await query('query', {
      query: 'scalar(sum(rate(http_requests_total{service="checkout"}[5m])))',
    });
    expect(shapeDiff(scalar.body, fixture('query-scalar.json'))).toEqual([]);
    const empty = await query('query', {
      query: 'http_requests_total{service="nope"}',
    });
    expect(empty.body).toEqual(fixture('query-vector-empty.json'));
    const nan = await query('query', { query: 'vector(0) / vector(0)' });
    expect(shapeDiff(nan.body, fixture('query-vector-nan.json'))).toEqual([]);
    expect(nan.body.data.result[0].value[1]).toBe('NaN');
  });

  it('answers POST form queries and range queries as matrices', async () => {
    const form = await getJson(`${sandbox.url}/prometheus/api/v1/query`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        query: 'sum(rate(http_requests_total{service="checkout"}[5m]))',
      }).toString(),
    });
    expect(form.body.data.resultType).toBe('vector');
    const end = Date.UTC(2026, 10, 27, 12, 0, 0) / 1000;
    const range = await query('query_range', {
      query:
        'sum by (rollouts_pod_template_hash) (rate(http_requests_total{service="checkout",code=~"5.."}[5m])) / sum by (rollouts_pod_template_hash) (rate(http_requests_total{service="checkout"}[5m]))',
      start: String(end - 900),
      end: String(end),
      step: '300',
    });
    expect(
      shapeDiff(range.body, fixture('query-range-matrix-error-ratio.json')),
    ).toEqual([]);
    expect(range.body.data.result[0].values).toHaveLength(4);
  });

  it('answers errors with the recorded bodies and status codes', async () => {
    const parse = await query('query', { query: 'sum(rate(x[5m])' });
    expect(parse.status).toBe(400);
    expect(
      shapeDiff(parse.body, fixture('error-400-bad-data-parse.json')),
    ).toEqual([]);
    expect(parse.body.error).toMatch(
      /^invalid parameter "query": 1:\d+: parse error: /,
    );
    const missing = await query('query', {});
    expect(missing.body).toEqual(fixture('error-400-missing-query.json'));
    const backwards = await query('query_range', {
      query: 'vector(1)',
      start: '200',
      end: '100',
      step: '15',
    });
    expect(backwards.body).toEqual(fixture('error-400-bad-data-range.json'));
    const timeout = await query('query', {
      query: 'vector(1)',
      timeout: '0.000001',
    });
    expect(timeout.status).toBe(503);
    expect(timeout.body).toEqual(fixture('error-503-timeout.json'));
    const unknown = await fetch(`${sandbox.url}/prometheus/api/v1/nope`);
    expect(unknown.status).toBe(404);
    const ready = await fetch(`${sandbox.url}/prometheus/-/ready`);
    expect(await ready.text()).toBe('Prometheus Server is Ready.\n');
  });

  it('answers a many-to-many match with the 422 execution error', async () => {
    const res = await query('query', {
      query:
        'http_request_duration_seconds_count{service="checkout"} / {__name__=~"http_request_duration_seconds_(count|sum)",service="checkout"}',
    });
    expect(res.status).toBe(422);
    expect(shapeDiff(res.body, fixture('error-422-execution.json'))).toEqual(
      [],
    );
    expect(res.body.error).toMatch(
      /^found duplicate series for the match group .* on the right hand-side of the operation: .*many-to-many matching not allowed/,
    );
  });

  it("answers the queries of the scaffolder template's AnalysisTemplate", async () => {
    const templatePath = join(
      __dirname,
      '../../../../templates/service-with-canary/skeleton/deploy/base/analysis-template.yaml',
    );
    const template = parseYaml(readFileSync(templatePath, 'utf8'));
    const state = await getJson(`${sandbox.url}/sandbox/state`);
    const args: Record<string, string> = {
      service: 'checkout',
      namespace: 'checkout',
      'canary-hash': state.body.services.checkout.rollout.currentPodHash,
    };
    const queries: string[] = template.spec.metrics.map((m: any) =>
      m.provider.prometheus.query.replace(
        /\{\{args\.([a-z-]+)\}\}/g,
        (_: string, name: string) => args[name],
      ),
    );
    expect(queries).toHaveLength(2);
    for (const q of queries) {
      const res = await query('query', { query: q });
      expect(res.status).toBe(200);
      expect(res.body.data.result).toHaveLength(1);
      expect(Number(res.body.data.result[0].value[1])).toBeLessThan(0.5);
    }
  });

  it('fires the canary alert once the canary breaches at 25%', async () => {
    const none = await query('alerts', {});
    expect(none.body).toEqual({ status: 'success', data: { alerts: [] } });
    const base = `${sandbox.url}/argocd/main/api/v1/applications/checkout-production/resource/actions?namespace=checkout&resourceName=checkout&group=argoproj.io&kind=Rollout&version=v1alpha1`;
    await fetch(base, {
      method: 'POST',
      headers: {
        authorization: 'Bearer sandbox-demo-token',
        'content-type': 'application/json',
      },
      body: '"resume"',
    });
    sandbox.clock.advance(3 * 60_000);
    const firing = await query('alerts', {});
    expect(shapeDiff(firing.body, fixture('alerts.json'))).toEqual([]);
    expect(firing.body.data.alerts[0]).toMatchObject({
      state: 'firing',
      labels: { service: 'checkout' },
    });
  });
});
