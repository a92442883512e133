import type {
  AuthService,
  BackstageCredentials,
  LoggerService,
} from '@backstage/backend-plugin-api';
import type { CompoundEntityRef } from '@backstage/catalog-model';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import { type AuditRecord } from '@gitops-delivery/backstage-plugin-delivery-common';
import { createHash, randomUUID } from 'node:crypto';
import type { ActionService, SharedRollout } from '../actions/ActionService';
import { unboundReason } from '../actions/binding';
import { rolloutKey } from '../actions/rolloutKey';
import { listDeliveryEntities } from '../services/EntityResolver/listDeliveryEntities';
import type { PolicyService, RolloutLocator } from '../policy/PolicyService';
import type {
  DeliveryState,
  LiveRollout,
} from '../services/overview/OverviewService';
import { mapBounded, withDeadline } from './bounded';

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

/** Options of createCanaryGuard. @public */
export interface CanaryGuardOptions {
  catalog: CatalogService;
  auth: AuthService;
  locator: RolloutLocator;
  policy: PolicyService;
  actions: ActionService;
  logger: LoggerService;
  /** State loads, and SLO evaluations, in flight at a time. Default 4. */
  concurrency?: number;
  /**
   * Longest the tick waits for one entity's state, and for one Rollout's
   * SLO evaluation; a hanging Argo CD or Prometheus costs the tick this
   * much, not the whole interval. Default 10 s.
   */
  deadlineMs?: number;
}

/** One Rollout to judge: by the first entity that has it, the others linked. */
interface Judgement {
  ref: CompoundEntityRef;
  state: DeliveryState;
  live: LiveRollout;
  sharedWith: SharedRollout[];
}

/** Earlier attempts of one canary revision a tick walks past at most. */
const MAX_ATTEMPTS_PER_TICK = 20;

function digest(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 40);
}

/**
 * How long before a state read an abort must have ended for the canary the
 * read shows running to be a new attempt: Argo CD serves a Rollout from its
 * watch cache, which may show an abort that just succeeded a moment late;
 * a retry after an abort comes minutes later, from a person.
 */
const NEW_ATTEMPT_AFTER_MS = 60_000;

/**
 * Whether an abort record had ended (succeeded or failed) well before
 * `time`: a state read then would show it done, had it held.
 */
function endedBefore(record: AuditRecord, time: number): boolean {
  if (record.outcome !== 'succeeded' && record.outcome !== 'failed') {
    return false;
  }
  const ended = Date.parse(record.updatedAt ?? record.createdAt);
  return (
    Number.isFinite(time) &&
    Number.isFinite(ended) &&
    ended + NEW_ATTEMPT_AFTER_MS < time
  );
}

function refText(ref: CompoundEntityRef): string {
  return `${ref.kind}:${ref.namespace}/${ref.name}`;
}

function progressingCanaries(state: DeliveryState): LiveRollout[] {
  return state.rollouts.filter(
    r =>
      r.view.strategy === 'canary' &&
      !r.view.aborted &&
      !r.view.fullyPromoted &&
      r.view.canaryPodHash !== undefined &&
      r.view.canaryPodHash !== r.view.stablePodHash,
  );
}

/**
 * Creates the canary guard. It acts as the plugin's own service principal
 * through the same action path as people (permission, lock, audit, Argo CD),
 * recorded with decision `guard` and the failing gates as evidence. Only a
 * gate that fails aborts: an unknown value (a Prometheus outage) is logged,
 * not acted on, so a monitoring outage cannot roll back every canary.
 *
 * A tick loads the entities' states and then judges each progressing
 * Rollout once, both `concurrency` at a time and each within `deadlineMs`,
 * so hanging instances cannot stretch the tick past its interval.
 */
