import type { GateDefinition } from '@gitops-delivery/backstage-plugin-delivery-common';
import { yamlFixture } from '../../__testUtils__/fixtures';
import { toDeploymentView } from '../../services/overview/deploymentView';
import { evaluateGate } from '../evaluatePolicy';
import { environments, input } from '../__testUtils__/policyInputs';

// An environment whose workload is a plain Deployment (issue 24 item 4):
// the gates that need a canary say why they do not apply, and never block.
const deployment = (strategy?: 'Recreate') => {
  const d = yamlFixture('kubernetes/deployment-progressing.yaml');
  if (strategy) d.spec.strategy = { type: strategy };
  return toDeploymentView({
    instance: 'main',
    application: 'checkout-dev',
    deployment: d,
    treeNodes: [],
    now: new Date('2018-07-18T06:20:00Z'),
  });
};

const withDeployments = (...deployments: ReturnType<typeof deployment>[]) =>
  input({
    environment: 'dev',
    rollout: undefined,
    environments: environments().map(e =>
      e.name === 'dev' ? { ...e, deployments } : e,
    ),
  });

const base = { onUnknown: 'fail' as const };
const gates: Array<[GateDefinition, string]> = [
  [
    { ...base, kind: 'soak', name: 'soak', minutes: 10 } as GateDefinition,
    'to soak',
  ],
  [
    { ...base, kind: 'analysis', name: 'analysis' } as GateDefinition,
    'to analyse',
  ],
  [
    {
      ...base,
      kind: 'slo',
      name: 'err',
      slo: 'error-rate',
      threshold: 0.001,
    } as GateDefinition,
    'to measure',
  ],
  [
    {
      ...base,
      kind: 'canary-vs-stable',
      name: 'no-worse',
      slo: 'error-rate',
    } as GateDefinition,
    'to compare with stable',
  ],
];

describe('gates that need a canary, on a plain Deployment', () => {
  it.each(gates)(
    '%s: not applicable, naming the Deployment and its strategy',
    async (gate, purpose) => {
      const result = await evaluateGate(gate, withDeployments(deployment()));
      expect(result.outcome).toBe('not-applicable');
      expect(result.blocking).toBe(false);
      expect(result.reason).toBe(
        `Not applicable: the environment runs a plain Deployment, guestbook-ui (rolling update) which Kubernetes rolls out itself, so there is no canary ${purpose} and nothing to promote or abort`,
      );
    },
  );

  it('names every Deployment and says Recreate', async () => {
    const recreate = { ...deployment('Recreate'), name: 'mysql' };
    const result = await evaluateGate(
      gates[0][0],
      withDeployments(deployment(), recreate),
    );
    expect(result.reason).toBe(
      'Not applicable: the environment runs the plain Deployments guestbook-ui (rolling update), mysql (Recreate), which Kubernetes rolls out itself, so there is no canary to soak and nothing to promote or abort',
    );
  });

  it('keeps the plain reason where the environment has neither', async () => {
    const result = await evaluateGate(
      gates[0][0],
      input({ environment: 'dev', rollout: undefined }),
    );
    expect(result.reason).toMatch(/no rollout, so there is no canary to soak/);
  });
});
