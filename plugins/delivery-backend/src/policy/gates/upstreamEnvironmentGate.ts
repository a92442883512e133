import type { UpstreamEnvironmentGateDefinition } from '@gitops-delivery/backstage-plugin-delivery-common';
import { unknown, type GateVerdict, type PolicyInput } from '../PolicyInput';

/** The previous environment is Synced and Healthy and runs the image being promoted. */
export function upstreamEnvironmentGate(
  _gate: UpstreamEnvironmentGateDefinition,
  input: PolicyInput,
): GateVerdict {
  const index = input.environments.findIndex(e => e.name === input.environment);
  if (index < 0) {
    return unknown(`The environment "${input.environment}" was not found`);
  }
  if (index === 0) {
    return {
      outcome: 'pass',
      reason: `${input.environment} is the first environment; nothing is upstream`,
      evidence: [],
    };
  }
  const previous = input.environments[index - 1];
  if (previous.applications.length === 0) {
    return unknown(
      `No application was found in the previous environment ${previous.name}`,
    );
  }
  const promoted = promotedImages(input);
  if (promoted.length === 0) {
    return unknown('The image being promoted is not known');
  }
  const upstreamImages = new Set([
    ...previous.applications.flatMap(a => a.images),
    ...previous.rollouts.flatMap(r =>
      r.fullyPromoted ? r.canaryImages : r.stableImages,
    ),
  ]);
  const evidence = [
    ...previous.applications.map(a => ({
      label: `${previous.name}: ${a.name}`,
      value: `${a.sync.status} / ${a.health.status}`,
      threshold: 'Synced / Healthy',
    })),
    { label: 'image being promoted', value: promoted.join(', ') },
    { label: `${previous.name} images`, value: [...upstreamImages].join(', ') },
  ];
  const unhealthy = previous.applications.filter(
    a =>
      a.sync.status === 'OutOfSync' ||
      !['Healthy', 'Unknown'].includes(a.health.status),
  );
  if (unhealthy.length > 0) {
    return {
      outcome: 'fail',
      reason: `${previous.name} is not Synced and Healthy: ${unhealthy
        .map(a => `${a.name} is ${a.sync.status} / ${a.health.status}`)
        .join('; ')}`,
      evidence,
    };
  }
  const missing = promoted.filter(image => !upstreamImages.has(image));
  if (missing.length > 0) {
    return {
      outcome: 'fail',
      reason: `${previous.name} does not run ${missing.join(', ')}`,
      evidence,
    };
  }
  const undetermined = previous.applications.filter(
    a => a.sync.status === 'Unknown' || a.health.status === 'Unknown',
  );
  if (undetermined.length > 0) {
    return unknown(
      `The sync or health status of ${undetermined
        .map(a => a.name)
        .join(', ')} in ${previous.name} is Unknown`,
      evidence,
    );
  }
  return {
    outcome: 'pass',
    reason: `${previous.name} is Synced and Healthy and runs ${promoted.join(
      ', ',
    )}`,
    evidence,
  };
}

function promotedImages(input: PolicyInput): string[] {
  if (input.rollout && input.rollout.canaryImages.length > 0) {
    return input.rollout.canaryImages;
  }
  const env = input.environments.find(e => e.name === input.environment);
  return [...new Set(env?.applications.flatMap(a => a.images) ?? [])];
}
