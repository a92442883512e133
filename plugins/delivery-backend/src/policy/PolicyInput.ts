import type {
  EnvironmentView,
  GateEvidence,
  GateOutcome,
  ImageVulnerabilities,
  RolloutView,
  SloMetricView,
} from '@gitops-delivery/backstage-plugin-delivery-common';

/**
 * Everything a policy is evaluated over: data the backend has already
 * fetched. `undefined` means "could not be fetched"; the matching `*Error`
 * says why, so unknown results can explain themselves.
 */
export interface PolicyInput {
  /** The evaluation time (injected so evaluation stays pure). */
  now: Date;
  /** The environment being promoted. */
  environment: string;
  /** All of the entity's environments, in promotion order. */
  environments: EnvironmentView[];
  /**
   * The configured environment names in promotion order
   * (`delivery.environments`): what comes before an environment even where
   * the entity has no application.
   */
  configuredEnvironments?: string[];
  /**
   * Argo CD instances whose applications could not all be read, with why:
   * an environment missing from `environments` may be on one of them.
   */
  unreadInstances?: Array<{ instance: string; message: string }>;
  /** The rollout being promoted, when the environment has one. */
  rollout?: RolloutView;
  /** When the rollout reached its current step, if known beyond `rollout.pause`. */
  stepStartedAt?: string;
  /** SLO values of the rollout (canary and stable). */
  slos?: SloMetricView[];
  /** Why `slos` is missing. */
  slosError?: string;
  /** Findings of each image being promoted. */
  images?: ImageVulnerabilities[];
  /** Why `images` is missing. */
  imagesError?: string;
}

/** What one gate function decides, before the policy adds name and blocking. */
export interface GateVerdict {
  outcome: GateOutcome;
  reason: string;
  evidence: GateEvidence[];
}

/** Shorthand for an unknown verdict. */
export function unknown(
  reason: string,
  evidence: GateEvidence[] = [],
): GateVerdict {
  return { outcome: 'unknown', reason, evidence };
}

/**
 * Shorthand for a gate that needs a canary where the environment has no
 * rollout: not applicable, never blocking.
 */
export function notApplicable(reason: string): GateVerdict {
  return { outcome: 'not-applicable', reason, evidence: [] };
}

/** Why a gate that needs a canary does not apply to an environment without a rollout. */
export const NO_CANARY_REASON =
  'Not applicable: the environment has no rollout, so there is no canary';
