import { uid } from '../ids';
import {
  SLO_ANALYSIS_METRICS,
  evaluateCondition,
  fillArgs,
  formatResult,
  parseDuration,
} from './analysis';
import type { AnalysisRunState, ExperimentState, RolloutState } from './types';

/** Runs a PromQL query at a simulated instant and returns its float list. */
export type Measure = (query: string, atSimMs: number) => number[];

/** `status.currentPodHash == status.stableRS`: nothing left to roll out. */
export function isFullyPromoted(r: RolloutState): boolean {
  return r.canaryHash === r.stableHash;
}

function recordTraffic(r: RolloutState, at: number, canaryWeight: number) {
  r.canaryWeight = canaryWeight;
  r.traffic.push({
    at,
    canaryHash: r.canaryHash,
    stableHash: r.stableHash,
    canaryWeight,
    aborted: r.abort,
    preview: r.strategy === 'blueGreen' && !r.abort,
  });
  r.updatedAt = Math.max(r.updatedAt, at);
}

/** Makes the canary the new stable, as the controller does after the last step. */
export function completeRollout(r: RolloutState, at: number) {
  r.stableHash = r.canaryHash;
  r.stableImage = r.canaryImage;
  r.currentStepIndex = r.strategy === 'canary' ? r.steps.length : 0;
  r.pauseConditions = [];
  r.controllerPause = false;
  r.promoteFull = false;
  r.promotedAt = at;
  r.canaryScale = undefined;
  recordTraffic(r, at, 0);
}

/** Aborts the update: traffic back to stable, canary scaled down. */
export function abortRollout(r: RolloutState, at: number, reason?: string) {
  r.abort = true;
  r.abortedAt = at;
  r.abortMessage = `Rollout aborted update to revision ${r.revision}${
    reason ? `: ${reason}` : ''
  }`;
  r.pauseConditions = [];
  r.controllerPause = false;
  r.canaryScale = undefined;
  for (const e of r.experiments) {
    if (e.phase === 'Running') {
      e.phase = 'Successful';
      e.completedAt = at;
    }
  }
  recordTraffic(r, at, 0);
}

/** The Experiment of the current experiment step, if it was created. */
export function currentExperiment(
  r: RolloutState,
): ExperimentState | undefined {
  return r.experiments.find(
    e =>
      e.stepIndex === r.currentStepIndex &&
      e.revision === r.revision &&
      e.podHash === r.canaryHash &&
      e.createdAt >= r.stepStartedAt,
  );
}

function createExperiment(
  r: RolloutState,
  experimentStep: Extract<
    RolloutState['steps'][number],
    { experiment: unknown }
  >,
): ExperimentState {
  const name = `${r.name}-${r.canaryHash}-${r.revision}-${r.currentStepIndex}`;
  const experiment: ExperimentState = {
    name,
    uid: uid(`${r.namespace}/experiment/${name}`),
    stepIndex: r.currentStepIndex,
    podHash: r.canaryHash,
    revision: r.revision,
    createdAt: r.stepStartedAt,
    durationMs: parseDuration(experimentStep.experiment.duration) ?? 0,
    phase: 'Running',
    templates: experimentStep.experiment.templates.map(t => ({
      name: t.name,
      specRef: t.specRef,
      replicas: t.replicas ?? 1,
    })),
  };
  r.experiments.push(experiment);
  r.updatedAt = Math.max(r.updatedAt, experiment.createdAt);
  return experiment;
}

function currentRun(r: RolloutState): AnalysisRunState | undefined {
  return r.analysisRuns.find(
    a =>
      a.stepIndex === r.currentStepIndex &&
      a.revision === r.revision &&
      a.podHash === r.canaryHash &&
      a.createdAt >= r.stepStartedAt,
  );
}

