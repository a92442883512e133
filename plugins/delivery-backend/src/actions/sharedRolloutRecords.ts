import type { LoggerService } from '@backstage/backend-plugin-api';
import { stringifyEntityRef, type Entity } from '@backstage/catalog-model';
import type {
  AuditRecord,
  GateResult,
} from '@gitops-delivery/backstage-plugin-delivery-common';
import {
  DuplicateIdempotencyKeyError,
  type AuditStore,
  type NewAuditRecord,
} from '../audit/AuditStore';
import type { OwnerNotice } from './OwnerNotifier';

/** An entity that shares the guard's Rollout with the entity it acts for. @public */
export interface SharedRollout {
  entity: Entity;
  /** The Rollout's environment, as that entity names it. */
  environment: string;
}

/**
 * A guard abort of a Rollout several entities share runs once, for the
 * entity whose policy decided; every other sharing entity gets its own
 * record of it (same outcome, gates and correlation id, the message naming
 * the deciding record), once per entity under the same idempotency key.
 */
export async function recordForSharers(options: {
  store: AuditStore;
  logger: LoggerService;
  notify(notice: OwnerNotice): void;
  /** The record the deciding entity's request wrote, before its outcome. */
  acted: NewAuditRecord;
  /** The deciding entity's record, with its outcome. */
  decided: AuditRecord;
  sharedWith: SharedRollout[];
  gates: GateResult[];
}): Promise<void> {
  const { store, acted, decided } = options;
  for (const { entity, environment } of options.sharedWith) {
    const entityRef = stringifyEntityRef(entity);
    try {
      const linked = await store.insert({
        ...acted,
        entityRef,
        environment,
        outcome: decided.outcome,
        upstreamStatus: decided.upstreamStatus,
        correlationId: decided.correlationId,
        message: `${
          decided.message ? `${decided.message}. ` : ''
        }${entityRef} shares this Rollout: the guard decided under the policy of ${
          decided.entityRef
        } (audit record ${decided.id})`,
      });
      options.notify({
        kind: 'guard',
        entity,
        record: linked,
        gates: options.gates,
      });
    } catch (error) {
      // recorded already, by an earlier tick or another replica
      if (error instanceof DuplicateIdempotencyKeyError) continue;
      options.logger.warn(
        `Delivery: could not record the guard abort of ${acted.rolloutKey} for ${entityRef}: ${error}`,
      );
    }
  }
}
