import type {
  ConfiguredPolicy,
  PolicyConfig,
} from '@gitops-delivery/backstage-plugin-delivery-node';

/** The policy an entity is held to, or why none could be chosen. @public */
export type PolicySelection =
  | { policy: ConfiguredPolicy }
  | { policy?: undefined; requested: string; error: string };

/**
 * Chooses the entity's policy. The annotation may only name a configured
 * policy; an unknown name is reported (and promotion fails closed) instead of
 * falling back to a possibly weaker default.
 */
export function selectPolicy(
  config: PolicyConfig,
  annotatedName: string | undefined,
): PolicySelection {
  const name = annotatedName ?? config.defaultPolicy;
  const policy = config.policies.get(name);
  if (policy) return { policy };
  return {
    requested: name,
    error: `The entity's delivery.backstage.io/policy annotation names "${name}", which is not a configured policy (configured: ${[
      ...config.policies.keys(),
    ].join(', ')})`,
  };
}
