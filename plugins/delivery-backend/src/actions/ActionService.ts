import type {
  AuditorService,
  BackstageCredentials,
  LoggerService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { stringifyEntityRef, type Entity } from '@backstage/catalog-model';
import {
  ConflictError,
  NotAllowedError,
  NotFoundError,
  ServiceUnavailableError,
} from '@backstage/errors';
import type { ResourcePermission } from '@backstage/plugin-permission-common';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  deliveryAbortPermission,
  deliveryOverridePermission,
  deliveryPromotePermission,
  type AuditRecord,
  type GateResult,
  type PolicyEvaluation,
  type RolloutActionName,
  type RolloutActionRequest,
} from '@gitops-delivery/backstage-plugin-delivery-common';
import type { MetricsService as BackstageMetricsService } from '@backstage/backend-plugin-api/alpha';
import type { Request } from 'express';
import { randomUUID } from 'node:crypto';
import {
  DuplicateIdempotencyKeyError,
  type AuditStore,
  type NewAuditRecord,
} from '../audit/AuditStore';
import type { RolloutLock } from '../audit/RolloutLock';
import type { PolicyService, RolloutLocator } from '../policy/PolicyService';
import type { ArgoCdClient } from '@gitops-delivery/backstage-plugin-delivery-node';
import type { EntityRefParams } from '../services/EntityResolver/EntityResolver';
import { notBoundError, unboundReason } from './binding';
import type { OwnerNotice, OwnerNotifier } from './OwnerNotifier';
import { actionFingerprint, rolloutKey } from './rolloutKey';

/** The Argo CD resource action each rollout action runs. @public */
export const ARGO_ACTION: Record<RolloutActionName, string> = {
  promote: 'resume',
  'promote-full': 'promote-full',
  abort: 'abort',
  retry: 'retry',
};

/** Runs Argo CD resource actions (the pipeline's Argo CD client). @public */
export type ArgoActionsClient = Pick<ArgoCdClient, 'runResourceAction'>;

/** An entity that shares the guard's Rollout with the entity it acts for. @public */
export interface SharedRollout {
  entity: Entity;
  /** The Rollout's environment, as that entity names it. */
  environment: string;
}

/** One action to execute. @public */
export interface ActionCommand {
  ref: EntityRefParams;
  credentials: BackstageCredentials;
  request: RolloutActionRequest;
  correlationId?: string;
  /** The HTTP request, for the auditor. */
  httpRequest?: Request;
  /**
   * Set by the canary guard: the SLO gates that justify an abort, and the
   * other entities sharing the Rollout (each gets a record of the abort).
   */
  guard?: { gates: GateResult[]; sharedWith?: SharedRollout[] };
}

/** Executes rollout actions: authorize, policy, lock, audit, Argo CD, outcome. @public */
export interface ActionService {
  execute(command: ActionCommand): Promise<AuditRecord>;
}

/** Options of createActionService. @public */
export interface ActionServiceOptions {
  permissions: PermissionsService;
  auditor: AuditorService;
  logger: LoggerService;
  locator: RolloutLocator;
  policy: PolicyService;
  store: AuditStore;
  lock: RolloutLock;
  argocd: ArgoActionsClient;
  lockTtlMs: number;
  /** Backstage's metrics service: counts actions by decision and outcome. */
  metrics?: BackstageMetricsService;
  /** Tells the entity's owner of blocked promotions and guard aborts. */
  notifier?: OwnerNotifier;
}

function actorOf(credentials: BackstageCredentials): string {
  const principal = credentials.principal as {
    type: string;
    userEntityRef?: string;
    subject?: string;
  };
  if (principal.type === 'user' && principal.userEntityRef) {
    return principal.userEntityRef;
  }
  return `${principal.type}:${principal.subject ?? 'unknown'}`;
}

function withDetails<E extends Error>(
  error: E,
  record: AuditRecord,
  policy?: PolicyEvaluation,
): E {
  // own enumerable fields are serialized into the error body by the backend's error middleware
  return Object.assign(error, {
    record,
    gates: record.gates ?? [],
    ...(policy ? { policy } : {}),
  });
}

/**
 * The answer for a record: a rejection is a 409 and an upstream failure a
 * 503, each carrying the record; anything else is the record itself. Used
 * for fresh results and idempotent replays alike, so a replay answers the
 * same way as the first call.
 */