function createRun(r: RolloutState): AnalysisRunState {
  const current = r.steps[r.currentStepIndex];
  const args: Record<string, string> = { 'canary-hash': r.canaryHash };
  if ('analysis' in current) {
    for (const arg of current.analysis.args ?? []) {
      if (arg.value !== undefined) args[arg.name] = arg.value;
    }
  }
  const base = `${r.name}-${r.canaryHash}-${r.revision}-${r.currentStepIndex}`;
  const attempts = r.analysisRuns.filter(a => a.name.startsWith(base)).length;
  const name = attempts ? `${base}.${attempts}` : base;
  const run: AnalysisRunState = {
    name,
    uid: uid(`${r.namespace}/${name}`),
    stepIndex: r.currentStepIndex,
    podHash: r.canaryHash,
    revision: r.revision,
    createdAt: r.stepStartedAt,
    phase: 'Running',
    metrics: SLO_ANALYSIS_METRICS.map(m => ({
      name: m.name,
      query: fillArgs(m.query, args),
      successCondition: m.successCondition,
      intervalMs: parseDuration(m.interval)!,
      count: m.count,
      failureLimit: m.failureLimit,
      measurements: [],
    })),
  };
  r.analysisRuns.push(run);
  r.updatedAt = Math.max(r.updatedAt, run.createdAt);
  return run;
}

/**
 * Takes the measurements of a running AnalysisRun that are due by `now`, in
 * time order. Returns true when the run changed.
 */
function measureRun(
  run: AnalysisRunState,
  now: number,
  measure: Measure,
): boolean {
  let changed = false;
  for (;;) {
    if (run.phase !== 'Running') return changed;
    if (run.terminate) {
      run.phase = 'Successful';
      run.message = 'Run Terminated';
      run.completedAt = now;
      return true;
    }
    const pending = run.metrics
      .filter(m => m.measurements.length < m.count)
      .map(m => ({
        m,
        at: run.createdAt + m.measurements.length * m.intervalMs,
      }))
      .sort((a, b) => a.at - b.at)[0];
    if (!pending) {
      run.phase = 'Successful';
      run.completedAt = Math.max(
        ...run.metrics.map(
          m => m.measurements[m.measurements.length - 1].finishedAt,
        ),
      );
      return true;
    }
    if (pending.at > now) return changed;
    const { m, at } = pending;
    try {
      const values = measure(m.query, at);
      const ok = evaluateCondition(m.successCondition, values);
      m.measurements.push({
        phase: ok ? 'Successful' : 'Failed',
        value: formatResult(values),
        startedAt: at,
        finishedAt: at,
      });
    } catch (e) {
      m.measurements.push({
        phase: 'Error',
        message: (e as Error).message,
        startedAt: at,
        finishedAt: at,
      });
    }
    changed = true;
    const failed = m.measurements.filter(x => x.phase === 'Failed').length;
    const errors = m.measurements.filter(x => x.phase === 'Error').length;
    if (failed > m.failureLimit) {
      run.phase = 'Failed';
      run.message = `Metric "${m.name}" assessed Failed due to failed (${failed}) > failureLimit (${m.failureLimit})`;
      run.completedAt = at;
    } else if (errors > 4) {
      run.phase = 'Error';
      run.message = `Metric "${m.name}" assessed Error due to consecutiveErrors (${errors}) > consecutiveErrorLimit (4)`;
      run.completedAt = at;
    }
  }
}

