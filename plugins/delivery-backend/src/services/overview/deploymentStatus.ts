import {
  formatSeconds,
  type DeploymentView,
} from '@gitops-delivery/backstage-plugin-delivery-common';
import type { EnvironmentStatus } from './environmentStatus';

/**
 * The state a plain Deployment gives its environment: failed when stuck
 * past its progress deadline, running while it rolls; undefined once
 * complete.
 */
export function deploymentStatus(
  d: DeploymentView,
): EnvironmentStatus | undefined {
  const { replicas } = d;
  switch (d.state) {
    case 'stuck':
      return {
        status: 'failed',
        message: `${d.name}: rollout stuck: ${
          d.progressing?.message ?? 'progress deadline exceeded'
        }`,
        startedAt: d.progressing?.lastTransitionTime,
      };
    case 'progressing':
      return {
        status: 'running',
        message:
          d.strategy === 'recreate'
            ? `${d.name}: recreating (${replicas.updated}/${
                replicas.desired
              } new, ${replicas.available} available${
                d.downtime ? `, down ${formatSeconds(d.downtime.seconds)}` : ''
              })`
            : `${d.name}: rolling update (${replicas.updated}/${replicas.desired} updated, ${replicas.available} available)`,
        startedAt: d.progressing?.lastTransitionTime,
      };
    case 'paused':
      return { status: 'waiting', message: `${d.name}: rollout paused` };
    default:
      return undefined;
  }
}
