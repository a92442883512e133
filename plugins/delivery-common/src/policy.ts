/*
 * Promotion policy definitions: what `delivery.policies.<name>` configures.
 * Plain data shared by the backend (which evaluates them) and the frontend
 * (which may explain them). The evaluation result model is in model.ts
 * (GateResult, PolicyEvaluation).
 */

import type { SecurityLayer, Severity } from './schema/openapi/generated';

/** The gate kinds a policy can use. @public */
export const GATE_KINDS = [
  'vulnerabilities',
  'slo',
  'soak',
  'analysis',
  'upstream-environment',
  'in-sync',
  'change-window',
  'canary-vs-stable',
  'security',
] as const;

/** One gate kind. @public */
export type GateKind = (typeof GATE_KINDS)[number];

/** Fields every gate has. @public */
export interface GateDefinitionBase {
  /** Name shown in results; defaults to the kind. */
  name: string;
  /** What an unknown result means: `fail` (default, fail closed) or `pass`. */
  onUnknown: 'fail' | 'pass';
}

/** At most `max[severity]` findings in the image being promoted. @public */
export interface VulnerabilitiesGateDefinition extends GateDefinitionBase {
  kind: 'vulnerabilities';
  /** Maximum findings per severity; severities not listed are not limited. */
  max: Partial<Record<Severity, number>>;
  /** Count only findings that have a fix. */
  onlyFixable: boolean;
}

/** A configured SLO (`delivery.slos`) of the canary against a threshold. @public */
export interface SloGateDefinition extends GateDefinitionBase {
  kind: 'slo';
  /** Name of a configured SLO, e.g. `error-rate`. */
  slo: string;
  /** Overrides the SLO's own threshold. */
  threshold?: number;
  /** Overrides the SLO's own comparison (`below`: healthy while value <= threshold). */
  comparison?: 'below' | 'above';
  /** When set, the canary may also be at most this much worse than stable. */
  maxWorseThanStable?: number;
}

/** Minimum time the rollout has spent at its current step. @public */
export interface SoakGateDefinition extends GateDefinitionBase {
  kind: 'soak';
  minutes: number;
}

/** The latest AnalysisRun of the canary's revision must be Successful. @public */
export interface AnalysisGateDefinition extends GateDefinitionBase {
  kind: 'analysis';
}

/** The previous environment is Synced and Healthy with the same image. @public */
export interface UpstreamEnvironmentGateDefinition extends GateDefinitionBase {
  kind: 'upstream-environment';
}

/** The environment's applications are Synced (no drift). @public */
export interface InSyncGateDefinition extends GateDefinitionBase {
  kind: 'in-sync';
}

/**
 * A change-freeze window. Either a one-off period (`start`/`end`, local
 * date-times `YYYY-MM-DDTHH:mm` in the gate's time zone) or a weekly one
 * (`days` plus `from`/`to`, `HH:mm`; `to` may be before `from` to cross
 * midnight).
 *
 * @public
 */
export type FreezeWindow =
  | { name: string; start: string; end: string }
  | { name: string; days: Weekday[]; from: string; to: string };

/** A day of the week, lower-case English three-letter form. @public */
export type Weekday = 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun';

/** Deny promotion inside configured freeze windows. @public */
export interface ChangeWindowGateDefinition extends GateDefinitionBase {
  kind: 'change-window';
  /** IANA time zone the windows are written in, e.g. `Europe/Berlin`. */
  timeZone: string;
  freezes: FreezeWindow[];
}

/**
 * The canary no worse than stable for one SLO over the soak window: a
 * one-sided Mann-Whitney U test on the two series plus a minimum effect
 * size; too few samples is unknown. @public
 */
export interface CanaryVsStableGateDefinition extends GateDefinitionBase {
  kind: 'canary-vs-stable';
  /** Name of a configured SLO, e.g. `error-rate`; its comparison says which way is worse. */
  slo: string;
  /** Window compared, in minutes back from now (the soak). Default 10. */
  windowMinutes?: number;
  /** Significance level of the one-sided test. Default 0.05. */
  alpha?: number;
  /** Smallest rank-biserial effect (0..1) that counts as worse. Default 0.3. */
  minEffect?: number;
  /** Fewest values per side to judge at all. Default 8. */
  minSamples?: number;
}

/** The budget of one security layer in a `security` gate. @public */
export interface SecurityLayerBudget {
  /** Maximum findings per severity; severities not listed are not limited. */
  max: Partial<Record<Severity, number>>;
  /** Count only the canary's findings that stable does not have. */
  newOnly?: boolean;
  /**
   * When no source of the layer is configured: `fail` (default, fail
   * closed) or `pass`. A configured source that fails is always unknown.
   */
  onMissing?: 'fail' | 'pass';
}

/**
 * Per-layer budgets over the five security layers of the rollout being
 * promoted (sast, sca, image, runtime, iac); layers not listed are not
 * judged. @public
 */
export interface SecurityGateDefinition extends GateDefinitionBase {
  kind: 'security';
  layers: Partial<Record<SecurityLayer, SecurityLayerBudget>>;
}

/** One gate of a policy. @public */
export type GateDefinition =
  | VulnerabilitiesGateDefinition
  | SloGateDefinition
  | SoakGateDefinition
  | AnalysisGateDefinition
  | UpstreamEnvironmentGateDefinition
  | InSyncGateDefinition
  | ChangeWindowGateDefinition
  | CanaryVsStableGateDefinition
  | SecurityGateDefinition;

/** A named promotion policy: gates in evaluation order. @public */
export interface PolicyDefinition {
  name: string;
  description?: string;
  gates: GateDefinition[];
}

/** Name of the built-in policy used when none is configured. @public */
export const BUILT_IN_POLICY_NAME = 'default';
