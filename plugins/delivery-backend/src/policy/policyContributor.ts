import type { LoggerService } from '@backstage/backend-plugin-api';
import type {
  EnvironmentSummary,
  PolicyEvaluation,
  SourceStatus,
} from '@gitops-delivery/backstage-plugin-delivery-common';
import type { OverviewContributor } from '../services/overview/OverviewService';
import {
  policyTargets,
  withBinding,
  type PolicyService,
} from './PolicyService';

/** The overview's one-line policy summary of an environment. */
export type PolicySummary = NonNullable<EnvironmentSummary['policy']>;

/**
 * Sums up an environment's evaluations (one per rollout): allowed only when
 * every one is; `failing` names each blocking gate once, in policy order;
 * `pending` is false when no evaluation has a promotion to decide (no
 * rollout, or every rollout fully promoted), which the card shows as "no
 * promotion pending" rather than "blocked".
 */
export function summarizePolicy(
  evaluations: PolicyEvaluation[],
): PolicySummary {
  const failing = new Set<string>();
  for (const evaluation of evaluations) {
    for (const gate of evaluation.gates) {
      if (gate.blocking) failing.add(gate.name);
    }
  }
  return {
    allowed: evaluations.length > 0 && evaluations.every(e => e.allowed),
    failing: [...failing],
    pending: evaluations.some(e => e.promotionPending !== false),
  };
}

function causeOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Fills each environment's `summary.policy` (the overview card's gates
 * column) with the same evaluation the "can I promote?" route gives. It
 * reads the state the overview already fetched; SLO values and scan results
 * come through the signal services' caches, which coalesce them with the
 * signal summaries' identical reads. An environment whose evaluation fails
 * keeps no policy summary and is named in the `policy` source status; the
 * rest of the view is untouched. So is an environment whose own Argo CD
 * data is incomplete (a tree, Rollout or AnalysisRun read failed): gates
 * evaluated over what could not be read (soak, analysis) would show as
 * blocking for a reason that is not theirs.
 */
export function createPolicyContributor(
  policy: Pick<PolicyService, 'evaluate' | 'prefetch'>,
  logger?: LoggerService,
): OverviewContributor {
  return {
    source: 'policy',
    prefetch: policy.prefetch ? target => policy.prefetch?.(target) : undefined,
    async contribute(state) {
      if (state.overview.environments.length === 0) return [];
      const failures = await Promise.all(
        state.overview.environments.map(async environment => {
          const unread = state.applications.filter(
            a => a.environment === environment.name && a.incomplete?.length,
          );
          if (unread.length > 0) {
            return `${
              environment.name
            }: its Argo CD data is incomplete (${unread
              .map(a => `${a.ref.name}: ${a.incomplete!.join('; ')}`)
              .join('; ')})`;
          }
          try {
            const evaluations = await Promise.all(
              policyTargets(environment).map(async rollout =>
                withBinding(
                  await policy.evaluate(state, environment.name, rollout),
                  rollout,
                ),
              ),
            );
            environment.summary = {
              ...environment.summary,
              policy: summarizePolicy(evaluations),
            };
            return undefined;
          } catch (error) {
            return `${environment.name}: ${causeOf(error)}`;
          }
        }),
      );
      const errors = failures.filter((f): f is string => f !== undefined);
      for (const error of errors) {
        logger?.warn(
          `Delivery overview: policy of ${state.overview.entityRef} ${error}`,
        );
      }
      const status: SourceStatus =
        errors.length > 0
          ? {
              source: 'policy',
              status: 'error',
              message: `The policy could not be evaluated for ${errors.join(
                '; ',
              )}`,
            }
          : { source: 'policy', status: 'ok' };
      return [status];
    },
  };
}
