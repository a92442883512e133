import {
  deliveryAbortPermission,
  deliveryPromotePermission,
  type RolloutActionName,
  type RolloutView,
} from '@gitops-delivery/backstage-plugin-delivery-common';

/** How one of our actions maps to Argo CD's Rollout resource actions. */
export interface ActionDefinition {
  name: RolloutActionName;
  title: string;
  /** Argo CD action names (from its Lua discovery) that perform it. */
  argoNames: string[];
  permission: typeof deliveryPromotePermission;
  /** Whether the promotion policy applies, so the dialog shows the gates. */
  gated: boolean;
}

/** Our four actions, in button order. */
export const ACTION_DEFINITIONS: ActionDefinition[] = [
  {
    name: 'promote',
    title: 'Promote one step',
    // Argo CD calls "promote one step" resume (or skip-current-step on v3.2+).
    argoNames: ['promote', 'resume', 'skip-current-step'],
    permission: deliveryPromotePermission,
    gated: true,
  },
  {
    name: 'promote-full',
    title: 'Promote fully',
    argoNames: ['promote-full'],
    permission: deliveryPromotePermission,
    gated: true,
  },
  {
    name: 'abort',
    title: 'Abort',
    argoNames: ['abort'],
    permission: deliveryAbortPermission,
    gated: false,
  },
  {
    name: 'retry',
    title: 'Retry',
    argoNames: ['retry'],
    permission: deliveryAbortPermission,
    gated: false,
  },
];

/** What Argo CD says about an action on the rollout: absent, disabled or enabled. */
export function argoAvailability(
  rollout: RolloutView,
  definition: ActionDefinition,
): 'absent' | 'disabled' | 'enabled' {
  const matches = rollout.actions.filter(a =>
    definition.argoNames.includes(a.name),
  );
  if (!matches.length) return 'absent';
  return matches.some(a => !a.disabled) ? 'enabled' : 'disabled';
}

/** A fresh idempotency key for one confirmation dialog. */
export function newIdempotencyKey(): string {
  const c = globalThis.crypto as Crypto | undefined;
  if (c?.randomUUID) return c.randomUUID();
  return `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
}
