import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import type { JsonObject } from '@backstage/types';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import type {
  DeliveryOverview,
  FleetResponse,
} from '@gitops-delivery/backstage-plugin-delivery-common';
import fs from 'fs';
import path from 'path';
import request from 'supertest';
import { parseDocument } from 'yaml';
import {
  demoComponents,
  REPO,
  sandboxArgoCdInstances,
  startSandboxProcess,
  type SandboxProcess,
} from './__testUtils__/sandboxProcess';
import { deliveryPlugin } from './plugin';

// The demo end to end: the real sandbox (packages/sandbox, as `npm start`
// runs it, on a random port and 60x faster) behind the real plugin, with
// the demo catalog (examples/entities.yaml).
jest.setTimeout(90_000);

let sandbox: SandboxProcess | undefined;
let sandboxUrl: string;

beforeAll(async () => {
  sandbox = await startSandboxProcess({ SANDBOX_TIME_SCALE: '60' });
  sandboxUrl = sandbox.url;
});

afterAll(() => {
  sandbox?.stop();
});

/** The demo's promotion policies, as app-config.yaml configures them. */
function demoPolicies(): JsonObject {
  const config = parseDocument(
    fs.readFileSync(path.join(REPO, 'app-config.yaml'), 'utf8'),
  ).toJS();
  return config.delivery.policies;
}

let policyOf: (name: string, environment: string) => Promise<any>;
let fleetPage: () => Promise<FleetResponse>;

async function startBackend() {
  const { server } = await startTestBackend({
    features: [
      deliveryPlugin,
      catalogServiceMock.factory({ entities: demoComponents() }),
      mockServices.rootConfig.factory({
        data: {
          // as app-config.yaml: GitHub Actions and GitLab CI from the sandbox
          integrations: {
            github: [
              { host: 'github.com', apiBaseUrl: `${sandboxUrl}/github` },
            ],
            gitlab: [
              { host: 'gitlab.com', apiBaseUrl: `${sandboxUrl}/gitlab/api/v4` },
            ],
          },
          delivery: {
            argocd: {
              instances: sandboxArgoCdInstances(sandboxUrl),
            },
            cache: { ttlSeconds: 0 },
            githubSecurity: {},
            falco: { windowMinutes: 10 },
            policies: demoPolicies(),
            // TTL 0 keeps no signals: the page waits until they are computed
            fleet: { signalsWaitMs: 60_000 },
          },
        },
      }),
    ],
  });
  policyOf = async (name: string, environment: string) => {
    const res = await request(server).get(
      `/api/delivery/v1/entities/default/component/${name}/policy?environment=${environment}`,
    );
    expect(res.status).toBe(200);
    return res.body;
  };
  fleetPage = async () => {
    const res = await request(server).get('/api/delivery/v1/fleet');
    expect(res.status).toBe(200);
    return res.body;
  };
  return async (name: string): Promise<DeliveryOverview> => {
    const res = await request(server).get(
      `/api/delivery/v1/entities/default/component/${name}/overview`,
    );
    expect(res.status).toBe(200);
    return res.body;
  };
}

const argocd = (o: DeliveryOverview) =>
  o.sources.filter(s => s.source === 'argocd');