export function createCanaryGuard(options: CanaryGuardOptions): CanaryGuard {
  const { catalog, auth, locator, policy, actions, logger } = options;
  const concurrency = options.concurrency ?? 4;
  const deadlineMs = options.deadlineMs ?? 10_000;
  const late = (what: string) =>
    `${what} did not answer within ${deadlineMs} ms`;

  async function load(
    ref: CompoundEntityRef,
    credentials: BackstageCredentials,
    tick: GuardTick,
  ): Promise<DeliveryState | undefined> {
    try {
      return await withDeadline(
        locator.getDeliveryState(ref, credentials, {
          fresh: true,
          contributors: false,
        }),
        deadlineMs,
        late('its delivery state'),
      );
    } catch (error) {
      tick.errors.push(`${refText(ref)}: ${(error as Error).message}`);
      return undefined;
    }
  }

  /**
   * Entities can share Applications: each Rollout is judged once, by the
   * first entity (in catalog order) it is bound to; the others sharing it
   * are linked, so the abort is recorded in their audit trails too.
   */
  function judgements(
    refs: CompoundEntityRef[],
    states: Array<DeliveryState | undefined>,
  ): Judgement[] {
    const byRollout = new Map<string, Judgement>();
    refs.forEach((ref, i) => {
      const state = states[i];
      if (!state) return;
      for (const live of progressingCanaries(state)) {
        // an entity that merely found the Rollout must not keep the entity
        // it belongs to from being judged
        const unbound = unboundReason(live.view);
        if (unbound) {
          logger.info(
            `Canary guard: skipping ${rolloutKey(live.view)} for ${
              state.entity.entityRef
            }: ${unbound}`,
          );
          continue;
        }
        const judged = byRollout.get(rolloutKey(live.view));
        if (judged) {
          judged.sharedWith.push({
            entity: state.entity.entity,
            environment: live.environment,
          });
        } else {
          byRollout.set(rolloutKey(live.view), {
            ref,
            state,
            live,
            sharedWith: [],
          });
        }
      }
    });
    return [...byRollout.values()];
  }

  async function judge(
    { ref, state, live, sharedWith }: Judgement,
    credentials: BackstageCredentials,
    tick: GuardTick,
  ): Promise<void> {
    tick.checked++;
    let evaluation;
    try {
      evaluation = await withDeadline(
        policy.evaluate(state, live.environment, live.view, { onlySlo: true }),
        deadlineMs,
        late(`the SLO evaluation of ${live.view.name}`),
      );
    } catch (error) {
      tick.errors.push(`${refText(ref)}: ${(error as Error).message}`);
      return;
    }
    const failing = evaluation.gates.filter(g => g.outcome === 'fail');
    const unknown = evaluation.gates.filter(g => g.outcome === 'unknown');
    if (unknown.length > 0) {
      logger.warn(
        `Canary guard: ${state.entity.entityRef} ${
          live.view.name
        } has unknown SLO gates: ${unknown
          .map(g => `${g.name}: ${g.reason}`)
          .join('; ')}`,
      );
    }
    if (failing.length === 0) return;
    const reason = `Canary guard: ${failing.map(g => g.reason).join('; ')}`;
    logger.warn(`${reason}; aborting ${rolloutKey(live.view)}`);
    // One abort per canary attempt, however many ticks or replicas see it:
    // the key names the canary revision. A record of that key that ended
    // a minute or more before this (fresh) state was read, while the canary
    // runs again, is
    // an earlier attempt's (the same revision retried after an abort, or an
    // abort that failed): the next key follows from that record, so every
    // replica and tick derives the same one.
    const stateReadAt = Date.parse(state.overview.generatedAt);
    let key = digest(`${rolloutKey(live.view)}@${live.view.canaryPodHash}`);
    try {
      for (let attempt = 1; ; attempt++) {
        // the abort is not cut off by the deadline: it is bounded by Argo
        // CD's call timeout, and an action is never left half recorded
        const record = await actions.execute({
          ref,
          credentials,
          correlationId: randomUUID(),
          request: {
            environment: live.environment,
            rollout: live.view.name,
            action: 'abort',
            reason,
            idempotencyKey: `guard:${key}`,
          },
          guard: { gates: evaluation.gates, sharedWith },
        });
        if (
          attempt >= MAX_ATTEMPTS_PER_TICK ||
          !endedBefore(record, stateReadAt)
        ) {
          tick.aborted.push(record);
          break;
        }
        key = digest(`${key}:${record.id}`);
      }
    } catch (error) {
      tick.errors.push(`${rolloutKey(live.view)}: ${(error as Error).message}`);
    }
  }

  return {
    async runOnce() {
      const credentials = await auth.getOwnServiceCredentials();
      const tick: GuardTick = { checked: 0, aborted: [], errors: [] };
      const refs = await listDeliveryEntities(catalog, credentials);
      const states = await mapBounded(refs, concurrency, ref =>
        load(ref, credentials, tick),
      );
      await mapBounded(judgements(refs, states), concurrency, judgement =>
        judge(judgement, credentials, tick),
      );
      for (const error of tick.errors) logger.warn(`Canary guard: ${error}`);
      return tick;
    },
  };
}
