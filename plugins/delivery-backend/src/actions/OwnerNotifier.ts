import type { LoggerService } from '@backstage/backend-plugin-api';
import {
  RELATION_OWNED_BY,
  getCompoundEntityRef,
  parseEntityRef,
  stringifyEntityRef,
  type Entity,
} from '@backstage/catalog-model';
import type { NotificationService } from '@backstage/plugin-notifications-node';
import type {
  AuditRecord,
  GateResult,
} from '@gitops-delivery/backstage-plugin-delivery-common';

/** What happened to a rollout that its owner should hear about. @public */
export interface OwnerNotice {
  /** `blocked`: the policy refused a promotion; `guard`: the canary guard aborted (or tried to). */
  kind: 'blocked' | 'guard';
  entity: Entity;
  record: AuditRecord;
  /** The gates behind the decision; only failing (blocking) ones are reported. */
  gates: GateResult[];
}

/**
 * Tells an entity's owner about blocked promotions and guard aborts through
 * Backstage notifications. Optional: without the notifications backend, or
 * when sending fails, it logs a warning and the action carries on.
 *
 * @public
 */
export interface OwnerNotifier {
  /** Never rejects; resolves once the notification was sent or given up. */
  notify(notice: OwnerNotice): Promise<void>;
}

/** The owners of an entity: its ownedBy relations, else `spec.owner`. */
export function ownersOf(entity: Entity): string[] {
  const related = (entity.relations ?? [])
    .filter(r => r.type === RELATION_OWNED_BY)
    .map(r => r.targetRef);
  if (related.length > 0) return [...new Set(related)];
  const owner = (entity.spec as { owner?: unknown } | undefined)?.owner;
  if (typeof owner !== 'string' || owner.trim() === '') return [];
  try {
    return [
      stringifyEntityRef(
        parseEntityRef(owner, {
          defaultKind: 'group',
          defaultNamespace: entity.metadata.namespace ?? 'default',
        }),
      ),
    ];
  } catch {
    return [];
  }
}

/** The app-relative path of the entity's Delivery tab. */
export function deliveryTabPath(entity: Entity): string {
  const { kind, namespace, name } = getCompoundEntityRef(entity);
  return `/catalog/${encodeURIComponent(
    namespace.toLocaleLowerCase('en-US'),
  )}/${encodeURIComponent(
    kind.toLocaleLowerCase('en-US'),
  )}/${encodeURIComponent(name)}/delivery`;
}

function causeOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Creates the OwnerNotifier over Backstage's notification service. @public */
export function createOwnerNotifier(options: {
  notifications?: NotificationService;
  logger: LoggerService;
}): OwnerNotifier {
  const { notifications, logger } = options;
  return {
    async notify({ kind, entity, record, gates }) {
      if (!notifications) return;
      const entityRef = stringifyEntityRef(entity);
      const owners = ownersOf(entity);
      if (owners.length === 0) {
        logger.warn(
          `Delivery: ${entityRef} has no owner to notify of the ${kind} ${record.action} of ${record.rollout}`,
        );
        return;
      }
      const failing = gates.filter(g => g.blocking || g.outcome === 'fail');
      const reasons = failing.map(g => `${g.name}: ${g.reason}`);
      const where = `${record.rollout} in ${record.environment}`;
      const title =
        kind === 'blocked'
          ? `Promotion of ${where} blocked by the policy`
          : `${
              record.outcome === 'succeeded'
                ? 'Canary guard aborted'
                : 'Canary guard could not abort'
            } ${where}`;
      const who =
        kind === 'blocked'
          ? `${record.action} requested by ${record.actor}: ${record.reason}`
          : record.message ?? record.reason;
      const description = [
        `${entityRef}, ${where}.`,
        who,
        ...(reasons.length > 0 ? [`Failing gates: ${reasons.join('; ')}`] : []),
      ].join(' ');
      try {
        await notifications.send({
          recipients: { type: 'entity', entityRef: owners },
          payload: {
            title,
            description,
            link: deliveryTabPath(entity),
            severity: kind === 'guard' ? 'high' : 'normal',
            topic: 'delivery',
            // one notification per rollout and kind, updated by repeats
            scope: `delivery:${kind}:${entityRef}:${record.environment}:${record.rollout}`,
            metadata: {
              entityRef,
              environment: record.environment,
              rollout: record.rollout,
              action: record.action,
              decision: record.decision,
              outcome: record.outcome,
              auditRecordId: record.id,
              failingGates: failing.map(g => ({
                name: g.name,
                kind: g.kind,
                reason: g.reason,
              })),
            },
          },
        });
      } catch (error) {
        // the notifications backend is optional; the action has happened
        logger.warn(
          `Delivery: could not notify the owner of ${entityRef} of the ${kind} ${
            record.action
          } of ${record.rollout}: ${causeOf(error)}`,
        );
      }
    },
  };
}
