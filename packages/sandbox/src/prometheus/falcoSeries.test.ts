import type { Clock } from '../clock';
import type { Sandbox } from '../server';
import { getJson, testSandbox } from '../testUtils';
import { FALCO_EVENTS_METRIC, firstPodName } from './falcoSeries';

// The runtime layer's query (delivery-backend falcoQuery): events per rule,
// priority and Pod over the window, per side by the pod template hash.
const sideQuery = (hash: string) => {
  const sel = `${FALCO_EVENTS_METRIC}{k8s_ns_name="checkout",k8s_pod_name=~"checkout-${hash}-[a-z0-9]+"}`;
  return `sum by (rule, priority, k8s_pod_name) (${sel} - (${sel} offset 600s or ${sel} * 0)) > 0`;
};

describe('Falcosidekick events in the sandbox Prometheus (runtime-critical)', () => {
  let sandbox: Sandbox & { clock: Clock };
  beforeAll(async () => {
    sandbox = await testSandbox('runtime-critical');
  });
  afterAll(() => sandbox.close());

  /** An instant query at a simulated instant (Prometheus' `time` parameter). */
  const query = async (q: string, simMs: number) =>
    (
      await getJson(
        `${sandbox.url}/prometheus/api/v1/query?${new URLSearchParams({
          query: q,
          time: String(sandbox.clock.toWire(simMs) / 1000),
        })}`,
      )
    ).body;

  it('counts the canary Pod’s detections from its first event; stable has none', async () => {
    const rollout = sandbox.world.apps.find(
      a => a.service.name === 'checkout' && a.rollout,
    )!.rollout!;
    const canaryStart = rollout.traffic.find(
      p => p.canaryHash === rollout.canaryHash,
    )!.at;
    // before the first event (45 s in): no series at all, as Falcosidekick
    // creates it at its first event
    const early = await query(
      sideQuery(rollout.canaryHash),
      canaryStart + 30_000,
    );
    expect(early.data.result).toEqual([]);
    const at = canaryStart + 120_000;
    const canary = await query(sideQuery(rollout.canaryHash), at);
    expect(canary.status).toBe('success');
    const rows = canary.data.result
      .map((s: any) => [
        s.metric.rule,
        s.metric.priority,
        s.metric.k8s_pod_name,
        s.value[1],
      ])
      .sort();
    const pod = firstPodName(rollout, rollout.canaryHash);
    expect(rows).toEqual([
      ['Drop and execute new binary in container', 'Critical', pod, '3'],
      ['Terminal shell in container', 'Notice', pod, '1'],
    ]);
    expect(pod.startsWith(`checkout-${rollout.canaryHash}-`)).toBe(true);
    const stable = await query(sideQuery(rollout.stableHash), at);
    expect(stable.data.result).toEqual([]);
    // eleven minutes on, the events are older than the window: none count
    const later = await query(
      sideQuery(rollout.canaryHash),
      canaryStart + 12 * 60_000,
    );
    expect(later.data.result).toEqual([]);
  });
});
