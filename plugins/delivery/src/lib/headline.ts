import {
  formatAgainstThreshold,
  formatQuantity,
  type EnvironmentView,
  type GateResult,
  type PolicyEvaluation,
  type RolloutView,
} from '@gitops-delivery/backstage-plugin-delivery-common';
import { formatDuration } from './format';

/** The answer first: one sentence per environment, and whether it is changing. */
export interface EnvironmentHeadline {
  /** Where the change is, whether it is healthy, the next step or what blocks it. */
  text: string;
  /** The sentence's state, for its icon (never its only carrier). */
  tone: 'ok' | 'error' | 'warning' | 'running' | 'pending' | 'aborted';
  /** A rollout in progress, an aborted one, or an application syncing: shown open. */
  changing: boolean;
}

/** The version of an image reference: its tag, else a short digest. */
export function imageVersion(image?: string): string | undefined {
  if (!image) return undefined;
  const digest = /@sha256:([0-9a-f]{7})/i.exec(image);
  if (digest) return `sha256:${digest[1]}`;
  const name = image.slice(image.lastIndexOf('/') + 1);
  const colon = name.lastIndexOf(':');
  return colon >= 0 ? name.slice(colon + 1) : 'latest';
}

/** The rollout of the environment that is changing, if any. */
export function changingRollout(env: EnvironmentView): RolloutView | undefined {
  return env.rollouts.find(r => r.aborted || !r.fullyPromoted);
}

function healthOf(env: EnvironmentView, rollout: RolloutView): string {
  const slo = env.summary?.slo;
  if (slo?.status === 'breach' && slo.worst) {
    return `unhealthy: ${slo.worst.name} ${formatAgainstThreshold(
      slo.worst.value,
      slo.worst.threshold,
      'below',
      unitOfSlo(slo.worst.name),
    )}`;
  }
  if (rollout.phase === 'Degraded' || rollout.health.status === 'Degraded') {
    return 'degraded';
  }
  if (slo?.status === 'ok') return 'healthy';
  return 'health not measured yet';
}

function unitOfSlo(name: string): string | undefined {
  if (name === 'error-rate') return 'ratio';
  if (name.startsWith('latency')) return 'seconds';
  return undefined;
}

/** What a blocking gate still needs, from its evidence: `3.8 of 10 min`, `0.2% > 0.1%`. */
export function gateDetail(gate: GateResult): string | undefined {
  const measured = gate.evidence.find(
    e => typeof e.threshold === 'number' && typeof e.value === 'number',
  );
  if (!measured) return undefined;
  const value = measured.value as number;
  const threshold = measured.threshold as number;
  if (measured.unit === 'minutes') {
    // the unit once, after the bound
    return `${formatQuantity(value)} of ${formatQuantity(
      threshold,
      'minutes',
    )}`;
  }
  if (measured.comparison) {
    return formatAgainstThreshold(
      value,
      threshold,
      measured.comparison,
      measured.unit,
    );
  }
  // a count against its limit ("CRITICAL findings 1, threshold 0"): named,
  // since "1 of 0" says nothing
  return `${measured.label} ${formatQuantity(
    value,
    measured.unit,
  )}, threshold ${formatQuantity(threshold, measured.unit)}`;
}

function nextStep(
  env: EnvironmentView,
  rollout: RolloutView,
  evaluation?: PolicyEvaluation,
): string {
  const policy = env.summary?.policy;
  // what blocks: failed gates first, then unknown ones
  const blocking = [
    ...(evaluation?.gates.filter(g => g.blocking && g.outcome === 'fail') ??
      []),
    ...(evaluation?.gates.filter(g => g.blocking && g.outcome === 'unknown') ??
      []),
  ];
  if (blocking.length > 0) {
    const first = blocking[0];
    const detail = gateDetail(first);
    const more = blocking.length > 1 ? ` and ${blocking.length - 1} more` : '';
    // time resolves a soak by itself; a failed check needs a change
    const waits =
      first.outcome === 'unknown' ||
      first.evidence.some(e => e.unit === 'minutes');
    return `promotion ${waits ? 'waits for' : 'is blocked by'} the ${
      first.name
    }${detail ? `: ${detail}` : ''}${more}`;
  }
  if (policy && !policy.allowed && policy.failing.length > 0) {
    return `promotion waits for ${policy.failing.join(', ')}`;
  }
  const left = rollout.pause?.remainingSeconds;
  if (left !== undefined) return `next step in ${formatDuration(left)}`;
  if (rollout.pause) return 'ready to promote: the rollout waits for a person';
  return 'moving to the next step';
}

/**
 * The environment's headline: "1.5.0 is at 25% in production, healthy;
 * promotion waits for the soak: 3.8 of 10 min." Pass the environment's
 * policy evaluation, when loaded, to name what the blocking gate still
 * needs; the overview alone names the blocking gates.
 */
export function environmentHeadline(
  env: EnvironmentView,
  evaluation?: PolicyEvaluation,
): EnvironmentHeadline {
  const rollout = changingRollout(env);
  if (rollout) {
    const version = imageVersion(rollout.canaryImages[0]) ?? 'The change';
    const stable = imageVersion(rollout.stableImages[0]);
    if (rollout.aborted) {
      return {
        text: `${version} was aborted in ${env.name}; ${
          stable ?? 'stable'
        } serves all traffic. Next: fix and retry, or roll forward.`,
        tone: 'error',
        changing: true,
      };
    }
    const where =
      rollout.strategy === 'blueGreen'
        ? `in preview in ${env.name}`
        : `at ${rollout.canaryWeight}% in ${env.name}`;
    const health = healthOf(env, rollout);
    const next = nextStep(env, rollout, evaluation);
    const blocked = next.startsWith('promotion waits');
    let tone: EnvironmentHeadline['tone'] = blocked ? 'pending' : 'running';
    if (health !== 'healthy' && health !== 'health not measured yet') {
      tone = 'error';
    }
    return {
      text: `${version} is ${where}, ${health}; ${next}.`,
      tone,
      changing: true,
    };
  }
  const version =
    imageVersion(env.rollouts[0]?.stableImages[0]) ??
    imageVersion(env.applications[0]?.images[0]);
  const apps = env.applications;
  const syncing = apps.some(
    a => a.sync.status === 'OutOfSync' || a.health.status === 'Progressing',
  );
  const unhealthy = apps.filter(
    a => a.health.status !== 'Healthy' && a.health.status !== 'Progressing',
  );
  let state = 'Synced and Healthy';
  let tone: EnvironmentHeadline['tone'] = 'ok';
  if (unhealthy.length > 0) {
    state = unhealthy.map(a => `${a.name} ${a.health.status}`).join(', ');
    tone = 'error';
  } else if (syncing) {
    state = 'syncing';
    tone = 'running';
  }
  return {
    text: `${version ?? 'Nothing'} ${version ? 'runs' : 'is deployed'} in ${
      env.name
    }, ${state}; no promotion pending.`,
    tone,
    changing: syncing,
  };
}
