import {
  formatQuantity,
  type SoakGateDefinition,
} from '@gitops-delivery/backstage-plugin-delivery-common';
import {
  noCanaryReason,
  notApplicable,
  unknown,
  type GateVerdict,
  type PolicyInput,
} from '../PolicyInput';

/** The rollout has spent at least `minutes` at its current step. */
export function soakGate(
  gate: SoakGateDefinition,
  input: PolicyInput,
): GateVerdict {
  if (!input.rollout) {
    return notApplicable(noCanaryReason(input, 'to soak'));
  }
  const since = input.stepStartedAt ?? input.rollout.pause?.startedAt;
  const started = since ? Date.parse(since) : NaN;
  if (Number.isNaN(started)) {
    return unknown(
      'The time the rollout reached its current step is not known',
    );
  }
  const minutes = Math.max(0, (input.now.getTime() - started) / 60_000);
  const rounded = Math.floor(minutes * 10) / 10;
  const evidence = [
    {
      label: 'time at current step',
      value: rounded,
      threshold: gate.minutes,
      unit: 'minutes',
      comparison: 'above' as const,
    },
    { label: 'step reached at', value: new Date(started).toISOString() },
  ];
  if (minutes < gate.minutes) {
    return {
      outcome: 'fail',
      reason: `Soaked ${formatQuantity(rounded)} of ${formatQuantity(
        gate.minutes,
        'minutes',
      )} at the current step`,
      evidence,
    };
  }
  return {
    outcome: 'pass',
    reason: `Soaked ${formatQuantity(
      rounded,
      'minutes',
    )} at the current step (at least ${formatQuantity(
      gate.minutes,
      'minutes',
    )})`,
    evidence,
  };
}
