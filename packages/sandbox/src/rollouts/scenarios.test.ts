import { ARGO_AUTH, getJson, testSandbox } from '../testUtils';
import type { Sandbox } from '../server';
import type { Clock } from '../clock';

type TestSandbox = Sandbox & { clock: Clock };

const MINUTE = 60_000;

function client(sandbox: TestSandbox, app: string, service = 'checkout') {
  const base = `${sandbox.url}/argocd/main/api/v1/applications/${app}`;
  const rq = `namespace=${service}&resourceName=${service}&group=argoproj.io&kind=Rollout&version=v1alpha1`;
  return {
    async rollout() {
      const res = await getJson(`${base}/resource?${rq}`, {
        headers: ARGO_AUTH,
      });
      expect(res.status).toBe(200);
      return JSON.parse(res.body.manifest);
    },
    async app() {
      return (await getJson(base, { headers: ARGO_AUTH })).body;
    },
    async tree() {
      return (await getJson(`${base}/resource-tree`, { headers: ARGO_AUTH }))
        .body;
    },
    async actions(): Promise<Record<string, boolean>> {
      const res = await getJson(`${base}/resource/actions?${rq}`, {
        headers: ARGO_AUTH,
      });
      return Object.fromEntries(
        res.body.actions.map((a: any) => [a.name, !a.disabled]),
      );
    },
    async run(action: string) {
      return getJson(`${base}/resource/actions?${rq}`, {
        method: 'POST',
        headers: { ...ARGO_AUTH, 'content-type': 'application/json' },
        body: JSON.stringify(action),
      });
    },
  };
}

async function prom(sandbox: TestSandbox, query: string): Promise<number[]> {
  const res = await getJson(
    `${sandbox.url}/prometheus/api/v1/query?query=${encodeURIComponent(query)}`,
  );
  expect(res.status).toBe(200);
  return res.body.data.result.map((r: any) => Number(r.value[1]));
}

/** The default SLO queries of TEAM.md with the placeholders filled. */
const errorRate = (hash: string, service = 'checkout') =>
  `sum(rate(http_requests_total{namespace="${service}",service="${service}",rollouts_pod_template_hash="${hash}",code=~"5.."}[5m])) / sum(rate(http_requests_total{namespace="${service}",service="${service}",rollouts_pod_template_hash="${hash}"}[5m]))`;
const latencyP99 = (hash: string, service = 'checkout') =>
  `histogram_quantile(0.99, sum by (le) (rate(http_request_duration_seconds_bucket{namespace="${service}",service="${service}",rollouts_pod_template_hash="${hash}"}[5m])))`;

describe('scenario: healthy canary', () => {
  let sandbox: TestSandbox;
  beforeAll(async () => {
    sandbox = await testSandbox('healthy-canary');
  });
  afterAll(() => sandbox.close());

  it('goes from step 0 to fully promoted with resume actions only', async () => {
    const c = client(sandbox, 'checkout-production');
    const first = await c.rollout();
    // step 0 (setWeight 5) is applied at once; the 10-minute pause holds it
    expect(first.status).toMatchObject({
      currentStepIndex: 1,
      phase: 'Paused',
      message: 'CanaryPauseStep',
      canary: { weights: { canary: { weight: 5 }, stable: { weight: 95 } } },
    });
    expect(first.status.pauseConditions).toEqual([
      { reason: 'CanaryPauseStep', startTime: expect.any(String) },
    ]);
    expect(first.status.currentPodHash).not.toBe(first.status.stableRS);
    const rolloutNode = (await c.tree()).nodes.find(
      (n: any) => n.kind === 'Rollout',
    );
    expect(rolloutNode.health).toEqual({
      status: 'Suspended',
      message: 'CanaryPauseStep',
    });
    expect((await c.app()).status.health.status).toBe('Suspended');

    const used: string[] = [];
    const visited: number[] = [];
    for (let i = 0; i < 30; i++) {
      const r = await c.rollout();
      visited.push(r.status.currentStepIndex);
      if (r.status.currentPodHash === r.status.stableRS) break;
      const actions = await c.actions();
      if (actions.resume) {
        const res = await c.run('resume');
        used.push(`resume:${res.status}:${JSON.stringify(res.body)}`);
      } else {
        // the analysis step measures once a minute: let time pass
        sandbox.clock.advance(MINUTE);
      }
    }
    const done = await c.rollout();
    expect(used).toEqual(['resume:200:{}', 'resume:200:{}']);
    expect(new Set(visited)).toEqual(new Set([1, 2, 4, 6]));
    expect(done.status).toMatchObject({
      phase: 'Healthy',
      currentStepIndex: 6,
    });
    expect(done.status.currentPodHash).toBe(done.status.stableRS);
    expect(done.status.pauseConditions).toBeUndefined();
    const tree = await c.tree();
    const run = tree.nodes.find((n: any) => n.kind === 'AnalysisRun');
    expect(run.health.status).toBe('Healthy');
    expect(tree.nodes.filter((n: any) => n.kind === 'ReplicaSet')).toHaveLength(
      1,
    );
    const app = await c.app();
    expect(app.status.health.status).toBe('Healthy');
    expect(app.status.summary.images).toEqual(['ghcr.io/acme/checkout:1.5.0']);
  });

  it('continues by itself after a timed pause and keeps the actions rules', async () => {
    await getJson(`${sandbox.url}/sandbox/scenario`, {
      method: 'POST',
      body: JSON.stringify({ service: 'checkout', scenario: 'healthy-canary' }),
    });
    const c = client(sandbox, 'checkout-production');
    expect(await c.actions()).toMatchObject({
      resume: true,
      abort: true,
      retry: false,
      'promote-full': true,
    });
    sandbox.clock.advance(10 * MINUTE);
    const r = await c.rollout();
    expect(r.status.currentStepIndex).toBe(2);
    expect(r.status.phase).toBe('Progressing');
    expect(r.status.canary.currentStepAnalysisRunStatus).toMatchObject({
      status: 'Running',
    });
    expect((await c.actions()).resume).toBe(false);
    const refused = await c.run('resume');
    expect(refused.status).toBe(500);
    expect(refused.body.code).toBe(2);
    expect((await c.run('promote-full')).status).toBe(200);
    const promoted = await c.rollout();
    expect(promoted.status.currentPodHash).toBe(promoted.status.stableRS);
    expect(await c.actions()).toMatchObject({
      abort: false,
      'promote-full': false,
      retry: false,
      restart: true,
    });
  });
});

