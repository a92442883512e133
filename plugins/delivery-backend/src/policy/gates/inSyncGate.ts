import type { InSyncGateDefinition } from '@gitops-delivery/backstage-plugin-delivery-common';
import { unknown, type GateVerdict, type PolicyInput } from '../PolicyInput';

/** Every application of the environment is Synced: no drift from Git. */
export function inSyncGate(
  _gate: InSyncGateDefinition,
  input: PolicyInput,
): GateVerdict {
  const env = input.environments.find(e => e.name === input.environment);
  const apps = (env?.applications ?? []).filter(
    a => !input.rollout || a.name === input.rollout.application,
  );
  if (apps.length === 0) {
    return unknown(`No application was found in ${input.environment}`);
  }
  const evidence = apps.map(a => ({
    label: a.name,
    value: a.sync.status,
    threshold: 'Synced',
  }));
  const drifted = apps.filter(a => a.sync.status === 'OutOfSync');
  if (drifted.length > 0) {
    return {
      outcome: 'fail',
      reason: `${drifted.map(a => a.name).join(', ')} is OutOfSync with Git`,
      evidence,
    };
  }
  if (apps.some(a => a.sync.status !== 'Synced')) {
    return unknown('The sync status is Unknown', evidence);
  }
  return { outcome: 'pass', reason: 'Synced with Git; no drift', evidence };
}
