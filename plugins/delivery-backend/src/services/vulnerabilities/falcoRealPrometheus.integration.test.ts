import fs from 'node:fs';
import { registerMswTestHooks } from '@backstage/backend-test-utils';
import type {
  SecurityLayerView,
  Severity,
  VulnerabilitiesResponse,
} from '@gitops-delivery/backstage-plugin-delivery-common';
import { fixturePath } from 'delivery-test-data';
import { http, passthrough } from 'msw';
import { setupServer } from 'msw/node';
import request from 'supertest';
import { fakeArgoCdHandlers } from '@gitops-delivery/backstage-plugin-delivery-node/testUtils';
import {
  resourceKey,
  type ArgoCdWorldInstance,
} from '../../__testUtils__/argocdFixtures';
import { specViolations } from '../../__testUtils__/specViolations';
import { startOverviewBackend } from '../../__testUtils__/startOverviewBackend';
import { createWorld } from '../../__testUtils__/world';
import type { RolloutObject } from '../overview/rolloutTypes';
import { createPrometheusClient } from '../prometheus/PrometheusClient';
import {
  FIXTURE_CANARY_HASH,
  FIXTURE_STABLE_HASH,
  prepareBackfill,
} from '../prometheus/testing/backfill';
import {
  startRealPrometheus,
  type RealPrometheus,
} from '../prometheus/testing/realPrometheus';
import { falcoSeverity } from './scanners/falcoScanner';

/*
 * The runtime layer against a real Prometheus (Debian package
 * `prometheus`): Falcosidekick's events counter for the checkout Rollout's
 * canary and stable Pods, a Pod of another workload and one of another
 * namespace, backfilled with promtool and shifted to now. Argo CD is
 * mocked by msw; Prometheus calls pass through to the real server.
 */

const FIXTURE = fixturePath('falco/falcosidekick-events-backfill.openmetrics');
const METRIC = 'falcosecurity_falcosidekick_falco_events_total';
const WINDOW_SECONDS = 600;

jest.setTimeout(60_000);

