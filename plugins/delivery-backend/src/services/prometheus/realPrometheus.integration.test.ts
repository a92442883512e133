import fs from 'node:fs';
import { fixturePath } from 'delivery-test-data';
import { specViolations } from '../../__testUtils__/specViolations';
import { registerMswTestHooks } from '@backstage/backend-test-utils';
import type { MetricsResponse } from '@gitops-delivery/backstage-plugin-delivery-common';
import { http, passthrough } from 'msw';
import { setupServer } from 'msw/node';
import request from 'supertest';
import { fakeArgoCdHandlers } from '@gitops-delivery/backstage-plugin-delivery-node/testUtils';
import {
  resourceKey,
  type ArgoCdWorldInstance,
} from '../../__testUtils__/argocdFixtures';
import {
  capturedLogLines,
  startOverviewBackend,
} from '../../__testUtils__/startOverviewBackend';
import { createWorld, SECRETS } from '../../__testUtils__/world';
import type { RolloutObject } from '../overview/rolloutTypes';
import { createPrometheusClient } from './PrometheusClient';
import { fillPromqlTemplate } from './promqlTemplate';
import { DEFAULT_SLOS } from './sloDefinitions';
import {
  FIXTURE_CANARY_HASH,
  FIXTURE_STABLE_HASH,
  HEALTHY_CANARY_HASH,
  prepareBackfill,
} from './testing/backfill';
import {
  startRealPrometheus,
  type RealPrometheus,
} from './testing/realPrometheus';

/*
 * The metrics route against a real Prometheus 2.42 (Debian package
 * `prometheus`): the recorded backfill fixture, shifted to now, plus a healthy
 * canary derived from it, loaded with promtool. Argo CD is mocked by msw;
 * Prometheus calls pass through to the real server.
 */

const FIXTURE = fixturePath('prometheus/canary-backfill.openmetrics');

jest.setTimeout(60_000);

/** Violations of the route's OpenAPI response schema. */
const violations = (schema: string, body: unknown) =>
  specViolations(schema, body);