describe('the demo against the sandbox', () => {
  it("judges checkout by the demo's secure policy (app-config.yaml), whose SAST and IaC budgets the demo's steady state passes", async () => {
    await startBackend();
    const policy = await policyOf('checkout', 'production');
    const gates: Array<{ name: string; outcome: string }> =
      policy.evaluations[0].gates;
    expect(gates.map(g => g.name)).toEqual([
      'no-high-or-critical-cves',
      'no-high-or-critical-runtime-detections',
      'no-new-high-sast-or-iac-findings',
      'canary-error-rate',
      'soak',
      'analysis',
      'upstream-environment',
      'in-sync',
    ]);
    expect(gates[2]).toMatchObject({
      name: 'no-new-high-sast-or-iac-findings',
      outcome: 'pass',
    });
  });

  it("shows payments' CVE block on the fleet page: its canary's AnalysisRuns are read, so the policy judges the cell as on the tab", async () => {
    const overview = await startBackend();
    const page = await fleetPage();
    const cell = page.rows
      .find(r => r.name === 'payments')!
      .cells.find(c => c.environment === 'production')!;
    expect(cell.canary).toBeDefined();
    expect(cell).toMatchObject({
      signalsStatus: 'ready',
      security: { worst: 'CRITICAL' },
      policy: {
        allowed: false,
        failing: expect.arrayContaining(['no-high-or-critical-cves']),
      },
    });
    // the analysis gate had the canary's runs: not "data incomplete"
    expect(cell.signalsMessage ?? '').not.toMatch(/incomplete/);
    const tab = (await overview('payments')).environments.find(
      e => e.name === 'production',
    )!;
    expect(tab.summary?.policy?.failing).toEqual(
      expect.arrayContaining(['no-high-or-critical-cves']),
    );
  });

  it('shows every demo entity and the healthy canary moving step by step', async () => {
    const overview = await startBackend();

    const checkout = await overview('checkout');
    expect(argocd(checkout)).toEqual([
      { source: 'argocd', instance: 'main', status: 'ok' },
    ]);
    expect(checkout.environments.map(e => e.name)).toEqual([
      'dev',
      'staging',
      'production',
    ]);
    for (const env of checkout.environments) {
      expect(env.stages).toHaveLength(7);
      expect(env.applications[0].history[0]?.metadata?.author).toBeTruthy();
      // the sandbox's Applications name their entity back: actions work
      expect(env.applications[0].binding).toEqual({
        bound: true,
        by: 'annotation',
        enforced: true,
      });
    }
    const production = checkout.environments[2];
    const first = production.rollouts[0];
    expect(first).toMatchObject({
      name: 'checkout',
      namespace: 'checkout',
      strategy: 'canary',
      aborted: false,
    });
    expect(first.steps.length).toBeGreaterThan(3);
    expect(first.canaryImages.length).toBeGreaterThan(0);
    expect(first.stableImages.length).toBeGreaterThan(0);
    expect(first.canaryImages).not.toEqual(first.stableImages);
    expect(first.actions.map(a => a.name)).toEqual(
      expect.arrayContaining(['abort', 'promote-full']),
    );

    // 60x faster: the 10-minute pause lasts 10 s; the canary must move on.
    const startIndex = first.currentStepIndex!;
    let moved: DeliveryOverview | undefined;
    for (let i = 0; i < 30 && !moved; i++) {
      await new Promise(r => setTimeout(r, 1000));
      const next = await overview('checkout');
      const rollout = next.environments[2].rollouts[0];
      if (rollout.currentStepIndex! > startIndex) moved = next;
    }
    expect(moved).toBeDefined();
    const movedRollout = moved!.environments[2].rollouts[0];
    expect(movedRollout.canaryWeight).toBeGreaterThanOrEqual(
      first.canaryWeight,
    );

    const inventory = await overview('inventory');
    expect(argocd(inventory).map(s => s.status)).toEqual(['ok', 'ok']);
    expect(
      inventory.environments.map(e => [e.name, e.applications[0].instance]),
    ).toEqual([
      ['dev', 'nonprod'],
      ['staging', 'nonprod'],
      ['production', 'main'],
    ]);
    expect(inventory.environments[2].rollouts[0]).toMatchObject({
      strategy: 'blueGreen',
      pause: { reason: 'BlueGreenPause' },
    });
    // inventory is built by GitLab CI (gitlab.com/project-slug), checkout by
    // GitHub Actions: each CI stage comes from its own system
    expect(inventory.sources).toContainEqual({
      source: 'gitlab',
      status: 'ok',
    });
    expect(inventory.environments[2].summary?.ci?.runs?.[0]).toMatchObject({
      url: expect.stringMatching(
        /^https:\/\/gitlab\.com\/acme\/inventory\/-\/pipelines\/\d+$/,
      ),
      jobs: expect.arrayContaining([
        expect.objectContaining({
          name: 'container_scanning',
          kind: 'image-scan',
        }),
        expect.objectContaining({
          name: 'docker-build',
          kind: 'container-build',
        }),
        expect.objectContaining({ name: 'semgrep-sast', kind: 'sast' }),
      ]),
    });
    expect(
      inventory.environments[2].stages.find(st => st.name === 'ci')?.status,
    ).toMatch(/^(succeeded|failed)$/);
    expect(checkout.sources).toContainEqual({ source: 'github', status: 'ok' });

    const search = await overview('search');
    expect(search.environments.map(e => e.name)).toEqual(['production']);

    const payments = await overview('payments');
    expect(payments.environments[2].rollouts[0].strategy).toBe('canary');

    const docs = await overview('storefront-docs');
    expect(argocd(docs)).toEqual([
      expect.objectContaining({ status: 'not-configured' }),
    ]);
  });

  it('shows an Istio canary with its VirtualService and the weight it routes, canary scale and the mirror it ran', async () => {
    const overview = await startBackend();
    const res = await fetch(`${sandboxUrl}/sandbox/scenario`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        service: 'search',
        scenario: 'istio-mirror-experiment',
      }),
    });
    expect(res.status).toBe(200);
    // 60x faster, the pause and the Experiment (5 min each) take 5 s each:
    // wait for the indefinite pause at step 8, which holds
    let rollout: DeliveryOverview['environments'][number]['rollouts'][number];
    for (let i = 0; ; i++) {
      rollout = (await overview('search')).environments[0].rollouts[0];
      if (rollout.currentStepIndex === 7 || i === 60) break;
      await new Promise(r => setTimeout(r, 1000));
    }
    expect(rollout.currentStepIndex).toBe(7);
    expect(rollout.steps.map(s => s.kind)).toEqual([
      'setWeight',
      'setMirrorRoute',
      'pause',
      'experiment',
      'setMirrorRoute',
      'setCanaryScale',
      'setWeight',
      'pause',
      'setWeight',
    ]);
    expect(rollout.canary).toMatchObject({
      setWeight: 25,
      routedWeight: 25,
      canaryScale: { replicas: 2 },
      trafficRouting: {
        routers: [
          {
            provider: 'istio',
            resources: [
              {
                kind: 'VirtualService',
                name: 'search-vsvc',
                found: true,
                // read live: the primary route's canary destination
                canaryWeight: 25,
              },
            ],
          },
        ],
        managedRoutes: ['mirror-route'],
      },
      mirrors: [
        {
          name: 'mirror-route',
          percentage: 50,
          stepIndex: 1,
          untilStepIndex: 4,
          active: false,
        },
      ],
    });
    expect(rollout.canary?.experiment).toBeUndefined();
  });
});
