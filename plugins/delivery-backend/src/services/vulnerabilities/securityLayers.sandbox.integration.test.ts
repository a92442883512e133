import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import type {
  SecurityLayerView,
  VulnerabilitiesResponse,
} from '@gitops-delivery/backstage-plugin-delivery-common';
import request from 'supertest';
import {
  demoComponents,
  sandboxArgoCdInstances,
  startSandboxProcess,
  type SandboxProcess,
} from '../../__testUtils__/sandboxProcess';
import { deliveryPlugin } from '../../plugin';

// The security layers' three demo scenarios end to end: the real sandbox
// (its GitHub code scanning double and its Prometheus with Falcosidekick's
// counter) behind the real plugin, configured as the demo (plus a policy
// that budgets the SAST and IaC layers).
jest.setTimeout(120_000);

let sandbox: SandboxProcess | undefined;
let sandboxUrl: string;

beforeAll(async () => {
  // simulated time only moves when the test advances it
  sandbox = await startSandboxProcess({ SANDBOX_TIME_SCALE: '1' });
  sandboxUrl = sandbox.url;
});

afterAll(() => {
  sandbox?.stop();
});

async function control(route: string, body: unknown) {
  const res = await fetch(`${sandboxUrl}${route}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(res.ok).toBe(true);
}

async function startBackend() {
  const { server } = await startTestBackend({
    features: [
      deliveryPlugin,
      catalogServiceMock.factory({ entities: demoComponents() }),
      mockServices.rootConfig.factory({
        data: {
          integrations: {
            github: [
              { host: 'github.com', apiBaseUrl: `${sandboxUrl}/github` },
            ],
          },
          delivery: {
            argocd: {
              instances: sandboxArgoCdInstances(sandboxUrl),
            },
            cache: { ttlSeconds: 0 },
            prometheus: {
              instances: [{ name: 'main', url: `${sandboxUrl}/prometheus` }],
            },
            githubSecurity: {},
            falco: { windowMinutes: 10 },
            trivyOperator: { enabled: false },
            defaultPolicy: 'secure',
            policies: {
              secure: {
                gates: [
                  {
                    kind: 'security',
                    name: 'security-layers',
                    layers: {
                      runtime: { max: { CRITICAL: 0, HIGH: 0 } },
                      iac: { max: { CRITICAL: 0, HIGH: 0 } },
                      sast: { newOnly: true, max: { CRITICAL: 0, HIGH: 0 } },
                    },
                  },
                ],
              },
            },
          },
        },
      }),
    ],
  });
  const get = async (route: string) => {
    const res = await request(server).get(
      `/api/delivery/v1/entities/default/component/checkout/${route}?environment=production`,
    );
    expect(res.status).toBe(200);
    return res.body;
  };
  return {
    layers: async (): Promise<Record<string, SecurityLayerView>> => {
      const body = (await get('vulnerabilities')) as VulnerabilitiesResponse;
      return Object.fromEntries(body.layers!.map(l => [l.layer, l]));
    },
    securityGate: async () => {
      const body = await get('policy');
      return (
        body.evaluations[0].gates as Array<{
          name: string;
          outcome: string;
          reason: string;
        }>
      ).find(g => g.name === 'security-layers')!;
    },
  };
}

describe('the security layers against the sandbox', () => {
  it('healthy-canary: the SAST and IaC budgets pass, so the demo policy that budgets them still lets a healthy canary through', async () => {
    await control('/sandbox/scenario', {
      service: 'checkout',
      scenario: 'healthy-canary',
    });
    const backend = await startBackend();
    const { sast, iac, runtime } = await backend.layers();
    expect(sast.newInCanary ?? []).toEqual([]);
    expect(iac.counts).toMatchObject({ CRITICAL: 0, HIGH: 0 });
    expect(runtime.counts).toMatchObject({ CRITICAL: 0, HIGH: 0 });
    const gate = await backend.securityGate();
    expect(iac.state).toBe('clean');
    expect(gate).toMatchObject({ outcome: 'pass' });
  });

  it('sast-new-high: a new HIGH code scanning alert in the canary’s commit blocks promotion', async () => {
    await control('/sandbox/scenario', {
      service: 'checkout',
      scenario: 'sast-new-high',
    });
    const backend = await startBackend();
    const { sast, sca } = await backend.layers();
    expect(sast.state).toBe('findings');
    expect(sast.sources).toEqual([
      expect.objectContaining({ source: 'github-code-scanning', status: 'ok' }),
    ]);
    // stable's commit has the older MEDIUM only; the HIGH is the canary's
    expect(sast.stableCounts).toMatchObject({ HIGH: 0, MEDIUM: 1 });
    expect(sast.counts).toMatchObject({ HIGH: 1, MEDIUM: 1 });
    expect(sast.newInCanary).toEqual([
      expect.objectContaining({
        id: 'js/sql-injection',
        severity: 'HIGH',
        location: 'src/orders/orderRepository.ts:88',
        layer: 'sast',
      }),
    ]);
    expect(sca.state).toBe('clean');
    const gate = await backend.securityGate();
    expect(gate.outcome).toBe('fail');
    expect(gate.reason).toBe(
      'sast has 1 new HIGH (allowed 0): HIGH js/sql-injection Database query built from user-controlled sources (src/orders/orderRepository.ts:88)',
    );
  });

  it('iac-high: a HIGH Checkov finding of the canary’s manifests blocks promotion naming the check', async () => {
    await control('/sandbox/scenario', {
      service: 'checkout',
      scenario: 'iac-high',
    });
    const backend = await startBackend();
    const { iac } = await backend.layers();
    expect(iac.state).toBe('findings');
    expect(iac.findings).toEqual([
      expect.objectContaining({
        id: 'CKV_K8S_20',
        severity: 'HIGH',
        location: 'deploy/production/rollout.yaml:31',
        source: 'github-code-scanning-iac',
      }),
    ]);
    const gate = await backend.securityGate();
    expect(gate.outcome).toBe('fail');
    expect(gate.reason).toBe(
      'iac has 1 HIGH (allowed 0): HIGH CKV_K8S_20 Containers should not run with allowPrivilegeEscalation (deploy/production/rollout.yaml:31)',
    );
  });

  it('runtime-critical: the canary’s Critical Falco detection fails the runtime budget', async () => {
    await control('/sandbox/scenario', {
      service: 'checkout',
      scenario: 'runtime-critical',
    });
    // the detections fire 45-90 simulated seconds into the canary
    await control('/sandbox/clock/advance', { seconds: 120 });
    const backend = await startBackend();
    const { runtime } = await backend.layers();
    expect(runtime.state).toBe('findings');
    expect(runtime.counts).toMatchObject({ CRITICAL: 1, LOW: 1 });
    expect(runtime.stableCounts).toMatchObject({ CRITICAL: 0 });
    expect(runtime.newInCanary).toContainEqual(
      expect.objectContaining({
        id: 'Drop and execute new binary in container',
        severity: 'CRITICAL',
        occurrences: 3,
      }),
    );
    const gate = await backend.securityGate();
    expect(gate.outcome).toBe('fail');
    expect(gate.reason).toContain('Drop and execute new binary in container');
  });
});