const server = setupServer(
  http.all(/^http:\/\/127\.0\.0\.1:\d+\//, () => passthrough()),
);
registerMswTestHooks(server);

let prom: RealPrometheus;
let world: Record<string, ArgoCdWorldInstance>;

beforeAll(async () => {
  // the world's checkout Rollout lives in namespace `checkout`
  const fixture = fs
    .readFileSync(FIXTURE, 'utf8')
    .replace(/namespace="shop"/g, 'namespace="checkout"');
  prom = await startRealPrometheus(prepareBackfill(fixture, Date.now() / 1000));
});

afterAll(async () => {
  await prom?.stop();
});

beforeEach(() => {
  world = createWorld();
  server.use(...fakeArgoCdHandlers(world, []));
});

function setCanary(canaryHash: string) {
  const rollout = world.main.resources![
    resourceKey('checkout-production', 'Rollout', 'checkout', 'checkout')
  ] as RolloutObject;
  rollout.status!.currentPodHash = canaryHash;
  rollout.status!.stableRS = FIXTURE_STABLE_HASH;
}

async function direct(template: string, hash: string, time: number) {
  const client = createPrometheusClient({
    name: 'direct',
    url: prom.url,
    headers: {},
    timeoutMs: 5000,
    argocdInstances: [],
  });
  const query = fillPromqlTemplate(template, {
    namespace: 'checkout',
    service: 'checkout',
    podTemplateHash: hash,
  });
  const { samples } = await client.query(query, time);
  expect(samples).toHaveLength(1);
  return samples[0].value;
}

describe('GET /entities/:ref/metrics against a real Prometheus', () => {
  it('has the backfilled series loaded', async () => {
    const res = await fetch(
      `${prom.url}/api/v1/query?query=count(http_requests_total)`,
    );
    const body = await res.json();
    // stable, breaching canary, healthy canary: each with a 200 and a 500 series
    expect(body.data.result[0].value[1]).toBe('6');
  });

  it.each([
    ['breaching', FIXTURE_CANARY_HASH, 'breach'],
    ['healthy', HEALTHY_CANARY_HASH, 'ok'],
  ])(
    'returns the %s canary and the stable error ratio and p99 exactly as Prometheus computes them',
    async (_name, canaryHash, errorRateStatus) => {
      setCanary(canaryHash);
      const app = await startOverviewBackend({
        prometheus: {
          instances: [
            {
              name: 'real',
              url: prom.url,
              headers: { Authorization: 'Bearer prometheus-secret-8d1e' },
            },
          ],
        },
      });
      const res = await request(app).get(
        '/api/delivery/v1/entities/default/component/checkout/metrics?environment=production&range=15m',
      );
      expect(res.status).toBe(200);
      const body: MetricsResponse = res.body;
      expect(violations('MetricsResponse', body)).toEqual([]);
      expect(violations('MetricsResponse', body)).toEqual([]);
      expect(body.rangeSeconds).toBe(900);
      expect(body.stepSeconds).toBe(15);
      expect(body.sources).toContainEqual({
        source: 'prometheus',
        instance: 'real',
        status: 'ok',
      });
      expect(body.rollouts).toHaveLength(1);
      const [rollout] = body.rollouts;
      expect(rollout).toMatchObject({
        instance: 'main',
        application: 'checkout-production',
        namespace: 'checkout',
        rollout: 'checkout',
      });
      expect(rollout.slos.map(s => s.name)).toEqual([
        'error-rate',
        'latency-p99',
      ]);
      for (const slo of rollout.slos) {
        const template = DEFAULT_SLOS.find(d => d.name === slo.name)!.query;
        expect(slo.canary.podTemplateHash).toBe(canaryHash);
        expect(slo.stable.podTemplateHash).toBe(FIXTURE_STABLE_HASH);
        expect(slo.canary.current).toBe(
          await direct(template, canaryHash, body.end),
        );
        expect(slo.stable.current).toBe(
          await direct(template, FIXTURE_STABLE_HASH, body.end),
        );
        // the series ends with the current value at `end`
        expect(slo.canary.series.at(-1)).toEqual({
          t: body.end,
          value: slo.canary.current,
        });
      }
      const errorRate = rollout.slos[0];
      const p99 = rollout.slos[1];
      expect(errorRate.threshold).toBe(0.001);
      expect(errorRate.status).toBe(errorRateStatus);
      // the fixture's ratios: canary 8% (breaching) or 0.087% (healthy), stable 0.5%
      expect(errorRate.canary.current).toBeCloseTo(
        canaryHash === FIXTURE_CANARY_HASH ? 0.08 : 0.00087,
        4,
      );
      expect(errorRate.stable.current).toBeCloseTo(0.005, 3);
      expect(p99.status).toBe('ok');
      expect(p99.canary.current).toBeLessThanOrEqual(0.25);
      expect(res.text).not.toContain('prometheus-secret-8d1e');
      expect(res.text).not.toContain(SECRETS.mainToken);
      expect(capturedLogLines.join('\n')).not.toContain(
        'prometheus-secret-8d1e',
      );
    },
  );

  it('puts the canary SLO summary into the overview', async () => {
    setCanary(FIXTURE_CANARY_HASH);
    const app = await startOverviewBackend({
      prometheus: { instances: [{ name: 'real', url: prom.url }] },
    });
    const res = await request(app).get(
      '/api/delivery/v1/entities/default/component/checkout/overview',
    );
    expect(res.status).toBe(200);
    const production = res.body.environments.find(
      (e: { name: string }) => e.name === 'production',
    );
    expect(production.summary.slo).toEqual({
      status: 'breach',
      worst: {
        name: 'error-rate',
        value: expect.any(Number),
        threshold: 0.001,
      },
    });
    expect(production.summary.slo.worst.value).toBeCloseTo(0.08, 4);
    expect(res.body.sources).toContainEqual({
      source: 'prometheus',
      instance: 'real',
      status: 'ok',
    });
  });
});