describe('scenario: SLO breach at 25%', () => {
  let sandbox: TestSandbox;
  beforeAll(async () => {
    sandbox = await testSandbox('slo-breach');
  });
  afterAll(() => sandbox.close());

  it('shows the canary error ratio above 0.001 at 25% while stable stays below it', async () => {
    const c = client(sandbox, 'checkout-production');
    const r0 = await c.rollout();
    const canary = r0.status.currentPodHash;
    const stable = r0.status.stableRS;
    const [atFive] = await prom(sandbox, errorRate(canary));
    expect(atFive).toBeLessThan(0.001);

    expect((await c.run('resume')).status).toBe(200);
    sandbox.clock.advance(3 * MINUTE); // the analysis at 5% passes
    const r = await c.rollout();
    expect(r.status).toMatchObject({ currentStepIndex: 4, phase: 'Paused' });
    expect(r.status.canary.weights.canary.weight).toBe(25);
    expect(r.status.canary.currentStepAnalysisRunStatus.status).toBe(
      'Successful',
    );

    const [canaryRatio] = await prom(sandbox, errorRate(canary));
    const [stableRatio] = await prom(sandbox, errorRate(stable));
    expect(canaryRatio).toBeGreaterThan(0.001);
    expect(stableRatio).toBeLessThan(0.001);
    const [canaryP99] = await prom(sandbox, latencyP99(canary));
    const [stableP99] = await prom(sandbox, latencyP99(stable));
    expect(canaryP99).toBeGreaterThan(0.5);
    expect(stableP99).toBeLessThan(0.5);
  });
});

describe('scenario: analysis failure aborts', () => {
  let sandbox: TestSandbox;
  beforeAll(async () => {
    sandbox = await testSandbox('analysis-failure');
  });
  afterAll(() => sandbox.close());

  it('fails the AnalysisRun on the breach, aborts, and retries from step 0', async () => {
    const c = client(sandbox, 'checkout-production');
    sandbox.clock.advance(10 * MINUTE);
    const r = await c.rollout();
    expect(r.status).toMatchObject({
      abort: true,
      phase: 'Degraded',
      abortedAt: expect.any(String),
    });
    expect(r.status.message).toMatch(
      /^RolloutAborted: Rollout aborted update to revision 3: Metric "error-rate" assessed Failed/,
    );
    expect(r.status.canary.weights.canary.weight).toBe(0);
    const tree = await c.tree();
    const run = tree.nodes.find((n: any) => n.kind === 'AnalysisRun');
    expect(run.health.status).toBe('Degraded');
    const runManifest = (
      await getJson(
        `${sandbox.url}/argocd/main/api/v1/applications/checkout-production/resource?namespace=checkout&resourceName=${run.name}&group=argoproj.io&kind=AnalysisRun&version=v1alpha1`,
        { headers: ARGO_AUTH },
      )
    ).body.manifest;
    const parsed = JSON.parse(runManifest);
    expect(parsed.status.phase).toBe('Failed');
    expect(parsed.status.metricResults[0].measurements[0]).toMatchObject({
      phase: 'Failed',
      value: expect.stringMatching(/^\[0\.0\d+\]$/),
    });
    expect(
      tree.nodes.find((n: any) => n.kind === 'Rollout').health.status,
    ).toBe('Degraded');
    expect(await c.actions()).toMatchObject({
      abort: false,
      retry: true,
      resume: false,
    });
    expect((await c.run('retry')).status).toBe(200);
    const retried = await c.rollout();
    expect(retried.status.abort).toBeUndefined();
    expect(retried.status.currentStepIndex).toBe(1);
  });
});

