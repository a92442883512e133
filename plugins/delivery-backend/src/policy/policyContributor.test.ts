import type {
  GateResult,
  PolicyEvaluation,
} from '@gitops-delivery/backstage-plugin-delivery-common';
import { summarizePolicy } from './policyContributor';

function gate(name: string, blocking: boolean): GateResult {
  return {
    name,
    kind: 'soak',
    outcome: blocking ? 'fail' : 'pass',
    blocking,
    reason: '',
    evidence: [],
  };
}

function evaluation(rollout: string, gates: GateResult[]): PolicyEvaluation {
  return {
    policy: 'default',
    environment: 'production',
    rollout,
    allowed: gates.every(g => !g.blocking),
    evaluatedAt: '2026-11-27T12:00:00.000Z',
    gates,
  };
}

describe('summarizePolicy', () => {
  it('allows only when every rollout is allowed and names each blocking gate once, in order', () => {
    expect(
      summarizePolicy([
        evaluation('a', [gate('slo', true), gate('soak', false)]),
        evaluation('b', [gate('soak', true), gate('slo', true)]),
      ]),
    ).toEqual({ allowed: false, failing: ['slo', 'soak'], pending: true });
    expect(summarizePolicy([evaluation('a', [gate('slo', false)])])).toEqual({
      allowed: true,
      failing: [],
      pending: true,
    });
  });

  it('does not allow on no evaluation at all', () => {
    expect(summarizePolicy([])).toEqual({
      allowed: false,
      failing: [],
      pending: false,
    });
  });

  it('says no promotion is pending when no rollout has one to decide', () => {
    // dev without a rollout: the canary gates are not applicable, the
    // vulnerabilities gate may still block, but nothing waits for promotion
    const noRollout: PolicyEvaluation = {
      ...evaluation('a', [
        { ...gate('soak', false), outcome: 'not-applicable' },
        gate('no-high-or-critical-cves', true),
      ]),
      rollout: undefined,
      promotionPending: false,
    };
    expect(summarizePolicy([noRollout])).toEqual({
      allowed: false,
      failing: ['no-high-or-critical-cves'],
      pending: false,
    });
    expect(
      summarizePolicy([
        noRollout,
        { ...evaluation('b', []), promotionPending: true },
      ]).pending,
    ).toBe(true);
  });
});
