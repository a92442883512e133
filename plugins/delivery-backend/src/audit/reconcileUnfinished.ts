import type { AuthService, LoggerService } from '@backstage/backend-plugin-api';
import { parseEntityRef } from '@backstage/catalog-model';
import { rolloutKey } from '../actions/rolloutKey';
import { applicationKey } from '../applicationActions/ApplicationActionService';
import type { RolloutLocator } from '../policy/PolicyService';
import type { AuditStore } from './AuditStore';

/**
 * At start-up: marks records a crash left `requested` as `outcome-unknown`
 * and notes the Rollout's live state next to each, so a person can tell
 * whether the action took effect. Never throws: start-up must not fail
 * because Argo CD is down.
 */
export async function reconcileUnfinished(options: {
  store: AuditStore;
  locator: RolloutLocator;
  auth: AuthService;
  logger: LoggerService;
}): Promise<number> {
  const { store, locator, auth, logger } = options;
  const unfinished = await store.markUnfinished();
  if (unfinished.length === 0) return 0;
  logger.warn(
    `${unfinished.length} rollout action(s) were left without an outcome; marked outcome-unknown`,
  );
  const credentials = await auth.getOwnServiceCredentials();
  for (const { record, rolloutKey: key } of unfinished) {
    try {
      const ref = parseEntityRef(record.entityRef);
      const state = await locator.getDeliveryState(ref, credentials, {
        fresh: true,
        contributors: false,
      });
      const app = state.overview?.environments
        .flatMap(e => e.applications)
        .find(a => applicationKey(a) === key);
      if (app) {
        // an Application action (refresh, sync, rollback): its operation
        const op = app.operation;
        await store.annotate(
          record.id,
          `Live state at reconciliation: Application ${app.name} ${
            app.sync.status
          }, ${app.health.status}${
            op
              ? `; last operation ${op.phase}${
                  op.message ? `: ${op.message}` : ''
                }`
              : ''
          }`,
        );
        continue;
      }
      const live = state.rollouts.find(r => rolloutKey(r.view) === key);
      const note = live
        ? `Live state at reconciliation: phase ${
            live.view.phase ?? 'unknown'
          }, step ${live.view.currentStepIndex ?? '?'}/${
            live.view.steps.length
          }, canary weight ${live.view.canaryWeight}%, ${
            live.view.aborted ? 'aborted' : 'not aborted'
          }${live.view.fullyPromoted ? ', fully promoted' : ''}`
        : 'The Rollout was not found at reconciliation';
      await store.annotate(record.id, note);
    } catch (error) {
      logger.warn(
        `Could not reconcile audit record ${record.id}: ${
          (error as Error).message
        }`,
      );
    }
  }
  return unfinished.length;
}
