import type {
  ApplicationView,
  PipelineStage,
  RolloutView,
} from '@gitops-delivery/backstage-plugin-delivery-common';
import { deploymentStatus } from './deploymentStatus';
import type { EnvironmentFacts } from './stages';

/** A stage's status and times, as the environment's state sets them. */
export type EnvironmentStatus = Pick<
  PipelineStage,
  'status' | 'message' | 'startedAt' | 'finishedAt'
>;

type Status = EnvironmentStatus;

function operationTimes(apps: ApplicationView[]) {
  const op = apps.find(a => a.operation)?.operation;
  return { startedAt: op?.startedAt, finishedAt: op?.finishedAt };
}

/** Status of Argo CD's reconciliation of an environment's applications. */
export function reconcileStatus(apps: ApplicationView[]): Status {
  const times = operationTimes(apps);
  if (apps.length === 0) {
    return { status: 'not-configured', message: 'No Argo CD application' };
  }
  const running = apps.find(a => a.operation?.phase === 'Running');
  if (running) {
    return { status: 'running', message: `${running.name}: syncing`, ...times };
  }
  const failed = apps.find(
    a => a.operation?.phase === 'Failed' || a.operation?.phase === 'Error',
  );
  if (failed) {
    return {
      status: 'failed',
      message: `${failed.name}: sync ${failed.operation?.phase}${
        failed.operation?.message ? `: ${failed.operation.message}` : ''
      }`,
      ...times,
    };
  }
  const drifted = apps.find(a => a.sync.status === 'OutOfSync');
  if (drifted) {
    return {
      status: 'waiting',
      message: `${drifted.name}: OutOfSync (live state differs from git)`,
      ...times,
    };
  }
  if (apps.some(a => a.sync.status === 'Unknown')) {
    return { status: 'unknown', message: 'Sync status unknown', ...times };
  }
  return { status: 'succeeded', message: 'Synced', ...times };
}

/** The state a Rollout gives its environment; undefined once promoted. */
export function rolloutStatus(rollout: RolloutView): Status | undefined {
  const stepInfo =
    rollout.currentStepIndex !== undefined && rollout.steps.length > 0
      ? ` at step ${Math.min(
          rollout.currentStepIndex + 1,
          rollout.steps.length,
        )}/${rollout.steps.length}`
      : '';
  if (rollout.aborted) {
    return {
      status: 'failed',
      message: `${rollout.name}: aborted${
        rollout.message ? `: ${rollout.message}` : ''
      }`,
    };
  }
  if (rollout.health.status === 'Degraded') {
    return {
      status: 'failed',
      message: `${rollout.name}: degraded${
        rollout.message ? `: ${rollout.message}` : ''
      }`,
    };
  }
  if (rollout.fullyPromoted) return undefined;
  if (rollout.pause) {
    return {
      status: 'running',
      message:
        rollout.strategy === 'blueGreen'
          ? `${rollout.name}: preview waiting for promotion`
          : `${rollout.name}: canary paused${stepInfo} (${rollout.canaryWeight}% canary)`,
      startedAt: rollout.pause.startedAt,
    };
  }
  return {
    status: 'running',
    message:
      rollout.strategy === 'blueGreen'
        ? `${rollout.name}: blue-green rollout in progress`
        : `${rollout.name}: canary${stepInfo} (${rollout.canaryWeight}% canary)`,
  };
}

/** The state of an environment as a whole: apps plus rollouts. */
export function environmentStatus(env: EnvironmentFacts): Status {
  const reconcile = reconcileStatus(env.applications);
  if (reconcile.status === 'not-configured') return reconcile;
  for (const rollout of env.rollouts) {
    const s = rolloutStatus(rollout);
    if (s?.status === 'failed') return s;
  }
  const deployments = (env.deployments ?? []).map(deploymentStatus);
  const stuck = deployments.find(s => s?.status === 'failed');
  if (stuck) return stuck;
  for (const rollout of env.rollouts) {
    const s = rolloutStatus(rollout);
    if (s) return s;
  }
  const rolling = deployments.find(s => s !== undefined);
  if (rolling) return rolling;
  if (reconcile.status === 'failed' || reconcile.status === 'running') {
    return reconcile;
  }
  const unhealthy = env.applications.find(
    a => a.health.status === 'Degraded' || a.health.status === 'Missing',
  );
  if (unhealthy) {
    return {
      status: 'failed',
      message: `${unhealthy.name}: ${unhealthy.health.status}${
        unhealthy.health.message ? `: ${unhealthy.health.message}` : ''
      }`,
      ...operationTimes(env.applications),
    };
  }
  const progressing = env.applications.find(
    a => a.health.status === 'Progressing' || a.health.status === 'Suspended',
  );
  if (progressing) {
    return {
      status: 'running',
      message: `${progressing.name}: ${progressing.health.status}`,
      ...operationTimes(env.applications),
    };
  }
  if (reconcile.status === 'waiting') return reconcile;
  if (env.applications.every(a => a.health.status === 'Healthy')) {
    return { ...reconcile, status: 'succeeded', message: 'Synced and healthy' };
  }
  return { status: 'unknown', message: 'Health unknown' };
}
