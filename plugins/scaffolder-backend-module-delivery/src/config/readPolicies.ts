import type { Config } from '@backstage/config';

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

/** Name of the policy used when an entity names none. @public */
export const DEFAULT_POLICY_NAME = 'default';

/**
 * The built-in `default` policy used when `delivery.policies.default` is not
 * configured: the soak and analysis promises of the product's design
 * (10 minutes at each weight, a successful analysis before promotion).
 */
const BUILT_IN_DEFAULT: RolloutPolicyRequirements = {
  name: DEFAULT_POLICY_NAME,
  minSoakSeconds: 600,
  requiresAnalysis: true,
};

/** Names of the policies configured under `delivery.policies`. */
export function listPolicyNames(config: Config): string[] {
  const names = config.getOptionalConfig('delivery.policies')?.keys() ?? [];
  return names.includes(DEFAULT_POLICY_NAME)
    ? names
    : [DEFAULT_POLICY_NAME, ...names];
}

/**
 * Reads the rollout-relevant gates of `delivery.policies.<name>`
 * (`gates[]` with `kind: soak` + `minutes`, and `kind: analysis`).
 * Returns undefined for a name that is not configured.
 */
export function readPolicyRequirements(
  config: Config,
  name: string,
): RolloutPolicyRequirements | undefined {
  const policies = config.getOptionalConfig('delivery.policies');
  if (!policies?.has(name)) {
    return name === DEFAULT_POLICY_NAME ? BUILT_IN_DEFAULT : undefined;
  }
  const gates = policies.getConfig(name).getOptionalConfigArray('gates') ?? [];
  let minSoakSeconds: number | undefined;
  let requiresAnalysis = false;
  for (const gate of gates) {
    const kind = gate.getString('kind');
    if (kind === 'soak') {
      const seconds = gate.getNumber('minutes') * 60;
      minSoakSeconds = Math.max(minSoakSeconds ?? 0, seconds);
    } else if (kind === 'analysis') {
      requiresAnalysis = true;
    }
  }
  return { name, minSoakSeconds, requiresAnalysis };
}
