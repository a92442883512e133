import type {
  AuditRecord,
  PolicyEvaluation,
  RolloutActionName,
  RolloutView,
} from '@gitops-delivery/backstage-plugin-delivery-common';
import { unboundReason } from './binding';

/** Whether an action promotes (and so is subject to the promotion policy). */
export function isPromotion(action: RolloutActionName): boolean {
  return action === 'promote' || action === 'promote-full';
}

/** What decideAction weighs. */
export interface ActionDecisionInput {
  action: RolloutActionName;
  /** The Rollout as the overview shows it (its Application's binding). */
  rollout: RolloutView;
  /** The promotion policy's verdict; only for promotions. */
  evaluation?: PolicyEvaluation;
  /** The caller asked to override a blocking policy. */
  override?: boolean;
  /** The caller holds the override permission (asked only when it matters). */
  overridePermitted?: boolean;
  /** The canary guard acts, not a person. */
  guard?: boolean;
}

/** What to do with an action request, before anything is written or sent. */
export type ActionDecision =
  /** The Application does not name the entity back: 403, recorded as blocked. */
  | { verdict: 'unbound'; message: string }
  /** The policy blocks and is not overridden: recorded as blocked. */
  | {
      verdict: 'blocked';
      message: string;
      /** The blocking gates' names. */
      failing: string[];
      /** An override was asked for without the permission: 403, not 409. */
      overrideRefused: boolean;
    }
  /** The action runs, under this decision. */
  | {
      verdict: 'run';
      decision: Extract<
        AuditRecord['decision'],
        'allowed' | 'overridden' | 'guard'
      >;
      /** The blocking gates an override overrides (empty otherwise). */
      overridden: string[];
    };

/** Whether the override permission must be asked for this input. */
export function needsOverridePermission(
  input: Pick<ActionDecisionInput, 'evaluation' | 'override'>,
): boolean {
  return Boolean(
    input.override && input.evaluation && !input.evaluation.allowed,
  );
}

/**
 * The pure decision over a located Rollout: only an Application that names
 * the entity back may be acted on (the entity's own annotations found it,
 * and anyone can write those); a promotion the policy blocks runs only as
 * a break-glass override by someone who holds the override permission.
 */
export function decideAction(input: ActionDecisionInput): ActionDecision {
  const unbound = unboundReason(input.rollout);
  if (unbound) return { verdict: 'unbound', message: unbound };
  const base = input.guard ? 'guard' : 'allowed';
  const { evaluation } = input;
  if (!evaluation || evaluation.allowed) {
    return { verdict: 'run', decision: base, overridden: [] };
  }
  const failing = evaluation.gates.filter(g => g.blocking).map(g => g.name);
  if (input.override && input.overridePermitted) {
    return { verdict: 'run', decision: 'overridden', overridden: failing };
  }
  const message = input.override
    ? `Override refused: you lack the override permission; the policy "${
        evaluation.policy
      }" blocks: ${failing.join(', ')}`
    : `The policy "${evaluation.policy}" blocks this promotion: ${failing.join(
        ', ',
      )}`;
  return {
    verdict: 'blocked',
    message,
    failing,
    overrideRefused: Boolean(input.override),
  };
}
