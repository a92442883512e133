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
  if (index === 0) return firstOfTheEntity(input);
  const previous = input.environments[index - 1];
  const skipped = skippedOnUnreadInstance(input, previous.name);
  if (skipped) return skipped;
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

/**
 * The entity has no application before this environment. Only the first
 * configured environment has nothing upstream; for any other, the absence
 * of an upstream application is no evidence that the image ran there, so
 * the gate is unknown (and, by default, closed) and says why.
 */
function firstOfTheEntity(input: PolicyInput): GateVerdict {
  const configured = input.configuredEnvironments;
  const order = configured?.join(' → ') ?? '';
  const unread = input.unreadInstances ?? [];
  const evidence = [
    ...(configured
      ? [{ label: 'delivery.environments', value: order || '(none)' }]
      : []),
    ...unread.map(u => ({
      label: `Argo CD instance ${u.instance}`,
      value: u.message,
    })),
  ];
  // an environment the entity has may be on an instance that failed
  const because =
    unread.length > 0
      ? `; Argo CD instance${unread.length > 1 ? 's' : ''} ${unread
          .map(u => `"${u.instance}"`)
          .join(', ')} could not be read, and may hold it`
      : '';
  if (!configured) {
    return unknown(
      `The configured order of environments is not known, so the environment before ${input.environment} is not known`,
      evidence,
    );
  }
  const position = configured.indexOf(input.environment);
  if (position === 0) {
    return {
      outcome: 'pass',
      reason: `${input.environment} is the first environment in delivery.environments; nothing is upstream`,
      evidence,
    };
  }
  if (position < 0) {
    return unknown(
      `${input.environment} is not in delivery.environments (${order}), so the environment before it is not known${because}`,
      evidence,
    );
  }
  const before = configured[position - 1];
  return unknown(
    `No application of the entity was found in ${before} or any environment before ${input.environment}, so nothing shows that the image ran upstream${because}`,
    evidence,
  );
}

/**
 * An entity may skip a configured environment; but when an Argo CD
 * instance could not be read, the skipped environment may be on it, and
 * the one before it is not the upstream one.
 */
function skippedOnUnreadInstance(
  input: PolicyInput,
  previous: string,
): GateVerdict | undefined {
  const configured = input.configuredEnvironments ?? [];
  const unread = input.unreadInstances ?? [];
  const from = configured.indexOf(previous);
  const to = configured.indexOf(input.environment);
  if (unread.length === 0 || from < 0 || to <= from + 1) return undefined;
  const skipped = configured.slice(from + 1, to);
  return unknown(
    `No application of the entity was found in ${skipped.join(
      ', ',
    )}, between ${previous} and ${input.environment}; Argo CD instance${
      unread.length > 1 ? 's' : ''
    } ${unread
      .map(u => `"${u.instance}"`)
      .join(', ')} could not be read, and may hold it`,
    unread.map(u => ({
      label: `Argo CD instance ${u.instance}`,
      value: u.message,
    })),
  );
}

function promotedImages(input: PolicyInput): string[] {
  if (input.rollout && input.rollout.canaryImages.length > 0) {
    return input.rollout.canaryImages;
  }
  const env = input.environments.find(e => e.name === input.environment);
  return [...new Set(env?.applications.flatMap(a => a.images) ?? [])];
}
