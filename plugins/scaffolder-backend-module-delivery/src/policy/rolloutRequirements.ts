import type { ConfiguredPolicy } from '@gitops-delivery/backstage-plugin-delivery-node';

/**
 * What `delivery:policy:validate` needs from a promotion policy: the gates
 * that a Rollout's canary steps must make satisfiable.
 */
export interface RolloutPolicyRequirements {
  /** Name of the policy. */
  name: string;
  /** Longest minimum soak of the policy's `soak` gates, in seconds. */
  minSoakSeconds?: number;
  /** The policy has an `analysis` gate, so a canary needs an analysis step. */
  requiresAnalysis: boolean;
}

/**
 * The rollout-relevant gates of a policy (as delivery-node's
 * readPolicyConfig reads it): `soak` gates' minutes, and whether there is an
 * `analysis` gate. Other gate kinds ask nothing of the Rollout's steps.
 */
export function rolloutRequirementsOf(
  policy: ConfiguredPolicy,
): RolloutPolicyRequirements {
  let minSoakSeconds: number | undefined;
  let requiresAnalysis = false;
  for (const gate of policy.gates) {
    const minutes = (gate as { minutes?: unknown }).minutes;
    if (gate.kind === 'soak' && typeof minutes === 'number') {
      minSoakSeconds = Math.max(minSoakSeconds ?? 0, minutes * 60);
    } else if (gate.kind === 'analysis') {
      requiresAnalysis = true;
    }
  }
  return { name: policy.name, minSoakSeconds, requiresAnalysis };
}
