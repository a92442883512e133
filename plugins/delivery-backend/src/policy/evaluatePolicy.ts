import type {
  GateResult,
  PolicyEvaluation,
} from '@gitops-delivery/backstage-plugin-delivery-common';
import type {
  ConfiguredPolicy,
  GateKindDefinition,
  PolicyGate,
} from '@gitops-delivery/backstage-plugin-delivery-node';
import { BUILT_IN_GATE_KINDS } from './gates/builtInGateKinds';
import type { GateVerdict, PolicyInput } from './PolicyInput';
import type { PolicySelection } from './selectPolicy';

/** The registered gate kinds by kind: the built-ins plus the modules'. */
export type GateKinds = ReadonlyMap<string, GateKindDefinition>;

/** The gate kinds with those modules added (the reader refused duplicates). */
export function gateKindsOf(
  added: ReadonlyArray<GateKindDefinition> = [],
): GateKinds {
  return new Map([...BUILT_IN_GATE_KINDS, ...added].map(k => [k.kind, k]));
}

const BUILT_IN = gateKindsOf();

/** Evaluates one gate; never throws, so one broken gate cannot hide the others. */
export async function evaluateGate(
  gate: PolicyGate,
  input: PolicyInput,
  kinds: GateKinds = BUILT_IN,
): Promise<GateResult> {
  let verdict: GateVerdict;
  const kind = kinds.get(gate.kind);
  try {
    verdict = kind
      ? await kind.evaluate(gate, input)
      : {
          outcome: 'unknown',
          reason: `Unknown gate kind "${gate.kind}"`,
          evidence: [],
        };
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

/** A promotion to decide: a rollout that is not at its last step yet. */
function isPromotionPending(input: PolicyInput): boolean {
  return Boolean(input.rollout && !input.rollout.fullyPromoted);
}

/**
 * Evaluates a policy for one rollout: every gate in order (all of them, so
 * people see every reason at once); allowed only when none blocks.
 */
export async function evaluatePolicy(
  policy: ConfiguredPolicy,
  input: PolicyInput,
  kinds: GateKinds = BUILT_IN,
): Promise<PolicyEvaluation> {
  const gates = await Promise.all(
    policy.gates.map(gate => evaluateGate(gate, input, kinds)),
  );
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
export async function evaluateSelection(
  selection: PolicySelection,
  input: PolicyInput,
  kinds: GateKinds = BUILT_IN,
): Promise<PolicyEvaluation> {
  if (selection.policy) return evaluatePolicy(selection.policy, input, kinds);
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
export function sloGatesOf(policy: ConfiguredPolicy): ConfiguredPolicy {
  return { ...policy, gates: policy.gates.filter(g => g.kind === 'slo') };
}