const server = setupServer(
  http.all(/^http:\/\/127\.0\.0\.1:\d+\//, () => passthrough()),
);
registerMswTestHooks(server);

let prom: RealPrometheus;
let world: Record<string, ArgoCdWorldInstance>;

beforeAll(async () => {
  prom = await startRealPrometheus(
    prepareBackfill(fs.readFileSync(FIXTURE, 'utf8'), Date.now() / 1000),
  );
});

afterAll(async () => {
  await prom?.stop();
});

beforeEach(() => {
  world = createWorld();
  server.use(...fakeArgoCdHandlers(world, []));
  const rollout = world.main.resources![
    resourceKey('checkout-production', 'Rollout', 'checkout', 'checkout')
  ] as RolloutObject;
  rollout.status!.currentPodHash = FIXTURE_CANARY_HASH;
  rollout.status!.stableRS = FIXTURE_STABLE_HASH;
});

/**
 * Severity counts of one side computed from the raw samples, not by the
 * backend's query: per series, its value now minus its value at the
 * window's start (0 when it was born inside the window), summed per rule
 * and priority; a rule counts once per severity.
 */
async function directCounts(hash: string, time: number) {
  const client = createPrometheusClient({
    name: 'direct',
    url: prom.url,
    headers: {},
    timeoutMs: 5000,
    argocdInstances: [],
  });
  const selector = `${METRIC}{k8s_ns_name="checkout",k8s_pod_name=~"checkout-${hash}-.+"}`;
  const [now, then] = await Promise.all([
    client.query(selector, time),
    client.query(selector, time - WINDOW_SECONDS),
  ]);
  const key = (m: Record<string, string>) =>
    `${m.rule}|${m.priority}|${m.k8s_pod_name}`;
  const before = new Map(then.samples.map(s => [key(s.metric), s.value]));
  const rules = new Map<string, { severity: Severity; events: number }>();
  for (const s of now.samples) {
    const events = s.value - (before.get(key(s.metric)) ?? 0);
    if (events <= 0) continue;
    const severity = falcoSeverity(s.metric.priority);
    const rule = `${s.metric.rule}|${severity}`;
    const entry = rules.get(rule) ?? { severity, events: 0 };
    entry.events += events;
    rules.set(rule, entry);
  }
  const counts: Record<Severity, number> = {
    CRITICAL: 0,
    HIGH: 0,
    MEDIUM: 0,
    LOW: 0,
    UNKNOWN: 0,
  };
  let events = 0;
  for (const r of rules.values()) {
    counts[r.severity]++;
    events += r.events;
  }
  return { counts, events };
}

const occurrences = (view: { findings: SecurityLayerView['findings'] }) =>
  view.findings.reduce((sum, f) => sum + (f.occurrences ?? 0), 0);

describe('the runtime layer (Falco through a real Prometheus)', () => {
  it('has the backfilled Falcosidekick series loaded', async () => {
    const res = await fetch(`${prom.url}/api/v1/query?query=count(${METRIC})`);
    const body = await res.json();
    expect(body.data.result[0].value[1]).toBe('8');
  });

  it('counts the detections of each side exactly as a direct query of Prometheus does', async () => {
    const app = await startOverviewBackend({
      prometheus: {
        instances: [
          {
            name: 'real',
            url: prom.url,
            headers: { Authorization: 'Bearer prometheus-secret-5f2a' },
          },
        ],
      },
      falco: { windowMinutes: 10, url: 'https://falco.example/events' },
    });
    const res = await request(app).get(
      '/api/delivery/v1/entities/default/component/checkout/vulnerabilities?environment=production',
    );
    const time = Date.now() / 1000;
    expect(res.status).toBe(200);
    const body: VulnerabilitiesResponse = res.body;
    expect(specViolations('VulnerabilitiesResponse', body)).toEqual([]);
    const rollout = body.rollouts.find(r => r.rollout === 'checkout')!;
    const runtime = rollout.layers!.find(l => l.layer === 'runtime')!;
    expect(runtime.state).toBe('findings');
    expect(runtime.sources).toEqual([{ source: 'falco', status: 'ok' }]);

    const canary = await directCounts(FIXTURE_CANARY_HASH, time);
    const stable = await directCounts(FIXTURE_STABLE_HASH, time);
    expect(runtime.counts).toEqual(canary.counts);
    expect(runtime.stableCounts).toEqual(stable.counts);
    expect(occurrences(runtime)).toBe(canary.events);

    // what the fixture holds: in the canary two Pods dropped and ran a new
    // binary (3 events, Critical), one wrote below a binary dir (Error) and
    // one opened a shell 4 times (Notice); in stable one sensitive file read
    // (Warning) inside the window; the db Pod and payments are not the Rollout's
    expect(runtime.counts).toEqual({
      CRITICAL: 1,
      HIGH: 1,
      MEDIUM: 0,
      LOW: 1,
      UNKNOWN: 0,
    });
    expect(runtime.findings[0]).toMatchObject({
      id: 'Drop and execute new binary in container',
      severity: 'CRITICAL',
      layer: 'runtime',
      source: 'falco',
      occurrences: 3,
      location: 'checkout-7d5979db69-m5j7w, checkout-7d5979db69-q8d4z',
      url: 'https://falco.example/events',
    });
    expect(runtime.stableCounts).toMatchObject({ MEDIUM: 1, HIGH: 0 });
    expect(runtime.newInCanaryCounts).toEqual(runtime.counts);
    expect(runtime.links).toEqual([
      { title: 'Falco events', url: 'https://falco.example/events' },
    ]);
    expect(body.layers!.find(l => l.layer === 'runtime')).toEqual(runtime);
    expect(res.text).not.toContain('prometheus-secret-5f2a');
  });

  it('fails the default policy naming the canary detection', async () => {
    const app = await startOverviewBackend({
      prometheus: { instances: [{ name: 'real', url: prom.url }] },
      falco: {},
    });
    const res = await request(app).get(
      '/api/delivery/v1/entities/default/component/checkout/policy?environment=production',
    );
    expect(res.status).toBe(200);
    const gates = res.body.evaluations[0].gates as Array<{
      name: string;
      outcome: string;
      reason: string;
    }>;
    const runtime = gates.find(
      g => g.name === 'no-high-or-critical-runtime-detections',
    )!;
    expect(runtime.outcome).toBe('fail');
    expect(runtime.reason).toContain('runtime has 1 CRITICAL (allowed 0)');
    expect(runtime.reason).toContain(
      'Drop and execute new binary in container',
    );
  });
});
