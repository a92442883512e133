import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { NotAllowedError, NotFoundError } from '@backstage/errors';
import type { ResourcePermission } from '@backstage/plugin-permission-common';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  deliveryAbortPermission,
  deliveryOverridePermission,
  deliveryPromotePermission,
  type AuditRecord,
  type PolicyEvaluation,
} from '@gitops-delivery/backstage-plugin-delivery-common';
import type { NewAuditRecord } from '../audit/AuditStore';
import type { RolloutLocator } from '../policy/PolicyService';
import type { LiveRollout } from '../services/overview/OverviewService';
import { answer, withDetails } from './actionAnswer';
import {
  ARGO_ACTION,
  type ActionCommand,
  type ActionService,
  type ActionServiceOptions,
} from './actionTypes';
import { notBoundError, unboundReason } from './binding';
import {
  decideAction,
  isPromotion,
  needsOverridePermission,
  type ActionDecision,
} from './decideAction';
import { createIdempotentRecorder } from './idempotentRecord';
import type { OwnerNotice } from './OwnerNotifier';
import { actionFingerprint, rolloutKey } from './rolloutKey';
import { runUnderLease } from './rolloutLease';
import { recordForSharers } from './sharedRolloutRecords';

export type { SharedRollout } from './sharedRolloutRecords';
export {
  ARGO_ACTION,
  type ActionCommand,
  type ActionService,
  type ActionServiceOptions,
  type ArgoActionsClient,
} from './actionTypes';

/** What one request acts on, once located and decided. */
interface Located {
  command: ActionCommand;
  entity: Awaited<ReturnType<RolloutLocator['getDeliveryState']>>['entity'];
  live: LiveRollout;
  evaluation?: PolicyEvaluation;
  /** The record's fields before its decision and outcome. */
  base: NewAuditRecord;
}