/** One reconciliation step; returns true when something changed. */
function step(r: RolloutState, now: number, measure: Measure): boolean {
  if (r.abort || isFullyPromoted(r)) return false;
  if (r.promoteFull) {
    completeRollout(r, Math.max(r.stepStartedAt, r.updatedAt));
    return true;
  }
  if (r.strategy === 'blueGreen') {
    if (r.pauseConditions.length === 0 && !r.controllerPause) {
      r.pauseConditions.push({
        reason: 'BlueGreenPause',
        startTime: r.stepStartedAt,
      });
      r.controllerPause = true;
      recordTraffic(r, r.stepStartedAt, 0);
      return true;
    }
    if (r.pauseConditions.length === 0 && r.controllerPause && !r.specPaused) {
      completeRollout(r, Math.max(r.stepStartedAt, r.updatedAt));
      return true;
    }
    return false;
  }
  if (r.currentStepIndex >= r.steps.length) {
    completeRollout(r, r.stepStartedAt);
    return true;
  }
  if (r.specPaused) return false;
  const current = r.steps[r.currentStepIndex];
  if ('setWeight' in current) {
    recordTraffic(r, r.stepStartedAt, current.setWeight);
    r.currentStepIndex++;
    return true;
  }
  if ('setCanaryScale' in current) {
    const scale = current.setCanaryScale;
    r.canaryScale = scale.matchTrafficWeight
      ? undefined
      : { weight: scale.weight, replicas: scale.replicas };
    r.currentStepIndex++;
    r.updatedAt = Math.max(r.updatedAt, r.stepStartedAt);
    return true;
  }
  if ('setMirrorRoute' in current) {
    // the router's mirror route follows from the steps passed (resources.ts)
    r.currentStepIndex++;
    r.updatedAt = Math.max(r.updatedAt, r.stepStartedAt);
    return true;
  }
  if ('experiment' in current) {
    const existing = currentExperiment(r);
    const experiment = existing ?? createExperiment(r, current);
    const end = experiment.createdAt + experiment.durationMs;
    if (now < end) return existing === undefined;
    experiment.phase = 'Successful';
    experiment.completedAt = end;
    r.currentStepIndex++;
    r.stepStartedAt = end;
    r.updatedAt = Math.max(r.updatedAt, end);
    return true;
  }
  if ('pause' in current) {
    if (r.pauseConditions.length === 0 && r.controllerPause) {
      // resumed by a user: the pause step is complete
      r.controllerPause = false;
      r.currentStepIndex++;
      r.stepStartedAt = Math.max(r.stepStartedAt, r.updatedAt);
      return true;
    }
    if (r.pauseConditions.length === 0) {
      r.pauseConditions.push({
        reason: 'CanaryPauseStep',
        startTime: r.stepStartedAt,
      });
      r.controllerPause = true;
      r.updatedAt = Math.max(r.updatedAt, r.stepStartedAt);
      return true;
    }
    const duration = parseDuration(current.pause.duration);
    const start = r.pauseConditions[0].startTime;
    if (duration !== undefined && now >= start + duration) {
      r.pauseConditions = [];
      r.controllerPause = false;
      r.currentStepIndex++;
      r.stepStartedAt = start + duration;
      r.updatedAt = Math.max(r.updatedAt, r.stepStartedAt);
      return true;
    }
    return false;
  }
  const run = currentRun(r) ?? createRun(r);
  const changed = measureRun(run, now, measure);
  if (run.phase === 'Successful') {
    r.currentStepIndex++;
    r.stepStartedAt = run.completedAt ?? now;
    r.updatedAt = Math.max(r.updatedAt, r.stepStartedAt);
    return true;
  }
  if (run.phase === 'Failed' || run.phase === 'Error') {
    abortRollout(r, run.completedAt ?? now, run.message);
    return true;
  }
  return changed;
}

/** Moves a Rollout forward to `now` the way the Argo Rollouts controller would. */
export function reconcileRollout(
  r: RolloutState,
  now: number,
  measure: Measure,
) {
  for (let i = 0; i < 10_000; i++) {
    if (!step(r, now, measure)) return;
  }
  throw new Error(`Rollout ${r.name} did not settle`);
}

/** Canary replica count for a weight (traffic-routed canaries scale to weight). */
export function canaryReplicas(r: RolloutState): number {
  if (isFullyPromoted(r) || r.abort) return 0;
  if (r.strategy === 'blueGreen') return r.replicas;
  // setCanaryScale decouples the canary's pods from its traffic weight
  if (r.canaryScale?.replicas !== undefined) return r.canaryScale.replicas;
  const weight = r.canaryScale?.weight ?? r.canaryWeight;
  return Math.ceil((r.replicas * weight) / 100);
}

/** The Rollout's status.phase and status.message. */
export function rolloutPhase(r: RolloutState): {
  phase: string;
  message: string;
} {
  if (r.abort)
    return { phase: 'Degraded', message: `RolloutAborted: ${r.abortMessage}` };
  if (isFullyPromoted(r)) return { phase: 'Healthy', message: '' };
  if (r.specPaused) return { phase: 'Paused', message: 'manually paused' };
  if (r.pauseConditions.length) {
    return { phase: 'Paused', message: r.pauseConditions[0].reason };
  }
  return { phase: 'Progressing', message: 'more replicas need to be updated' };
}
