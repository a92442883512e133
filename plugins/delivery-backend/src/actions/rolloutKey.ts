import type { RolloutView } from '@gitops-delivery/backstage-plugin-delivery-common';

/** Identifies one Rollout across Argo CD instances: the lock and audit key. */
export function rolloutKey(rollout: RolloutView): string {
  return [
    rollout.instance,
    rollout.appNamespace ?? '',
    rollout.application,
    rollout.namespace,
    rollout.name,
  ].join('/');
}

/**
 * The state an action was decided on. The same action on the same state
 * twice is a duplicate (a second click, a stale page): promoting twice from
 * one step would skip a step.
 */
export function actionFingerprint(
  action: string,
  rollout: RolloutView,
): string {
  return `${action}@${rollout.canaryPodHash ?? '-'}/${
    rollout.currentStepIndex ?? '-'
  }/${rollout.aborted ? 'aborted' : 'live'}`;
}