/** Who asked: the user entity ref, else the principal type and subject. */
export function actorOf(credentials: BackstageCredentials): string {
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

function upstreamStatusOf(error: unknown): number | undefined {
  const status = (error as { status?: unknown })?.status;
  return typeof status === 'number' ? status : undefined;
}

const meta = (record: AuditRecord) => ({
  recordId: record.id,
  decision: record.decision,
  outcome: record.outcome,
});

/**
 * Creates the ActionService. One request: authorize, replay a repeated
 * idempotency key, locate the Rollout, decide (decideAction), claim the key
 * with the record (one insert-or-replay), then run the Argo CD action under
 * the rollout's lease (runUnderLease) and record its outcome.
 *
 * @public
 */
export function createActionService(
  options: ActionServiceOptions,
): ActionService {
  const { permissions, auditor, logger, locator, policy, store } = options;
  const recorder = createIdempotentRecorder(store, options.lockTtlMs);
  const counter = options.metrics?.createCounter('delivery.actions', {
    description:
      'Rollout actions by action, decision (allowed, blocked, overridden, guard) and outcome',
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

  async function execute(command: ActionCommand): Promise<AuditRecord> {
    const { request } = command;
    const entityRef = stringifyEntityRef(command.ref);
    const event = await auditor.createEvent({
      eventId: 'rollout-action',
      severityLevel: 'high',
      request: command.httpRequest,
      meta: {
        entityRef,
        actor: actorOf(command.credentials),
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
    const settle = async (record: AuditRecord) => {
      const sharedWith = command.guard?.sharedWith ?? [];
      if (
        acted &&
        sharedWith.length > 0 &&
        record.decision === 'guard' &&
        record.outcome !== 'requested'
      ) {
        await recordForSharers({
          store,
          logger,
          notify,
          acted,
          decided: record,
          sharedWith,
          gates: command.guard!.gates,
        });
      }
      counter?.add(1, {
        action: record.action,
        decision: record.decision,
        outcome: record.outcome,
      });
    };
    try {
      const record = await run(command, base => {
        acted = base;
      });
      await settle(record);
      await event.success({ meta: meta(record) });
      return record;
    } catch (error) {
      const record = (error as { record?: AuditRecord }).record;
      if (record) await settle(record);
      await event.fail({
        error: error as Error,
        meta: record ? meta(record) : {},
      });
      throw error;
    }
  }

  async function run(
    command: ActionCommand,
    onActed: (base: NewAuditRecord) => void,
  ): Promise<AuditRecord> {
    const { request, credentials } = command;
    const entityRef = stringifyEntityRef(command.ref);
    // 1. authorize, per entity, with the caller's credentials
    const permission = isPromotion(request.action)
      ? deliveryPromotePermission
      : deliveryAbortPermission;
    if (!(await allowed(permission, entityRef, credentials))) {
      throw new NotAllowedError(
        `You are not allowed to ${request.action} rollouts of ${entityRef}`,
      );
    }
    // a repeated idempotency key answers with the first result, calling nothing
    const replayed = await recorder.replay(entityRef, request.idempotencyKey);
    if (replayed) return answer(replayed);

    // 2. locate the Rollout, weigh the policy, decide
    const located = await locate(command, entityRef);
    onActed(located.base);
    const { live, evaluation } = located;
    const decision = decideAction({
      action: request.action,
      rollout: live.view,
      evaluation,
      override: request.override,
      overridePermitted: needsOverridePermission({
        evaluation,
        override: request.override,
      })
        ? await allowed(deliveryOverridePermission, entityRef, credentials)
        : false,
      guard: Boolean(command.guard),
    });
    if (decision.verdict !== 'run') return refuse(located, decision);
    located.base.decision = decision.decision;
    if (decision.decision === 'overridden') {
      logger.warn(
        `Break-glass ${request.action} of ${located.base.rolloutKey} by ${
          located.base.actor
        } overrides: ${decision.overridden.join(', ')}`,
      );
    }

    // 3. recorded before it is sent, and before the lease: the record is
    // the key's claim, so a same-key request that loses the lease race
    // cannot write a rejection that later replays as the key's result
    const claimed = await recorder.insertOrReplay(located.base);
    if (!claimed.fresh) return answer(claimed.record);

    // 4. one action per rollout at a time, across replicas; 5. Argo CD
    const record = await runUnderLease(
      {
        lock: options.lock,
        store,
        rolloutKey: located.base.rolloutKey,
        rollout: live.view.name,
        environment: request.environment,
        action: request.action,
        requested: claimed.record,
        // the guard's key names one canary attempt (its replays never get
        // here), so a revision retried outside Delivery is not a repeat
        fingerprint:
          actionFingerprint(request.action, live.view) +
          (command.guard ? `#${request.idempotencyKey ?? ''}` : ''),
        ttlMs: options.lockTtlMs,
      },
      () => send(located, claimed.record),
    );
    return answer(record, evaluation);
  }

  /** The entity's Rollout, its policy verdict and the record's fields. */
  async function locate(
    command: ActionCommand,
    entityRef: string,
  ): Promise<Located> {
    const { request, credentials } = command;
    const state = await locator.getDeliveryState(command.ref, credentials, {
      fresh: true,
      contributors: false,
    });
    if (
      !state.overview.environments.some(e => e.name === request.environment)
    ) {
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
    // the policy is weighed for promotions of a Rollout actions may reach
    const evaluation =
      isPromotion(request.action) && !unboundReason(live.view)
        ? await policy.evaluate(state, request.environment, live.view)
        : undefined;
    const base: NewAuditRecord = {
      actor: actorOf(credentials),
      entityRef: state.entity.entityRef,
      environment: request.environment,
      instance: live.view.instance,
      rollout: live.view.name,
      rolloutKey: rolloutKey(live.view),
      action: request.action,
      reason: request.reason,
      decision: command.guard ? 'guard' : 'allowed',
      gates: evaluation?.gates ?? command.guard?.gates,
      outcome: 'requested',
      correlationId: command.correlationId,
      idempotencyKey: request.idempotencyKey,
    };
    return { command, entity: state.entity, live, evaluation, base };
  }

  /** Records a refused action (unbound, or blocked by the policy) and answers. */
  async function refuse(
    located: Located,
    decision: Exclude<ActionDecision, { verdict: 'run' }>,
  ): Promise<AuditRecord> {
    const { command, base, evaluation } = located;
    const entityRef = stringifyEntityRef(command.ref);
    const rejected: NewAuditRecord = {
      ...base,
      decision: 'blocked',
      outcome: 'rejected',
      message: decision.message,
    };
    if (decision.verdict === 'unbound') {
      logger.warn(
        `Refused ${command.request.action} of ${base.rolloutKey} for ${entityRef} by ${base.actor}: ${decision.message}`,
      );
      const { record } = await recorder.insertOrReplay(rejected);
      throw withDetails(
        notBoundError(located.live.view, decision.message),
        record,
      );
    }
    logger.info(
      `Blocked ${command.request.action} of ${base.rolloutKey} by ${
        base.actor
      }: ${decision.failing.join(', ')}`,
    );
    const { record, fresh } = await recorder.insertOrReplay(rejected);
    if (!fresh) return answer(record);
    notify({
      kind: 'blocked',
      entity: located.entity.entity,
      record,
      gates: evaluation?.gates ?? [],
    });
    if (decision.overrideRefused) {
      throw withDetails(
        new NotAllowedError(decision.message),
        record,
        evaluation,
      );
    }
    return answer(record, evaluation);
  }

  /** Runs the Argo CD action and records its outcome (under the lease). */
  async function send(located: Located, requested: AuditRecord) {
    const { command, live, base } = located;
    const { action } = command.request;
    const notifyGuard = (record: AuditRecord) => {
      if (command.guard) {
        notify({
          kind: 'guard',
          entity: located.entity.entity,
          record,
          gates: command.guard.gates,
        });
      }
    };
    try {
      await options.argocd.runResourceAction(
        live.instance,
        live.app,
        live.resource,
        ARGO_ACTION[action],
      );
    } catch (error) {
      const message = `Argo CD did not run ${ARGO_ACTION[action]}: ${
        error instanceof Error ? error.message : String(error)
      }`;
      logger.warn(`${action} of ${base.rolloutKey} failed: ${message}`);
      const failed = await store.complete(requested.id, {
        outcome: 'failed',
        upstreamStatus: upstreamStatusOf(error),
        message,
      });
      notifyGuard(failed);
      return { record: failed, succeeded: false };
    }
    logger.info(
      `${action} of ${base.rolloutKey} by ${base.actor} succeeded (${base.decision})`,
    );
    const done = await store.complete(requested.id, {
      outcome: 'succeeded',
      upstreamStatus: 200,
    });
    notifyGuard(done);
    return { record: done, succeeded: true };
  }

  return { execute };
}
