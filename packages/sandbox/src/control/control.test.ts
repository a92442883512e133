import { getJson, testSandbox } from '../testUtils';
import { startSandbox, type Sandbox } from '../server';
import { createClock } from '../clock';

describe('control endpoint, stats and latency', () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = await testSandbox('demo');
  });
  afterAll(() => sandbox.close());

  const post = (path: string, body: unknown) =>
    getJson(`${sandbox.url}/sandbox${path}`, {
      method: 'POST',
      body: JSON.stringify(body),
    });

  it('reports the state and switches scenarios per service and for the whole world', async () => {
    const state = await getJson(`${sandbox.url}/sandbox/state`);
    expect(state.body.scenario).toBe('demo');
    expect(state.body.services.checkout.scenario).toBe('healthy-canary');
    expect(
      state.body.services.inventory.applications.map((a: any) => a.instance),
    ).toEqual(['nonprod', 'nonprod', 'main']);
    const one = await post('/scenario', {
      service: 'checkout',
      scenario: 'slo-breach',
    });
    expect(one.status).toBe(200);
    expect(one.body.services.checkout.scenario).toBe('slo-breach');
    expect(one.body.services.payments.scenario).toBe('critical-cve');
    const world = await post('/scenario', { scenario: 'two-instances' });
    expect(world.body.scenario).toBe('two-instances');
    expect(world.body.services.checkout.rollout.fullyPromoted).toBe(true);
    const named = await post('/scenario', { scenario: 'drift' });
    expect(named.body.services.checkout.scenario).toBe('drift');
    const list = await getJson(`${sandbox.url}/sandbox/scenarios`);
    expect(list.body.service).toEqual(
      expect.arrayContaining([
        'healthy-canary',
        'slo-breach',
        'critical-cve',
        'staging-degraded',
        'drift',
        'blue-green-waiting',
      ]),
    );
  });

  it('rejects unknown scenarios and services with 400', async () => {
    expect((await post('/scenario', { scenario: 'nope' })).status).toBe(400);
    expect(
      (await post('/scenario', { service: 'nope', scenario: 'drift' })).status,
    ).toBe(400);
    expect((await post('/scenario', { scenario: '../world' })).status).toBe(
      400,
    );
    expect((await post('/scenario', {})).status).toBe(400);
    const notJson = await getJson(`${sandbox.url}/sandbox/scenario`, {
      method: 'POST',
      body: '{',
    });
    expect(notJson.status).toBe(400);
  });

  it('counts upstream calls per upstream and route, and resets', async () => {
    await post('/stats/reset', {});
    const auth = { authorization: 'Bearer sandbox-demo-token' };
    await fetch(`${sandbox.url}/argocd/main/api/v1/applications/checkout-dev`, {
      headers: auth,
    });
    await fetch(
      `${sandbox.url}/argocd/main/api/v1/applications/checkout-staging`,
      { headers: auth },
    );
    await fetch(`${sandbox.url}/prometheus/api/v1/query?query=vector(1)`);
    const stats = await getJson(`${sandbox.url}/sandbox/stats`);
    expect(stats.body.total).toBe(3);
    expect(stats.body.upstreams.argocd.routes).toEqual({
      'GET /argocd/main/api/v1/applications/{name}': 2,
    });
    expect(stats.body.upstreams.prometheus.total).toBe(1);
    const reset = await post('/stats/reset', {});
    expect(reset.body.total).toBe(0);
  });

  it('advances simulated time through the control endpoint', async () => {
    await post('/scenario', { scenario: 'demo' });
    const after = await post('/clock/advance', { seconds: 600 });
    expect(
      after.body.services.checkout.rollout.currentStepIndex,
    ).toBeGreaterThanOrEqual(2);
    expect((await post('/clock/advance', { seconds: -1 })).status).toBe(400);
  });

  it('injects latency into Argo CD calls', async () => {
    const slow = await startSandbox({
      port: 0,
      clock: createClock(1),
      latency: { argocdMs: 150, jitter: 0.1 },
    });
    try {
      const started = Date.now();
      await fetch(`${slow.url}/argocd/main/api/v1/applications`, {
        headers: { authorization: 'Bearer sandbox-demo-token' },
      });
      expect(Date.now() - started).toBeGreaterThanOrEqual(130);
      const quick = Date.now();
      await fetch(`${slow.url}/prometheus/-/ready`);
      expect(Date.now() - quick).toBeLessThan(130);
    } finally {
      await slow.close();
    }
  });
});
