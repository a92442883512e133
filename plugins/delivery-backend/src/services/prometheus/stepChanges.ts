import type {
  AuditRecord,
  RolloutStep,
  RolloutView,
  StepChange,
  StepChangeCause,
} from '@gitops-delivery/backstage-plugin-delivery-common';
import { ROLLOUT_ACTIONS } from '@gitops-delivery/backstage-plugin-delivery-common';

/** The parts of a rollout its step changes are read from. @public */
export type StepFacts = Partial<
  Pick<
    RolloutView,
    | 'steps'
    | 'currentStepIndex'
    | 'canaryWeight'
    | 'pause'
    | 'analysisRuns'
    | 'aborted'
    | 'abortedAt'
  >
>;

/** The parts of an audit record a step change is read from. @public */
export type StepAction = Pick<
  AuditRecord,
  'createdAt' | 'updatedAt' | 'action' | 'decision' | 'outcome' | 'actor'
> &
  Partial<Pick<AuditRecord, 'reason'>>;

const seconds = (iso?: string): number | undefined => {
  if (!iso) return undefined;
  const ms = Date.parse(iso);
  return Number.isFinite(ms) ? Math.floor(ms / 1000) : undefined;
};

/** Canary weight once the steps up to `index` have run (the last setWeight). */
export function weightAtStep(
  steps: ReadonlyArray<RolloutStep>,
  index: number,
): number | undefined {
  if (index >= steps.length && steps.length > 0) return 100;
  for (let i = Math.min(index, steps.length - 1); i >= 0; i--) {
    const step = steps[i];
    if (step.kind === 'setWeight') return step.weight;
  }
  return steps.length > 0 ? 0 : undefined;
}

/**
 * When a rollout moved between steps, from what the backend knows: the
 * current pause's start, the start of each step AnalysisRun, and the
 * promote / abort / retry actions recorded in the audit trail (only those
 * that reached Argo CD). Argo Rollouts keeps no history of its steps, so a
 * step the rollout passed without pausing, analysing or being acted on has
 * no mark. Only changes within [start, end] (Unix seconds) are returned,
 * oldest first.
 */
export function deriveStepChanges(
  rollout: StepFacts,
  actions: ReadonlyArray<StepAction>,
  window: { start: number; end: number },
): StepChange[] {
  const steps = rollout.steps ?? [];
  const changes: StepChange[] = [];
  const add = (
    t: number | undefined,
    stepIndex: number,
    cause: StepChangeCause,
    weight: number | undefined,
    detail?: string,
  ) => {
    if (t === undefined) return;
    changes.push({
      t,
      stepIndex,
      cause,
      ...(weight !== undefined ? { weight } : {}),
      ...(detail ? { detail } : {}),
    });
  };

  for (const run of rollout.analysisRuns ?? []) {
    if (run.stepIndex === undefined) continue;
    add(
      seconds(run.startedAt),
      run.stepIndex,
      'analysis',
      weightAtStep(steps, run.stepIndex),
      `AnalysisRun ${run.name}`,
    );
  }
  if (rollout.pause?.startedAt && rollout.currentStepIndex !== undefined) {
    add(
      seconds(rollout.pause.startedAt),
      rollout.currentStepIndex,
      'pause',
      rollout.canaryWeight ?? weightAtStep(steps, rollout.currentStepIndex),
      rollout.pause.reason,
    );
  }

  // Actions carry no step index: the step they left is the last one known
  // before them (from the facts above or an earlier action).
  const known = [...changes].sort((a, b) => a.t - b.t);
  const stepBefore = (t: number): number | undefined => {
    let index: number | undefined;
    for (const change of known) if (change.t <= t) index = change.stepIndex;
    return index;
  };
  const done = actions
    // an Application's sync, refresh or rollback moves no canary step
    .filter(
      a =>
        a.outcome === 'succeeded' &&
        (ROLLOUT_ACTIONS as readonly string[]).includes(a.action),
    )
    .map(a => ({ action: a, t: seconds(a.updatedAt ?? a.createdAt) }))
    .filter((a): a is { action: StepAction; t: number } => a.t !== undefined)
    .sort((a, b) => a.t - b.t);
  // An aborted Rollout keeps the index of the step it was aborted at: that
  // is where the latest abort happened (its pause is gone from the status).
  const last = done[done.length - 1];
  const abortedAtStep =
    rollout.aborted && rollout.currentStepIndex !== undefined
      ? rollout.currentStepIndex
      : undefined;
  for (const { action, t } of done) {
    const by =
      action.decision === 'guard'
        ? 'the canary guard'
        : `${action.actor}${
            action.decision === 'overridden' ? ' (override)' : ''
          }`;
    const detail = `${action.action} by ${by}${
      action.reason ? `: ${action.reason}` : ''
    }`;
    let change: StepChange | undefined;
    if (action.action === 'promote-full') {
      change = {
        t,
        stepIndex: steps.length,
        weight: 100,
        cause: 'promote-full',
      };
    } else if (action.action === 'retry') {
      change = {
        t,
        stepIndex: 0,
        weight: weightAtStep(steps, 0),
        cause: 'retry',
      };
    } else {
      const before = stepBefore(t);
      if (action.action === 'abort') {
        const latest = last?.action === action ? abortedAtStep : undefined;
        change = {
          t,
          stepIndex: latest ?? before ?? rollout.currentStepIndex ?? 0,
          weight: 0,
          cause: 'abort',
        };
      } else if (before !== undefined) {
        change = {
          t,
          stepIndex: before + 1,
          weight: weightAtStep(steps, before + 1),
          cause: 'promote',
        };
      }
    }
    if (!change) continue;
    if (change.weight === undefined) delete change.weight;
    change.detail = detail;
    changes.push(change);
    known.push(change);
    known.sort((a, b) => a.t - b.t);
  }

  // An abort the audit trail does not hold (e.g. by Argo Rollouts itself,
  // after a failed analysis). An audited abort since the last retry is the
  // one that left the Rollout aborted, whatever the clocks of the cluster
  // and the backend say.
  const abortedAt = rollout.aborted ? seconds(rollout.abortedAt) : undefined;
  const lastRetry = Math.max(
    -Infinity,
    ...changes.filter(c => c.cause === 'retry').map(c => c.t),
  );
  if (
    abortedAt !== undefined &&
    !changes.some(c => c.cause === 'abort' && c.t > lastRetry)
  ) {
    add(
      abortedAt,
      abortedAtStep ?? stepBefore(abortedAt) ?? 0,
      'abort',
      0,
      'Rollout aborted',
    );
  }

  return changes
    .filter(c => c.t >= window.start && c.t <= window.end)
    .sort((a, b) => a.t - b.t || a.stepIndex - b.stepIndex);
}
