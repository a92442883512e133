import { ConfigReader } from '@backstage/config';
import { readPolicyConfig } from '@gitops-delivery/backstage-plugin-delivery-node';
import type { SignalsProvider } from '../policy/SignalsProvider';
import { createPolicyService } from '../policy/PolicyService';
import {
  CANARY_IMAGE,
  counts,
  environments,
  imageOnlyLayers,
  NOW,
  rollout,
  scan,
  slo,
} from '../policy/__testUtils__/policyInputs';
import type { DeliveryState } from '../services/overview/OverviewService';

/*
 * What the canary guard evaluates during the soak (PolicyService.evaluate
 * with onlySlo, the call CanaryGuard makes): the SLO gates and the security
 * gates narrowed to their runtime layer, on the built-in default policy.
 */

const state = {
  entity: {
    entityRef: 'component:default/checkout',
    entity: { metadata: { annotations: {} } },
    annotations: { instances: [], projects: [] },
  },
  overview: { environments: environments(), sources: [] },
  configuredEnvironments: ['dev', 'staging', 'production'],
} as unknown as DeliveryState;

const shell = {
  id: 'Drop and execute new binary in container',
  title: 'Drop and execute new binary in container',
  severity: 'CRITICAL' as const,
  packageName: 'checkout/checkout',
  location: 'checkout-7d5979db69-q8d4z',
  occurrences: 3,
  fixable: false,
  source: 'falco',
  layer: 'runtime' as const,
};

function signals(
  security = imageOnlyLayers(),
): SignalsProvider & { imageReads: number } {
  const provider = {
    imageReads: 0,
    sloValues: async () => ({ slos: [slo('error-rate', 0.0002)] }),
    imageFindings: async () => {
      provider.imageReads++;
      return { images: [scan(CANARY_IMAGE)], security };
    },
  };
  return provider;
}

function guardEvaluation(provider: SignalsProvider) {
  const policy = createPolicyService({
    config: readPolicyConfig(new ConfigReader({})),
    locator: { getDeliveryState: async () => state },
    signals: provider,
    now: () => NOW,
  });
  return policy.evaluate(state, 'production', rollout(), { onlySlo: true });
}

describe('the canary guard and the runtime layer', () => {
  it('fails the runtime gate when Falco saw a CRITICAL in the canary, which the guard aborts on', async () => {
    const security = imageOnlyLayers().map(l =>
      l.layer === 'runtime'
        ? {
            ...l,
            state: 'findings' as const,
            message: undefined,
            sources: [{ source: 'falco', status: 'ok' as const }],
            counts: counts({ CRITICAL: 1 }),
            newInCanaryCounts: counts({ CRITICAL: 1 }),
            findings: [shell],
            newInCanary: [shell],
          }
        : l,
    );
    const evaluation = await guardEvaluation(signals(security));
    expect(evaluation.gates.map(g => [g.name, g.outcome])).toEqual([
      ['no-high-or-critical-runtime-detections', 'fail'],
      ['canary-error-rate', 'pass'],
    ]);
    expect(evaluation.gates[0].reason).toBe(
      'runtime has 1 CRITICAL (allowed 0): CRITICAL Drop and execute new binary in container (checkout-7d5979db69-q8d4z) ×3',
    );
  });

  it('does not judge the image gate or any other layer, and passes without Falco', async () => {
    const provider = signals();
    const evaluation = await guardEvaluation(provider);
    expect(evaluation.gates.map(g => [g.name, g.outcome])).toEqual([
      ['no-high-or-critical-runtime-detections', 'pass'],
      ['canary-error-rate', 'pass'],
    ]);
    expect(provider.imageReads).toBe(1);
  });
});
