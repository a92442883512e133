import fs from 'node:fs';
import path from 'node:path';
import { mockServices } from '@backstage/backend-test-utils';
import { createSignalCache } from '../../signals/SignalCache';
import { createMetricsService } from '../MetricsService';
import { createPrometheusClient } from '../PrometheusClient';
import { DEFAULT_SLOS } from '../sloDefinitions';
import { fillPromqlTemplate } from '../promqlTemplate';
import {
  FIXTURE_CANARY_HASH,
  FIXTURE_STABLE_HASH,
  HEALTHY_CANARY_HASH,
  prepareBackfill,
} from './backfill';
import { startRealPrometheus, type RealPrometheus } from './realPrometheus';

const FIXTURE = path.resolve(
  __dirname,
  '../../../../../../../shared/fixtures/prometheus/canary-backfill.openmetrics',
);

jest.setTimeout(60_000);

describe('MetricsService against a real Prometheus 2.42', () => {
  let prom: RealPrometheus;

  beforeAll(async () => {
    const fixture = fs.readFileSync(FIXTURE, 'utf8');
    prom = await startRealPrometheus(
      prepareBackfill(fixture, Date.now() / 1000),
    );
  });
  afterAll(async () => {
    await prom?.stop();
  });

  it('serves the backfilled series', async () => {
    const res = await fetch(
      `${prom.url}/api/v1/query?query=count(http_requests_total)`,
    );
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.data.result[0].value[1]).toBe('6');
  });

  async function direct(query: string, time: number): Promise<number> {
    const client = createPrometheusClient({
      name: 'direct',
      url: prom.url,
      headers: {},
      timeoutMs: 5000,
      argocdInstances: [],
    });
    const result = await client.query(query, time);
    return result.samples[0].value;
  }

  it.each([
    ['breaching', FIXTURE_CANARY_HASH, 'breach'],
    ['healthy', HEALTHY_CANARY_HASH, 'ok'],
  ])(
    'returns the %s canary and the stable values as Prometheus computes them',
    async (_label, canaryHash, status) => {
      const service = createMetricsService({
        config: {
          instances: [
            {
              name: 'real',
              url: prom.url,
              headers: {},
              timeoutMs: 5000,
              argocdInstances: [],
            },
          ],
          slos: DEFAULT_SLOS,
        },
        cache: createSignalCache(),
        logger: mockServices.logger.mock(),
      });
      const res = await service.getMetrics({
        entityRef: 'component:default/checkout',
        environment: 'production',
        serviceName: 'checkout',
        rangeSeconds: 900,
        rollouts: [
          {
            instance: 'main',
            application: 'checkout-production',
            namespace: 'shop',
            name: 'checkout',
            canaryPodHash: canaryHash,
            stablePodHash: FIXTURE_STABLE_HASH,
          },
        ],
      });
      for (const slo of res.rollouts[0].slos) {
        const def = DEFAULT_SLOS.find(d => d.name === slo.name)!;
        const values = { namespace: 'shop', service: 'checkout' };
        const canary = await direct(
          fillPromqlTemplate(def.query, {
            ...values,
            podTemplateHash: canaryHash,
          }),
          res.end,
        );
        const stable = await direct(
          fillPromqlTemplate(def.query, {
            ...values,
            podTemplateHash: FIXTURE_STABLE_HASH,
          }),
          res.end,
        );
        expect(slo.canary.current).toBe(canary);
        expect(slo.stable.current).toBe(stable);
        console.log(slo.name, canaryHash, canary, stable);
      }
      expect(
        res.rollouts[0].slos.find(s => s.name === 'error-rate')!.status,
      ).toBe(status);
    },
  );
});
