import { NotAllowedError } from '@backstage/errors';
import type { RolloutView } from '@gitops-delivery/backstage-plugin-delivery-common';

/**
 * Why no action may reach the rollout for this entity, or undefined when
 * one may: its Application is bound to the entity, or the binding is not
 * required (`delivery.actions.requireBinding: false`). A rollout without a
 * computed binding is refused: failing closed.
 */
export function unboundReason(rollout: RolloutView): string | undefined {
  const binding = rollout.binding;
  if (!binding) {
    return `The binding of Rollout "${rollout.name}" to the entity is unknown`;
  }
  if (binding.bound || !binding.enforced) return undefined;
  return binding.reason ?? 'The Application is not bound to the entity';
}

/** The 403 of an action on a rollout whose Application is not bound to the entity. */
export function notBoundError(rollout: RolloutView, reason: string) {
  return new NotAllowedError(
    `Actions on ${rollout.name} are not allowed for this entity: ${reason}`,
  );
}
