import type {
  DeliveryOverview,
  RolloutStep,
  RolloutView,
} from '@gitops-delivery/backstage-plugin-delivery-common';
import { formatDuration } from './format';

/** Human label of one canary step. */
export function describeStep(step: RolloutStep): string {
  switch (step.kind) {
    case 'setWeight':
      return `Set weight ${step.weight}%`;
    case 'pause':
      return step.durationSeconds === undefined
        ? 'Pause until promoted'
        : `Pause ${formatDuration(step.durationSeconds)}`;
    case 'analysis':
      return step.templates.length
        ? `Analysis (${step.templates.join(', ')})`
        : 'Analysis';
    case 'setCanaryScale':
      if (step.matchTrafficWeight) return 'Canary scale matches traffic';
      if (step.replicas !== undefined) {
        return `Canary scale ${step.replicas} replicas`;
      }
      return `Canary scale ${step.weight ?? 0}%`;
    case 'setMirrorRoute':
      return step.remove
        ? `Stop mirroring (${step.name})`
        : `Mirror ${step.percentage ?? 100}% (${step.name})`;
    case 'experiment': {
      const names = step.templates.map(t => t.name).join(', ');
      const duration =
        step.durationSeconds === undefined
          ? ''
          : ` ${formatDuration(step.durationSeconds)}`;
      return `Experiment${duration}${names ? ` (${names})` : ''}`;
    }
    default:
      return step.name;
  }
}

/** Where a step stands relative to the rollout's current step. */
export type StepState = 'done' | 'current' | 'pending' | 'aborted';

/** The state of step `index` of the rollout. */
export function stepState(rollout: RolloutView, index: number): StepState {
  const current = rollout.fullyPromoted
    ? rollout.steps.length
    : rollout.currentStepIndex ?? 0;
  if (index < current) return 'done';
  if (index === current) return rollout.aborted ? 'aborted' : 'current';
  return 'pending';
}

/** The rollout's state in one word, for headers and the overview card. */
export type RolloutState =
  | 'aborted'
  | 'promoted'
  | 'paused'
  | 'progressing'
  | 'degraded'
  | 'healthy';

/** Classifies a rollout for display; aborted and promoted win over the phase. */
export function rolloutState(rollout: RolloutView): RolloutState {
  if (rollout.aborted) return 'aborted';
  const phase = rollout.phase ?? rollout.health.status;
  if (phase === 'Degraded') return 'degraded';
  if (rollout.pause || phase === 'Paused' || phase === 'Suspended') {
    return 'paused';
  }
  if (phase === 'Progressing') return 'progressing';
  if (rollout.fullyPromoted) return 'promoted';
  return 'healthy';
}

/** True while a rollout is moving on its own or waiting on a timed pause. */
export function isRolloutActive(rollout: RolloutView): boolean {
  const state = rolloutState(rollout);
  if (state === 'progressing') return true;
  // A timed pause ends by itself: keep refreshing; an indefinite one waits for a human.
  return state === 'paused' && rollout.pause?.remainingSeconds !== undefined;
}

/** True when any rollout of the overview is active, so the view should poll. */
export function shouldPollOverview(overview?: DeliveryOverview): boolean {
  return Boolean(
    overview?.environments.some(
      env =>
        env.rollouts.some(isRolloutActive) ||
        // a sync or rollback under way: the tab follows it to its result
        env.applications.some(a => a.operation?.phase === 'Running') ||
        // a rollback pull request not yet synced: followed until it is
        (env.summary?.rollbacks ?? []).some(
          r => r.tracking === 'open' || r.tracking === 'merged',
        ),
    ),
  );
}

/** Step index shown to people: 1-based, capped at the number of steps. */
export function stepLabel(rollout: RolloutView): string {
  if (rollout.strategy === 'blueGreen' || rollout.steps.length === 0) {
    return rollout.fullyPromoted ? 'promoted' : 'no steps';
  }
  const current = Math.min(
    rollout.fullyPromoted
      ? rollout.steps.length
      : (rollout.currentStepIndex ?? 0) + 1,
    rollout.steps.length,
  );
  return `step ${current}/${rollout.steps.length}`;
}
