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

/**
 * Why a gate that needs a canary does not apply to the environment being
 * promoted, `purpose` saying what the canary was for ('to soak'): when the
 * environment runs plain Deployments, it names them and their strategy
 * (Kubernetes rolls them itself: nothing to promote or abort); otherwise
 * NO_CANARY_REASON.
 */
export function noCanaryReason(input: PolicyInput, purpose: string): string {
  const env = input.environments.find(e => e.name === input.environment);
  const deployments = env?.deployments ?? [];
  if (deployments.length === 0) return `${NO_CANARY_REASON} ${purpose}`;
  const names = deployments
    .map(
      d =>
        `${d.name} (${
          d.strategy === 'recreate' ? 'Recreate' : 'rolling update'
        })`,
    )
    .join(', ');
  const plural = deployments.length > 1;
  return `Not applicable: the environment runs ${
    plural ? 'the plain Deployments' : 'a plain Deployment,'
  } ${names}${
    plural ? ',' : ''
  } which Kubernetes rolls out itself, so there is no canary ${purpose} and nothing to promote or abort`;
}
