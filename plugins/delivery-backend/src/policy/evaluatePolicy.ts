import type {
  GateDefinition,
  GateResult,
  PolicyDefinition,
  PolicyEvaluation,
} from '@gitops-delivery/backstage-plugin-delivery-common';
import { analysisGate } from './gates/analysisGate';
import { canaryVsStableGate } from './gates/canaryVsStableGate';
import { changeWindowGate } from './gates/changeWindowGate';
import { inSyncGate } from './gates/inSyncGate';
import { sloGate } from './gates/sloGate';
import { soakGate } from './gates/soakGate';
import { upstreamEnvironmentGate } from './gates/upstreamEnvironmentGate';
import { vulnerabilitiesGate } from './gates/vulnerabilitiesGate';
import type { GateVerdict, PolicyInput } from './PolicyInput';
import type { PolicySelection } from './selectPolicy';

/** Evaluates one gate; never throws, so one broken gate cannot hide the others. */
export function evaluateGate(
  gate: GateDefinition,
  input: PolicyInput,
): GateResult {
  let verdict: GateVerdict;
  try {
    verdict = runGate(gate, input);
  } catch (error) {
    verdict = {
      outcome: 'unknown',
      reason: `The gate could not be evaluated: ${(error as Error).message}`,
      evidence: [],
    };
  }
  return {
    name: gate.name,
    kind: gate.kind,
    outcome: verdict.outcome,
    blocking:
      verdict.outcome === 'fail' ||
      (verdict.outcome === 'unknown' && gate.onUnknown === 'fail'),
    reason: verdict.reason,
    evidence: verdict.evidence,
  };
}

function runGate(gate: GateDefinition, input: PolicyInput): GateVerdict {
  switch (gate.kind) {
    case 'vulnerabilities':
      return vulnerabilitiesGate(gate, input);
    case 'slo':
      return sloGate(gate, input);
    case 'soak':
      return soakGate(gate, input);
    case 'analysis':
      return analysisGate(gate, input);
    case 'upstream-environment':
      return upstreamEnvironmentGate(gate, input);
    case 'in-sync':
      return inSyncGate(gate, input);
    case 'change-window':
      return changeWindowGate(gate, input);
    case 'canary-vs-stable':
      return canaryVsStableGate(gate, input);
    default:
      return {
        outcome: 'unknown',
        reason: `Unknown gate kind "${(gate as GateDefinition).kind}"`,
        evidence: [],
      };
  }
}

/** A promotion to decide: a rollout that is not at its last step yet. */
function isPromotionPending(input: PolicyInput): boolean {
  return Boolean(input.rollout && !input.rollout.fullyPromoted);
}

/**
 * Evaluates a policy for one rollout: every gate in order (all of them, so
 * people see every reason at once); allowed only when none blocks.
 */
export function evaluatePolicy(
  policy: PolicyDefinition,
  input: PolicyInput,
): PolicyEvaluation {
  const gates = policy.gates.map(gate => evaluateGate(gate, input));
  return {
    policy: policy.name,
    environment: input.environment,
    instance: input.rollout?.instance,
    rollout: input.rollout?.name,
    allowed: gates.every(g => !g.blocking),
    promotionPending: isPromotionPending(input),
    evaluatedAt: input.now.toISOString(),
    gates,
  };
}

/** Evaluates the selected policy, or fails closed when none could be selected. */
export function evaluateSelection(
  selection: PolicySelection,
  input: PolicyInput,
): PolicyEvaluation {
  if (selection.policy) return evaluatePolicy(selection.policy, input);
  return {
    policy: selection.requested,
    environment: input.environment,
    instance: input.rollout?.instance,
    rollout: input.rollout?.name,
    allowed: false,
    promotionPending: isPromotionPending(input),
    evaluatedAt: input.now.toISOString(),
    gates: [
      {
        name: 'policy',
        kind: 'policy',
        outcome: 'fail',
        blocking: true,
        reason: selection.error,
        evidence: [
          {
            label: 'annotation delivery.backstage.io/policy',
            value: selection.requested,
          },
        ],
      },
    ],
  };
}

/** The policy's SLO gates only: what the canary guard watches. */
export function sloGatesOf(policy: PolicyDefinition): PolicyDefinition {
  return { ...policy, gates: policy.gates.filter(g => g.kind === 'slo') };
}
