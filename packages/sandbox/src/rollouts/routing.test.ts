import { ARGO_AUTH, getJson, testSandbox } from '../testUtils';
import type { Sandbox } from '../server';
import type { Clock } from '../clock';

const MINUTE = 60_000;
const APP = 'search-production';
const base = (sandbox: Sandbox) =>
  `${sandbox.url}/argocd/main/api/v1/applications/${APP}`;

async function resource(
  sandbox: Sandbox,
  kind: string,
  name: string,
  group: string,
  version: string,
) {
  const q = new URLSearchParams({
    namespace: 'search',
    resourceName: name,
    kind,
    group,
    version,
  });
  const res = await getJson(`${base(sandbox)}/resource?${q}`, {
    headers: ARGO_AUTH,
  });
  expect(res.status).toBe(200);
  return JSON.parse(res.body.manifest);
}

const rollout = (s: Sandbox) =>
  resource(s, 'Rollout', 'search', 'argoproj.io', 'v1alpha1');
const virtualService = (s: Sandbox) =>
  resource(
    s,
    'VirtualService',
    'search-vsvc',
    'networking.istio.io',
    'v1beta1',
  );
async function tree(sandbox: Sandbox) {
  return (
    await getJson(`${base(sandbox)}/resource-tree`, { headers: ARGO_AUTH })
  ).body.nodes as any[];
}

describe('scenario: Istio canary with a mirror step and an Experiment', () => {
  let sandbox: Sandbox & { clock: Clock };
  beforeAll(async () => {
    sandbox = await testSandbox('istio-mirror-experiment');
  });
  afterAll(() => sandbox.close());

  it('mirrors, runs the Experiment, scales the canary and routes through the VirtualService', async () => {
    // steps 0 (10%) and 1 (mirror 50% of GET /api) are applied; the pause holds
    const first = await rollout(sandbox);
    expect(first.spec.strategy.canary.trafficRouting).toEqual({
      managedRoutes: [{ name: 'mirror-route' }],
      istio: { virtualService: { name: 'search-vsvc', routes: ['primary'] } },
    });
    expect(first.status).toMatchObject({
      currentStepIndex: 2,
      phase: 'Paused',
      canary: { weights: { canary: { weight: 10 }, stable: { weight: 90 } } },
    });
    const mirrored = await virtualService(sandbox);
    expect(mirrored.spec.http).toEqual([
      {
        name: 'mirror-route',
        match: [{ method: { exact: 'GET' }, path: { prefix: '/api' } }],
        route: [{ destination: { host: 'search-stable' }, weight: 100 }],
        mirror: { host: 'search-canary' },
        mirrorPercentage: { value: 50 },
      },
      {
        name: 'primary',
        route: [
          { destination: { host: 'search-stable' }, weight: 90 },
          { destination: { host: 'search-canary' }, weight: 10 },
        ],
      },
    ]);
    expect(
      (await tree(sandbox)).some(
        n => n.kind === 'VirtualService' && n.name === 'search-vsvc',
      ),
    ).toBe(true);

    // the 5-minute pause ends; the Experiment runs
    sandbox.clock.advance(5 * MINUTE);
    const during = await rollout(sandbox);
    expect(during.status.currentStepIndex).toBe(3);
    const name = during.status.canary.currentExperiment;
    expect(name).toBe(`search-${during.status.currentPodHash}-2-3`);
    const node = (await tree(sandbox)).find(n => n.kind === 'Experiment');
    expect(node).toMatchObject({
      name,
      health: { status: 'Progressing' },
      parentRefs: [
        expect.objectContaining({ kind: 'Rollout', name: 'search' }),
      ],
    });
    const experiment = await resource(
      sandbox,
      'Experiment',
      name,
      'argoproj.io',
      'v1alpha1',
    );
    expect(experiment.spec.duration).toBe('300s');
    expect(
      experiment.spec.templates.map((t: any) => [
        t.name,
        t.replicas,
        t.template.spec.containers[0].image,
      ]),
    ).toEqual([
      ['baseline', 1, 'ghcr.io/acme/search:0.9.0'],
      ['canary', 1, 'ghcr.io/acme/search:0.9.1'],
    ]);
    expect(experiment.status).toMatchObject({
      phase: 'Running',
      templateStatuses: [
        { name: 'baseline', replicas: 1, status: 'Running' },
        { name: 'canary', replicas: 1, status: 'Running' },
      ],
    });

    // the Experiment ends; the mirror is removed, the canary scaled to 2
    // replicas at 25%, and the indefinite pause holds
    sandbox.clock.advance(5 * MINUTE);
    const after = await rollout(sandbox);
    expect(after.status).toMatchObject({
      currentStepIndex: 7,
      phase: 'Paused',
      canary: { weights: { canary: { weight: 25 } } },
    });
    expect(after.status.canary.currentExperiment).toBeUndefined();
    expect((await virtualService(sandbox)).spec.http).toEqual([
      {
        name: 'primary',
        route: [
          { destination: { host: 'search-stable' }, weight: 75 },
          { destination: { host: 'search-canary' }, weight: 25 },
        ],
      },
    ]);
    const nodes = await tree(sandbox);
    expect(nodes.find(n => n.kind === 'Experiment')?.health).toEqual({
      status: 'Healthy',
    });
    const canaryRs = await resource(
      sandbox,
      'ReplicaSet',
      `search-${after.status.currentPodHash}`,
      'apps',
      'v1',
    );
    expect(canaryRs.spec.replicas).toBe(2);
  });

  it('gives the NGINX-routed canaries their canary Ingress in the tree', async () => {
    const nodes = (
      await getJson(
        `${sandbox.url}/argocd/main/api/v1/applications/checkout-production/resource-tree`,
        { headers: ARGO_AUTH },
      )
    ).body.nodes as any[];
    expect(
      nodes.find(
        n => n.kind === 'Ingress' && n.name === 'checkout-checkout-canary',
      ),
    ).toMatchObject({
      parentRefs: [expect.objectContaining({ kind: 'Rollout' })],
    });
  });
});
