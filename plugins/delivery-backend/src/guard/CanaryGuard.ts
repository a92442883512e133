import type { AuthService, LoggerService } from '@backstage/backend-plugin-api';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import { type AuditRecord } from '@gitops-delivery/backstage-plugin-delivery-common';
import { createHash } from 'node:crypto';
import type { ActionService } from '../actions/ActionService';
import { unboundReason } from '../actions/binding';
import { rolloutKey } from '../actions/rolloutKey';
import { listDeliveryEntities } from '../services/EntityResolver/listDeliveryEntities';
import type { PolicyService, RolloutLocator } from '../policy/PolicyService';

/** What one guard tick did. @public */
export interface GuardTick {
  /** Progressing canaries whose SLO gates were evaluated. */
  checked: number;
  /** Aborts this tick sent or replayed. */
  aborted: AuditRecord[];
  /** Entities or rollouts that could not be checked, explained. */
  errors: string[];
}

/** Watches progressing canaries and aborts those whose SLO gates fail. @public */
export interface CanaryGuard {
  runOnce(): Promise<GuardTick>;
}

/**
 * Creates the canary guard. It acts as the plugin's own service principal
 * through the same action path as people (permission, lock, audit, Argo CD),
 * recorded with decision `guard` and the failing gates as evidence. Only a
 * gate that fails aborts: an unknown value (a Prometheus outage) is logged,
 * not acted on, so a monitoring outage cannot roll back every canary.
 */
export function createCanaryGuard(options: {
  catalog: CatalogService;
  auth: AuthService;
  locator: RolloutLocator;
  policy: PolicyService;
  actions: ActionService;
  logger: LoggerService;
}): CanaryGuard {
  const { catalog, auth, locator, policy, actions, logger } = options;

  return {
    async runOnce() {
      const credentials = await auth.getOwnServiceCredentials();
      const tick: GuardTick = { checked: 0, aborted: [], errors: [] };
      // entities can share Applications; each Rollout is judged once per tick
      const seen = new Set<string>();
      for (const ref of await listDeliveryEntities(catalog, credentials)) {
        try {
          const state = await locator.getDeliveryState(ref, credentials, {
            fresh: true,
            contributors: false,
          });
          const canaries = state.rollouts.filter(
            r =>
              r.view.strategy === 'canary' &&
              !r.view.aborted &&
              !r.view.fullyPromoted &&
              r.view.canaryPodHash !== undefined &&
              r.view.canaryPodHash !== r.view.stablePodHash,
          );
          for (const live of canaries) {
            // before `seen`: an entity that merely found the Rollout must
            // not keep the entity it belongs to from being judged
            const unbound = unboundReason(live.view);
            if (unbound) {
              logger.info(
                `Canary guard: skipping ${rolloutKey(live.view)} for ${
                  state.entity.entityRef
                }: ${unbound}`,
              );
              continue;
            }
            if (seen.has(rolloutKey(live.view))) continue;
            seen.add(rolloutKey(live.view));
            tick.checked++;
            const evaluation = await policy.evaluate(
              state,
              live.environment,
              live.view,
              {
                onlySlo: true,
              },
            );
            const failing = evaluation.gates.filter(g => g.outcome === 'fail');
            const unknown = evaluation.gates.filter(
              g => g.outcome === 'unknown',
            );
            if (unknown.length > 0) {
              logger.warn(
                `Canary guard: ${state.entity.entityRef} ${
                  live.view.name
                } has unknown SLO gates: ${unknown
                  .map(g => `${g.name}: ${g.reason}`)
                  .join('; ')}`,
              );
            }
            if (failing.length === 0) continue;
            const reason = `Canary guard: ${failing
              .map(g => g.reason)
              .join('; ')}`;
            logger.warn(`${reason}; aborting ${rolloutKey(live.view)}`);
            // one abort per canary revision, however many ticks or replicas see it
            const key = createHash('sha256')
              .update(`${rolloutKey(live.view)}@${live.view.canaryPodHash}`)
              .digest('hex')
              .slice(0, 40);
            try {
              tick.aborted.push(
                await actions.execute({
                  ref,
                  credentials,
                  request: {
                    environment: live.environment,
                    rollout: live.view.name,
                    action: 'abort',
                    reason,
                    idempotencyKey: `guard:${key}`,
                  },
                  guard: { gates: evaluation.gates },
                }),
              );
            } catch (error) {
              tick.errors.push(
                `${rolloutKey(live.view)}: ${(error as Error).message}`,
              );
            }
          }
        } catch (error) {
          tick.errors.push(
            `${ref.kind}:${ref.namespace}/${ref.name}: ${
              (error as Error).message
            }`,
          );
        }
      }
      for (const error of tick.errors) logger.warn(`Canary guard: ${error}`);
      return tick;
    },
  };
}