describe('scenario: blue-green waiting, drift, staging degraded', () => {
  let sandbox: TestSandbox;
  beforeAll(async () => {
    sandbox = await testSandbox('demo');
  });
  afterAll(() => sandbox.close());

  it('holds a blue-green release for promotion and promotes on resume', async () => {
    const c = client(sandbox, 'inventory-production', 'inventory');
    const r = await c.rollout();
    expect(r.spec.strategy.blueGreen).toMatchObject({
      autoPromotionEnabled: false,
    });
    expect(r.status).toMatchObject({
      phase: 'Paused',
      message: 'BlueGreenPause',
      pauseConditions: [{ reason: 'BlueGreenPause' }],
    });
    expect(r.status.blueGreen.previewSelector).toBe(r.status.currentPodHash);
    expect(r.status.blueGreen.activeSelector).toBe(r.status.stableRS);
    expect((await c.app()).status.health.status).toBe('Suspended');
    expect((await c.run('resume')).status).toBe(200);
    const promoted = await c.rollout();
    expect(promoted.status.phase).toBe('Healthy');
    expect(promoted.status.blueGreen.activeSelector).toBe(
      promoted.status.currentPodHash,
    );
  });

  it('reports drift as OutOfSync until a sync puts Git back', async () => {
    await getJson(`${sandbox.url}/sandbox/scenario`, {
      method: 'POST',
      body: JSON.stringify({ service: 'checkout', scenario: 'drift' }),
    });
    const c = client(sandbox, 'checkout-production');
    const app = await c.app();
    expect(app.status.sync.status).toBe('OutOfSync');
    expect(
      app.status.resources.find((x: any) => x.kind === 'Rollout').status,
    ).toBe('OutOfSync');
    const managed = await getJson(
      `${sandbox.url}/argocd/main/api/v1/applications/checkout-production/managed-resources?kind=Rollout`,
      {
        headers: ARGO_AUTH,
      },
    );
    expect(managed.body.items[0].modified).toBe(true);
    expect(JSON.parse(managed.body.items[0].liveState).spec.replicas).toBe(6);
    expect(JSON.parse(managed.body.items[0].targetState).spec.replicas).toBe(4);
    const sync = await getJson(
      `${sandbox.url}/argocd/main/api/v1/applications/checkout-production/sync`,
      {
        method: 'POST',
        headers: { ...ARGO_AUTH, 'content-type': 'application/json' },
        body: JSON.stringify({ prune: false }),
      },
    );
    expect(sync.body.status.operationState.phase).toBe('Running');
    sandbox.clock.advance(10_000);
    const after = await c.app();
    expect(after.status.sync.status).toBe('Synced');
    expect(after.status.operationState.phase).toBe('Succeeded');
    expect(after.status.history).toHaveLength(4);
  });

  it('rolls production back to the stable ReplicaSet at once, leaving the app OutOfSync', async () => {
    await getJson(`${sandbox.url}/sandbox/scenario`, {
      method: 'POST',
      body: JSON.stringify({ service: 'payments', scenario: 'critical-cve' }),
    });
    const c = client(sandbox, 'payments-production', 'payments');
    const before = await c.rollout();
    expect(before.status.currentPodHash).not.toBe(before.status.stableRS);
    const rollback = await getJson(
      `${sandbox.url}/argocd/main/api/v1/applications/payments-production/rollback`,
      {
        method: 'POST',
        headers: { ...ARGO_AUTH, 'content-type': 'application/json' },
        body: JSON.stringify({ id: 0 }),
      },
    );
    expect(rollback.status).toBe(200);
    sandbox.clock.advance(10_000);
    const after = await c.rollout();
    expect(after.status.currentPodHash).toBe(before.status.stableRS);
    expect(after.status.stableRS).toBe(before.status.stableRS);
    expect(after.status.phase).toBe('Healthy');
    const app = await c.app();
    expect(app.status.sync.status).toBe('OutOfSync');
    expect(app.status.summary.images).toEqual(['ghcr.io/acme/payments:2.0.3']);
    expect(
      app.status.history[app.status.history.length - 1].initiatedBy,
    ).toEqual({ username: 'admin' });
  });

  it('degrades staging in the staging-degraded scenario', async () => {
    await getJson(`${sandbox.url}/sandbox/scenario`, {
      method: 'POST',
      body: JSON.stringify({
        service: 'checkout',
        scenario: 'staging-degraded',
      }),
    });
    const staging = client(sandbox, 'checkout-staging');
    const app = await staging.app();
    expect(app.status.health.status).toBe('Degraded');
    const pods = (await staging.tree()).nodes.filter(
      (n: any) => n.kind === 'Pod',
    );
    expect(pods[0].info).toContainEqual({
      name: 'Status Reason',
      value: 'CrashLoopBackOff',
    });
  });
});
