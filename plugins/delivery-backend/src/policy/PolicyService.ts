import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import { NotFoundError } from '@backstage/errors';
import type {
  EnvironmentView,
  PolicyEvaluation,
  PolicyResponse,
  RolloutView,
} from '@gitops-delivery/backstage-plugin-delivery-common';
import type { EntityRefParams } from '../services/EntityResolver/EntityResolver';
import type {
  DeliveryState,
  OverviewService,
  PrefetchTarget,
} from '../services/overview/OverviewService';
import {
  evaluateSelection,
  gateKindsOf,
  type GateKinds,
} from './evaluatePolicy';
import type { PolicyInput } from './PolicyInput';
import type { PolicyConfig } from '@gitops-delivery/backstage-plugin-delivery-node';
import { selectPolicy, type PolicySelection } from './selectPolicy';
import type { SignalsProvider } from './SignalsProvider';
import { guardGates } from '../guard/guardGates';

/** Where the policy gets the entity's delivery state from. @public */
export type RolloutLocator = Pick<OverviewService, 'getDeliveryState'>;

/** Evaluates promotion policies over fetched delivery state. @public */
export interface PolicyService {
  /** "Can I promote?" for every rollout of one environment of an entity. */
  dryRun(
    ref: EntityRefParams,
    credentials: BackstageCredentials,
    environment: string,
  ): Promise<PolicyResponse>;
  /** Evaluates one rollout (or, without one, the environment) of a loaded state. */
  evaluate(
    state: DeliveryState,
    environment: string,
    rollout: RolloutView | undefined,
    options?: {
      onlySlo?: boolean;
      /** Judge only the gates of these kinds (a rollback: the change windows). */
      kinds?: string[];
    },
  ): Promise<PolicyEvaluation>;
  /** The policy the entity is held to. */
  selectionFor(state: DeliveryState): PolicySelection;
  /**
   * Starts the signal reads `evaluate` will make for a Rollout as soon as
   * it is read (see OverviewContributor.prefetch): only those its policy's
   * gates read, so nothing is read that evaluating would not.
   */
  prefetch?(target: PrefetchTarget): void;
}

/**
 * What a policy is evaluated for in an environment: each rollout, or the
 * environment itself when it has none. Shared by the "can I promote?" route
 * and the overview's summary, so the two never disagree.
 */
export function policyTargets(
  environment: EnvironmentView,
): Array<RolloutView | undefined> {
  return environment.rollouts.length > 0 ? environment.rollouts : [undefined];
}

/**
 * "Can I promote?" answers what the action would: a Rollout whose
 * Application does not name the entity back (with the binding required) is
 * refused by the action route whatever the gates say, so the dry run says
 * so too, as a failing `binding` gate.
 */
export function withBinding(
  evaluation: PolicyEvaluation,
  rollout: RolloutView | undefined,
): PolicyEvaluation {
  const binding = rollout?.binding;
  if (!binding || binding.bound || !binding.enforced) return evaluation;
  return {
    ...evaluation,
    allowed: false,
    gates: [
      ...evaluation.gates,
      {
        name: 'binding',
        kind: 'binding',
        outcome: 'fail',
        blocking: true,
        reason:
          binding.reason ??
          `The Application of ${
            rollout!.name
          } does not name this entity back; actions on it are refused`,
        evidence: [],
      },
    ],
  };
}

/** Creates the PolicyService. @public */
export function createPolicyService(options: {
  config: PolicyConfig;
  locator: RolloutLocator;
  signals: SignalsProvider;
  now?: () => Date;
  /** The registered gate kinds; the built-in ones by default. */
  gateKinds?: GateKinds;
}): PolicyService {
  const { config, locator, signals } = options;
  const gateKinds = options.gateKinds ?? gateKindsOf();
  const now = options.now ?? (() => new Date());

  function selectionFor(state: DeliveryState): PolicySelection {
    return selectPolicy(config, state.entity.annotations.policy);
  }

  async function evaluate(
    state: DeliveryState,
    environment: string,
    rollout: RolloutView | undefined,
    evalOptions: { onlySlo?: boolean; kinds?: string[] } = {},
  ): Promise<PolicyEvaluation> {
    const selection = selectionFor(state);
    const gates = selection.policy?.gates ?? [];
    const { kinds } = evalOptions;
    // the guard judges the SLO gates and the security gates' runtime layer;
    // a rollback only the kinds it is held to
    let judged = gates;
    if (evalOptions.onlySlo) judged = guardGates(gates);
    else if (kinds) judged = gates.filter(g => kinds.includes(g.kind));
    const reads = new Set(
      judged.flatMap(g => gateKinds.get(g.kind)?.reads ?? []),
    );
    const subject = rollout && {
      entityRef: state.entity.entityRef,
      environment,
      serviceName: state.entity.annotations.prometheusServiceName,
      entity: state.entity,
      rollout,
      // the scans reuse the trees and Applications the state read
      applications: state.applications,
    };
    // fetch only what the policy's gates read
    const [slos, images] = await Promise.all([
      subject && reads.has('slos') ? signals.sloValues(subject) : undefined,
      // the security layers come with the image findings, in one read
      subject && (reads.has('images') || reads.has('security'))
        ? signals.imageFindings(subject)
        : undefined,
    ]);
    const input: PolicyInput = {
      now: now(),
      entity: state.entity,
      environment,
      environments: state.overview.environments,
      configuredEnvironments: state.configuredEnvironments,
      unreadInstances: state.overview.sources.flatMap(s =>
        s.source === 'argocd' && s.status === 'error'
          ? [{ instance: s.instance ?? '', message: s.message ?? 'failed' }]
          : [],
      ),
      rollout,
      slos: slos?.slos,
      slosError: slos?.error,
      images: images?.images,
      imagesError: images?.error,
      security: images?.security,
      securityError: images?.security ? undefined : images?.error,
    };
    if ((evalOptions.onlySlo || kinds) && selection.policy) {
      return evaluateSelection(
        {
          policy: {
            ...selection.policy,
            gates: judged,
          },
        },
        input,
        gateKinds,
      );
    }
    return evaluateSelection(selection, input, gateKinds);
  }

  return {
    selectionFor,
    evaluate,
    prefetch(target) {
      const gates =
        selectPolicy(config, target.entity.annotations.policy).policy?.gates ??
        [];
      const reads = new Set(
        gates.flatMap(g => gateKinds.get(g.kind)?.reads ?? []),
      );
      const subject = {
        entityRef: target.entity.entityRef,
        environment: target.environment,
        serviceName: target.entity.annotations.prometheusServiceName,
        entity: target.entity,
        rollout: target.view,
        applications: [target.application],
      };
      // the signal services' caches hand these to evaluate
      if (reads.has('slos')) {
        signals.sloValues(subject).catch(() => undefined);
      }
      if (reads.has('images') || reads.has('security')) {
        signals.imageFindings(subject).catch(() => undefined);
      }
    },
    async dryRun(ref, credentials, environment) {
      const state = await locator.getDeliveryState(ref, credentials, {
        contributors: false,
      });
      const env = state.overview.environments.find(e => e.name === environment);
      if (!env) {
        throw new NotFoundError(
          `${
            state.entity.entityRef
          } has no environment "${environment}" (found: ${
            state.overview.environments.map(e => e.name).join(', ') || 'none'
          })`,
        );
      }
      const evaluations = await Promise.all(
        policyTargets(env).map(async rollout =>
          withBinding(await evaluate(state, environment, rollout), rollout),
        ),
      );
      return {
        entityRef: state.entity.entityRef,
        environment,
        evaluations,
        sources: state.overview.sources,
      };
    },
  };
}