function answer(record: AuditRecord, policy?: PolicyEvaluation): AuditRecord {
  if (record.outcome === 'rejected') {
    throw withDetails(
      new ConflictError(record.message ?? 'The action was rejected'),
      record,
      policy,
    );
  }
  if (record.outcome === 'failed') {
    throw withDetails(
      new ServiceUnavailableError(
        record.message ?? 'Argo CD did not run the action',
      ),
      record,
    );
  }
  return record;
}

const sleep = (ms: number) =>
  new Promise<void>(resolve => setTimeout(resolve, ms));

function upstreamStatusOf(error: unknown): number | undefined {
  const status = (error as { status?: unknown })?.status;
  return typeof status === 'number' ? status : undefined;
}

/** Creates the ActionService. @public */
export function createActionService(
  options: ActionServiceOptions,
): ActionService {
  const { permissions, auditor, logger, locator, policy, store, lock, argocd } =
    options;
  const counter = options.metrics?.createCounter('delivery.actions', {
    description:
      'Rollout actions by action, decision (allowed, blocked, overridden, guard) and outcome',
  });
  const count = (record: AuditRecord) =>
    counter?.add(1, {
      action: record.action,
      decision: record.decision,
      outcome: record.outcome,
    });

  async function allowed(
    permission: ResourcePermission,
    entityRef: string,
    credentials: BackstageCredentials,
  ): Promise<boolean> {
    const [decision] = await permissions.authorize(
      [{ permission, resourceRef: entityRef }],
      { credentials },
    );
    return decision.result === AuthorizeResult.ALLOW;
  }

  // in the background: a slow or missing notifications backend must not hold the action
  function notify(notice: OwnerNotice) {
    options.notifier
      ?.notify(notice)
      .catch(error =>
        logger.warn(`Delivery: owner notification failed: ${error}`),
      );
  }

  /**
   * The one way a request writes its record. The unique (entity,
   * idempotency key) index decides which request holds a key: the first
   * insert wins and is the key's one execution (`fresh` true). A request
   * that loses writes nothing and answers with the winner's record once it
   * has an outcome (`fresh` false), so concurrent requests with one key,
   * on any replica, execute once and all answer alike.
   */
  async function insertOrReplay(
    record: NewAuditRecord,
  ): Promise<{ record: AuditRecord; fresh: boolean }> {
    try {
      return { record: await store.insert(record), fresh: true };
    } catch (error) {
      if (
        error instanceof DuplicateIdempotencyKeyError &&
        record.idempotencyKey
      ) {
        const first = await store.findByIdempotencyKey(
          record.entityRef,
          record.idempotencyKey,
        );
        if (first) return { record: await settled(first), fresh: false };
      }
      throw error;
    }
  }

  /**
   * Waits until the key's record has an outcome. Bounded by the lock's
   * lease: an action holds its rollout at most that long, so a record still
   * `requested` after it is a crashed holder's (reconciliation marks it).
   */
  async function settled(record: AuditRecord): Promise<AuditRecord> {
    const key = record.idempotencyKey;
    const createdAt = Date.parse(record.createdAt);
    const deadline =
      Math.min(Number.isNaN(createdAt) ? Infinity : createdAt, Date.now()) +
      options.lockTtlMs;
    let current = record;
    let pause = 20;
    while (current.outcome === 'requested' && key) {
      if (Date.now() >= deadline) {
        throw withDetails(
          new ConflictError(
            `The action with idempotency key "${key}" has no outcome yet; retry with the same key later`,
          ),
          current,
        );
      }
      await sleep(pause);
      pause = Math.min(pause * 2, 250);
      // by id: the execution may free its key (nothing changed, retry)
      current = await store.get(current.id);
    }
    return current;
  }

  /**
   * A guard abort of a Rollout several entities share runs once, for the
   * entity whose policy decided; every other sharing entity gets its own
   * record of it (same outcome, gates and correlation id, the message naming
   * the deciding record), once per entity under the same idempotency key.
   */
  async function recordForSharers(
    acted: NewAuditRecord,
    decided: AuditRecord,
    guard: NonNullable<ActionCommand['guard']>,
  ) {
    for (const { entity, environment } of guard.sharedWith ?? []) {
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
        notify({ kind: 'guard', entity, record: linked, gates: guard.gates });
      } catch (error) {
        // recorded already, by an earlier tick or another replica
        if (error instanceof DuplicateIdempotencyKeyError) continue;
        logger.warn(
          `Delivery: could not record the guard abort of ${acted.rolloutKey} for ${entityRef}: ${error}`,
        );
      }
    }
  }

  async function execute(command: ActionCommand): Promise<AuditRecord> {
    const { request, credentials } = command;
    const entityRef = stringifyEntityRef(command.ref);
    const actor = actorOf(credentials);
    const isPromote =
      request.action === 'promote' || request.action === 'promote-full';
    const event = await auditor.createEvent({
      eventId: 'rollout-action',
      severityLevel: 'high',
      request: command.httpRequest,
      meta: {
        entityRef,
        actor,
        environment: request.environment,
        rollout: request.rollout,
        action: request.action,
        reason: request.reason,
        idempotencyKey: request.idempotencyKey,
        ...(command.guard ? { decision: 'guard' } : {}),
      },
    });
    // what this request acted on, for the records of a shared Rollout
    let acted: NewAuditRecord | undefined;
    const recordShared = async (record: AuditRecord) => {
      if (
        acted &&
        command.guard?.sharedWith?.length &&
        record.decision === 'guard' &&
        record.outcome !== 'requested'
      ) {
        await recordForSharers(acted, record, command.guard);
      }
    };
    try {
      const record = await run();
      await recordShared(record);
      count(record);
      await event.success({
        meta: {
          recordId: record.id,
          decision: record.decision,
          outcome: record.outcome,
        },
      });
      return record;
    } catch (error) {
      const record = (error as { record?: AuditRecord }).record;
      if (record) {
        await recordShared(record);
        count(record);
      }
      await event.fail({
        error: error as Error,
        meta: record
          ? {
              recordId: record.id,
              decision: record.decision,
              outcome: record.outcome,
            }
          : {},
      });
      throw error;
    }

    async function run(): Promise<AuditRecord> {
      // 1. authorize, per entity, with the caller's credentials
      const permission = isPromote
        ? deliveryPromotePermission
        : deliveryAbortPermission;
      if (!(await allowed(permission, entityRef, credentials))) {
        throw new NotAllowedError(
          `You are not allowed to ${request.action} rollouts of ${entityRef}`,
        );
      }

      // a repeated idempotency key answers with the first result, calling nothing
      const first = await store.findByIdempotencyKey(
        entityRef,
        request.idempotencyKey,
      );
      if (first) return answer(await settled(first));

      const state = await locator.getDeliveryState(command.ref, credentials, {
        fresh: true,
        contributors: false,
      });
      const env = state.overview.environments.find(
        e => e.name === request.environment,
      );
      if (!env) {
        throw new NotFoundError(
          `${entityRef} has no environment "${request.environment}"`,
        );
      }
      const live = state.rollouts.find(
        r =>
          r.environment === request.environment &&
          r.view.name === request.rollout,
      );
      if (!live) {
        throw new NotFoundError(
          `${entityRef} has no Rollout "${request.rollout}" in ${request.environment}`,
        );
      }
      const rollout = live.view;
      const notifyGuard = (record: AuditRecord) => {
        if (command.guard) {
          notify({
            kind: 'guard',
            entity: state.entity.entity,
            record,
            gates: command.guard.gates,
          });
        }
      };
      const base: NewAuditRecord = {
        actor,
        entityRef: state.entity.entityRef,
        environment: request.environment,
        instance: rollout.instance,
        rollout: rollout.name,
        rolloutKey: rolloutKey(rollout),
        action: request.action,
        reason: request.reason,
        decision: command.guard ? 'guard' : 'allowed',
        gates: command.guard?.gates,
        outcome: 'requested',
        correlationId: command.correlationId,
        idempotencyKey: request.idempotencyKey,
      };
      acted = base;

      // 1b. only to an Application that names the entity back: the
      // entity's own annotations found it, and anyone can write those
      const unbound = unboundReason(rollout);
      if (unbound) {
        logger.warn(
          `Refused ${request.action} of ${base.rolloutKey} for ${entityRef} by ${actor}: ${unbound}`,
        );
        const { record } = await insertOrReplay({
          ...base,
          decision: 'blocked',
          outcome: 'rejected',
          message: unbound,
        });
        throw withDetails(notBoundError(rollout, unbound), record);
      }

      // 2. the promotion policy, for promotions only
      let evaluation: PolicyEvaluation | undefined;
      if (isPromote) {
        evaluation = await policy.evaluate(state, request.environment, rollout);
        base.gates = evaluation.gates;
        if (!evaluation.allowed) {
          const failing = evaluation.gates
            .filter(g => g.blocking)
            .map(g => g.name);
          const overridable =
            request.override &&
            (await allowed(deliveryOverridePermission, entityRef, credentials));
          if (!overridable) {
            const message = request.override
              ? `Override refused: you lack the override permission; the policy "${
                  evaluation.policy
                }" blocks: ${failing.join(', ')}`
              : `The policy "${
                  evaluation.policy
                }" blocks this promotion: ${failing.join(', ')}`;
            logger.info(
              `Blocked ${request.action} of ${
                base.rolloutKey
              } by ${actor}: ${failing.join(', ')}`,
            );
            const { record, fresh } = await insertOrReplay({
              ...base,
              decision: 'blocked',
              outcome: 'rejected',
              message,
            });
            if (!fresh) return answer(record);
            notify({
              kind: 'blocked',
              entity: state.entity.entity,
              record,
              gates: evaluation.gates,
            });
            if (request.override) {
              throw withDetails(
                new NotAllowedError(message),
                record,
                evaluation,
              );
            }
            return answer(record, evaluation);
          }
          base.decision = 'overridden';
          logger.warn(
            `Break-glass ${request.action} of ${
              base.rolloutKey
            } by ${actor} overrides: ${failing.join(', ')}`,
          );
        }
      }

      // 3. recorded before it is sent, and before the lock: the record is
      // the key's claim, so a same-key request that loses the lock race
      // cannot write a rejection that later replays as the key's result
      const claimed = await insertOrReplay(base);
      if (!claimed.fresh) return answer(claimed.record);
      const requested = claimed.record;

      // 4. one action per rollout at a time, across replicas
      const holder = randomUUID();
      const lease = await lock.acquire(
        base.rolloutKey,
        holder,
        options.lockTtlMs,
      );
      if (!lease) {
        // nothing was sent: the key is freed, so a retry with it (the
        // guard's next tick, a person's retry) runs instead of replaying
        return answer(
          await store.complete(requested.id, {
            outcome: 'rejected',
            message: `Another action on ${rollout.name} in ${request.environment} is in progress; try again when it has finished`,
            releaseKey: true,
          }),
          evaluation,
        );
      }
      let succeeded = false;
      const fingerprint = actionFingerprint(request.action, rollout);
      try {
        if (lease.lastAction === fingerprint) {
          return answer(
            await store.complete(requested.id, {
              outcome: 'rejected',
              message: `The same ${request.action} already succeeded at ${lease.lastActionAt} on this state of ${rollout.name}; reload to see its current state`,
            }),
            evaluation,
          );
        }

        // 5. Argo CD, then the outcome
        try {
          await argocd.runResourceAction(
            live.instance,
            live.app,
            live.resource,
            ARGO_ACTION[request.action],
          );
        } catch (error) {
          const message = `Argo CD did not run ${
            ARGO_ACTION[request.action]
          }: ${error instanceof Error ? error.message : String(error)}`;
          logger.warn(
            `${request.action} of ${base.rolloutKey} failed: ${message}`,
          );
          const failed = await store.complete(requested.id, {
            outcome: 'failed',
            upstreamStatus: upstreamStatusOf(error),
            message,
          });
          notifyGuard(failed);
          return answer(failed);
        }
        succeeded = true;
        logger.info(
          `${request.action} of ${base.rolloutKey} by ${actor} succeeded (${base.decision})`,
        );
        const done = await store.complete(requested.id, {
          outcome: 'succeeded',
          upstreamStatus: 200,
        });
        notifyGuard(done);
        return done;
      } finally {
        await lock.release(lease, succeeded ? fingerprint : undefined);
      }
    }
  }

  return { execute };
}
