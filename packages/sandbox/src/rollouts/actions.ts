import { abortRollout, isFullyPromoted } from './controller';
import type { AnalysisRunState, RolloutState } from './types';

/** One entry of Argo CD's resource/actions list. */
export interface ResourceActionInfo {
  name: string;
  disabled: boolean;
  displayName?: string;
  iconClass?: string;
}

/** Error of a Lua action (Argo CD answers it with code 2 Unknown, HTTP 500). */
export class ActionError extends Error {}

function paused(r: RolloutState) {
  return r.pauseConditions.length > 0 || r.specPaused;
}

/**
 * The Rollout actions with their enabled-when rules, as Argo CD's
 * resource_customizations/argoproj.io/Rollout/actions/discovery.lua decides.
 */
export function rolloutActions(r: RolloutState): ResourceActionInfo[] {
  const promoted = isFullyPromoted(r);
  const canaryStepsLeft =
    r.strategy === 'canary' &&
    !promoted &&
    !r.abort &&
    r.currentStepIndex < r.steps.length;
  return [
    {
      name: 'resume',
      disabled: !paused(r),
      iconClass: 'fa fa-fw fa-play-circle',
    },
    { name: 'restart', disabled: false, iconClass: 'fa fa-fw fa-redo' },
    {
      name: 'abort',
      disabled: promoted || r.abort,
      iconClass: 'fa fa-fw fa-times-circle',
    },
    {
      name: 'retry',
      disabled: promoted || !r.abort,
      iconClass: 'fa fa-fw fa-redo-alt',
    },
    {
      name: 'promote-full',
      disabled: promoted,
      iconClass: 'fa fa-fw fa-angle-double-right',
    },
    {
      name: 'pause',
      disabled: promoted || r.abort || paused(r),
      iconClass: 'fa fa-fw fa-pause-circle',
    },
    {
      name: 'skip-current-step',
      disabled: !canaryStepsLeft,
      iconClass: 'fa fa-fw fa-step-forward',
    },
  ];
}

/** Runs a Rollout action at simulated instant `now` (the Lua patch, then the controller's reaction). */
export function runRolloutAction(r: RolloutState, action: string, now: number) {
  const info = rolloutActions(r).find(a => a.name === action);
  if (!info) {
    throw new ActionError(
      `action ${action} not found for resource Rollout ${r.name}`,
    );
  }
  if (info.disabled) {
    // Argo CD runs the Lua anyway; an action whose guard fails changes nothing
    // meaningful, so the sandbox refuses it the way a failing Lua script would.
    throw new ActionError(
      `error executing Lua resource action: action ${action} is disabled for Rollout ${r.name}`,
    );
  }
  r.updatedAt = Math.max(r.updatedAt, now);
  r.generation++;
  switch (action) {
    case 'resume':
      r.pauseConditions = [];
      r.specPaused = false;
      return;
    case 'restart':
      r.restartAt = now;
      return;
    case 'abort':
      abortRollout(r, now);
      return;
    case 'retry':
      r.abort = false;
      r.abortedAt = undefined;
      r.abortMessage = undefined;
      r.currentStepIndex = 0;
      r.stepStartedAt = now;
      return;
    case 'promote-full':
      r.promoteFull = true;
      r.pauseConditions = [];
      r.specPaused = false;
      return;
    case 'pause':
      r.specPaused = true;
      return;
    case 'skip-current-step':
      r.pauseConditions = [];
      r.controllerPause = false;
      r.currentStepIndex++;
      r.stepStartedAt = now;
      return;
    default:
      throw new ActionError(
        `action ${action} not found for resource Rollout ${r.name}`,
      );
  }
}

/** The AnalysisRun actions (`terminate` while running). */
export function analysisRunActions(
  run: AnalysisRunState,
): ResourceActionInfo[] {
  return [
    { name: 'terminate', disabled: run.phase !== 'Running' || !!run.terminate },
  ];
}

/** Runs an AnalysisRun action. */
export function runAnalysisRunAction(run: AnalysisRunState, action: string) {
  const info = analysisRunActions(run).find(a => a.name === action);
  if (!info)
    throw new ActionError(
      `action ${action} not found for resource AnalysisRun ${run.name}`,
    );
  if (info.disabled) {
    throw new ActionError(
      `error executing Lua resource action: action ${action} is disabled for AnalysisRun ${run.name}`,
    );
  }
  run.terminate = true;
}
