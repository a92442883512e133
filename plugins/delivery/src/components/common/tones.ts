import type {
  GateOutcome,
  HealthStatus,
  StageStatus,
} from '@gitops-delivery/backstage-plugin-delivery-common';
import type { RolloutState } from '../../lib/rollout';
import type { StatusTone } from './StatusLabel';

/** Tone of a pipeline stage status. */
export const STAGE_TONES: Record<StageStatus, StatusTone> = {
  succeeded: 'ok',
  running: 'running',
  failed: 'error',
  waiting: 'pending',
  unknown: 'warning',
  'not-configured': 'aborted',
};

/** Tone of an Argo CD health status. */
export const HEALTH_TONES: Record<HealthStatus, StatusTone> = {
  Healthy: 'ok',
  Progressing: 'running',
  Degraded: 'error',
  Suspended: 'pending',
  Missing: 'warning',
  Unknown: 'warning',
};

/** Tone of a gate outcome. */
export const GATE_TONES: Record<GateOutcome, StatusTone> = {
  pass: 'ok',
  fail: 'error',
  unknown: 'warning',
  'not-applicable': 'aborted',
};

/** Tone of a rollout state. */
export const ROLLOUT_TONES: Record<RolloutState, StatusTone> = {
  aborted: 'error',
  promoted: 'ok',
  paused: 'pending',
  progressing: 'running',
  degraded: 'error',
  healthy: 'ok',
};

/** Tone of an analysis run or measurement phase. */
export function analysisTone(phase: string): StatusTone {
  switch (phase) {
    case 'Successful':
      return 'ok';
    case 'Failed':
    case 'Error':
      return 'error';
    case 'Inconclusive':
      return 'warning';
    case 'Running':
      return 'running';
    default:
      return 'pending';
  }
}
