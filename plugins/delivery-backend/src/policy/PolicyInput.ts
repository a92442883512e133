import type { GateEvidence } from '@gitops-delivery/backstage-plugin-delivery-common';
import type {
  GateInput,
  GateVerdict,
} from '@gitops-delivery/backstage-plugin-delivery-node';

/**
 * Everything a policy is evaluated over (delivery-node's GateInput, the
 * same for built-in gates and the ones modules add).
 */
export type PolicyInput = GateInput;

export type { GateVerdict };

/** Shorthand for an unknown verdict. */
export function unknown(
  reason: string,
  evidence: GateEvidence[] = [],
): GateVerdict {
  return { outcome: 'unknown', reason, evidence };
}

/**
 * Shorthand for a gate that needs a canary where the environment has no
 * rollout: not applicable, never blocking.
 */
export function notApplicable(reason: string): GateVerdict {
  return { outcome: 'not-applicable', reason, evidence: [] };
}

/** Why a gate that needs a canary does not apply to an environment without a rollout. */
export const NO_CANARY_REASON =
  'Not applicable: the environment has no rollout, so there is no canary';
