import type {
  GateResult,
  PolicyEvaluation,
  RolloutView,
} from '@gitops-delivery/backstage-plugin-delivery-common';
import {
  decideAction,
  isPromotion,
  needsOverridePermission,
} from './decideAction';

const bound = {
  name: 'checkout',
  binding: { bound: true, by: 'annotation', enforced: true },
} as RolloutView;
const unbound = {
  name: 'checkout',
  binding: {
    bound: false,
    enforced: true,
    reason: 'Argo CD Application "checkout" does not name the entity',
  },
} as RolloutView;

const gate = (name: string, blocking: boolean): GateResult => ({
  name,
  kind: 'soak',
  outcome: blocking ? 'fail' : 'pass',
  blocking,
  reason: blocking ? 'not yet' : 'ok',
  evidence: [],
});

const verdict = (allowed: boolean): PolicyEvaluation =>
  ({
    policy: 'default',
    allowed,
    gates: allowed
      ? [gate('soak', false)]
      : [gate('soak', true), gate('slo', true), gate('scan', false)],
  } as PolicyEvaluation);

describe('decideAction', () => {
  it('runs an allowed promotion as allowed', () => {
    expect(
      decideAction({
        action: 'promote',
        rollout: bound,
        evaluation: verdict(true),
      }),
    ).toEqual({ verdict: 'run', decision: 'allowed', overridden: [] });
  });

  it('runs an abort without a policy, and the guard’s as guard', () => {
    expect(decideAction({ action: 'abort', rollout: bound })).toEqual({
      verdict: 'run',
      decision: 'allowed',
      overridden: [],
    });
    expect(
      decideAction({ action: 'abort', rollout: bound, guard: true }),
    ).toEqual({ verdict: 'run', decision: 'guard', overridden: [] });
  });

  it('refuses any action on a Rollout whose Application does not name the entity, before the policy', () => {
    for (const action of ['promote', 'abort', 'retry'] as const) {
      expect(
        decideAction({
          action,
          rollout: unbound,
          evaluation: verdict(true),
          guard: action === 'abort',
        }),
      ).toEqual({
        verdict: 'unbound',
        message: 'Argo CD Application "checkout" does not name the entity',
      });
    }
  });

  it('fails closed when the binding is unknown', () => {
    expect(
      decideAction({
        action: 'abort',
        rollout: { name: 'checkout' } as RolloutView,
      }),
    ).toEqual({
      verdict: 'unbound',
      message: 'The binding of Rollout "checkout" to the entity is unknown',
    });
  });

  it('acts on an unbound Rollout when the binding is not enforced', () => {
    expect(
      decideAction({
        action: 'abort',
        rollout: {
          ...unbound,
          binding: { ...unbound.binding!, enforced: false },
        },
      }).verdict,
    ).toBe('run');
  });

  it('blocks a promotion the policy blocks, naming the blocking gates', () => {
    expect(
      decideAction({
        action: 'promote-full',
        rollout: bound,
        evaluation: verdict(false),
      }),
    ).toEqual({
      verdict: 'blocked',
      message: 'The policy "default" blocks this promotion: soak, slo',
      failing: ['soak', 'slo'],
      overrideRefused: false,
    });
  });

  it('refuses an override without the permission (a 403, not a 409)', () => {
    expect(
      decideAction({
        action: 'promote',
        rollout: bound,
        evaluation: verdict(false),
        override: true,
        overridePermitted: false,
      }),
    ).toEqual({
      verdict: 'blocked',
      message:
        'Override refused: you lack the override permission; the policy "default" blocks: soak, slo',
      failing: ['soak', 'slo'],
      overrideRefused: true,
    });
  });

  it('runs a permitted override as overridden, naming what it overrides', () => {
    expect(
      decideAction({
        action: 'promote',
        rollout: bound,
        evaluation: verdict(false),
        override: true,
        overridePermitted: true,
      }),
    ).toEqual({
      verdict: 'run',
      decision: 'overridden',
      overridden: ['soak', 'slo'],
    });
  });

  it('never overrides on the permission alone: the caller must ask', () => {
    expect(
      decideAction({
        action: 'promote',
        rollout: bound,
        evaluation: verdict(false),
        overridePermitted: true,
      }).verdict,
    ).toBe('blocked');
  });

  it('ignores an override of a policy that allows', () => {
    expect(
      decideAction({
        action: 'promote',
        rollout: bound,
        evaluation: verdict(true),
        override: true,
        overridePermitted: true,
      }),
    ).toEqual({ verdict: 'run', decision: 'allowed', overridden: [] });
  });
});

describe('needsOverridePermission', () => {
  it('asks the permission only for an override of a blocking policy', () => {
    expect(
      needsOverridePermission({ evaluation: verdict(false), override: true }),
    ).toBe(true);
    expect(needsOverridePermission({ evaluation: verdict(false) })).toBe(false);
    expect(
      needsOverridePermission({ evaluation: verdict(true), override: true }),
    ).toBe(false);
    expect(needsOverridePermission({ override: true })).toBe(false);
  });
});

describe('isPromotion', () => {
  it('knows promote and promote-full', () => {
    expect(isPromotion('promote')).toBe(true);
    expect(isPromotion('promote-full')).toBe(true);
    expect(isPromotion('abort')).toBe(false);
    expect(isPromotion('retry')).toBe(false);
  });
});
