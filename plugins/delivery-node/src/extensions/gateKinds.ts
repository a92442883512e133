import { createExtensionPoint } from '@backstage/backend-plugin-api';
import type {
  EnvironmentView,
  GateDefinitionBase,
  GateEvidence,
  GateOutcome,
  ImageVulnerabilities,
  RolloutView,
  SecurityLayerView,
  SloMetricView,
} from '@gitops-delivery/backstage-plugin-delivery-common';
import type { z } from 'zod/v3';
import type { DeliveryEntityInfo } from './entity';

/**
 * Everything a gate is evaluated over: data the backend has already
 * fetched. `undefined` means "could not be fetched"; the matching `*Error`
 * says why, so unknown results can explain themselves.
 *
 * @public
 */
export interface GateInput {
  /** The evaluation time (injected so evaluation stays pure). */
  now: Date;
  /** The entity the policy is evaluated for, when known. */
  entity?: DeliveryEntityInfo;
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
  /** The five security layers of the rollout being promoted. */
  security?: SecurityLayerView[];
  /** Why `security` is missing. */
  securityError?: string;
}

/** What one gate decides, before the policy adds its name and `blocking`. @public */
export interface GateVerdict {
  outcome: GateOutcome;
  reason: string;
  evidence: GateEvidence[];
}

/** A configured gate of any registered kind. @public */
export type PolicyGate = GateDefinitionBase & { kind: string };

/** The zod the gate schemas are written with (`zod/v3`). @public */
export type GateSchemaZod = typeof z;

/**
 * A kind of policy gate: the keys its config takes (besides `kind`, `name`
 * and `onUnknown`, which every gate has) and how it is evaluated.
 *
 * @public
 */
export interface GateKindDefinition<
  TShape extends z.ZodRawShape = z.ZodRawShape,
> {
  /** The `kind` of the gate in `delivery.policies.<name>.gates[]`. */
  kind: string;
  /**
   * The gate's own config keys, as a zod object shape (unknown keys are
   * rejected). A config the schema rejects fails start-up with a message
   * naming the key.
   */
  configSchema: (zod: GateSchemaZod) => TShape;
  /**
   * The signals the gate reads, so that they are fetched for it: `slos`
   * (GateInput.slos), `images` (GateInput.images) and `security`
   * (GateInput.security). Argo CD state is always there.
   */
  reads?: ReadonlyArray<'slos' | 'images' | 'security'>;
  /**
   * Decides the gate. Throwing (or rejecting) makes it `unknown` with the
   * error's message, so one broken gate never hides the others.
   */
  evaluate(
    gate: PolicyGate & z.infer<z.ZodObject<TShape>>,
    input: GateInput,
  ): GateVerdict | Promise<GateVerdict>;
}

/** Types a gate kind's `evaluate` from its `configSchema`. @public */
export function createGateKind<TShape extends z.ZodRawShape>(
  definition: GateKindDefinition<TShape>,
): GateKindDefinition<TShape> {
  return definition;
}

/** The interface of {@link deliveryGateKindsExtensionPoint}. @public */
export interface DeliveryGateKindsExtensionPoint {
  addGateKind<TShape extends z.ZodRawShape>(
    definition: GateKindDefinition<TShape>,
  ): void;
}

/**
 * Adds promotion-policy gate kinds to the Delivery backend; policies in
 * `delivery.policies` can then use them. The built-in kinds are registered
 * through it too.
 *
 * @public
 */
export const deliveryGateKindsExtensionPoint =
  createExtensionPoint<DeliveryGateKindsExtensionPoint>({
    id: 'delivery.gate-kinds',
  });
