import type { AuditRecord } from '@gitops-delivery/backstage-plugin-delivery-common';
import { randomUUID } from 'node:crypto';
import type { AuditStore } from '../audit/AuditStore';
import type { RolloutLock } from '../audit/RolloutLock';

/** What runs while the rollout's lease is held. */
export type LeasedAction = () => Promise<{
  record: AuditRecord;
  /** The action reached Argo CD and succeeded: the lease remembers it. */
  succeeded: boolean;
}>;

/** Options of runUnderLease. */
export interface RunUnderLeaseOptions {
  lock: RolloutLock;
  store: AuditStore;
  /** The rollout's key (rolloutKey) and its name and environment, for messages. */
  rolloutKey: string;
  rollout: string;
  environment: string;
  action: string;
  /** The record that claims the idempotency key, still `requested`. */
  requested: AuditRecord;
  /** The action's fingerprint on this state of the Rollout (actionFingerprint). */
  fingerprint: string;
  ttlMs: number;
}

/**
 * Runs an action holding its rollout's lease: one action per rollout at a
 * time, across replicas. A rollout someone else holds rejects the action
 * and frees its key (nothing was sent, so a retry with the key runs); the
 * same action that already succeeded on this very state of the Rollout is
 * rejected as a repeat. The lease is released whatever happens, remembering
 * the fingerprint of an action that succeeded.
 */
export async function runUnderLease(
  options: RunUnderLeaseOptions,
  run: LeasedAction,
): Promise<AuditRecord> {
  const { lock, store, requested } = options;
  const lease = await lock.acquire(
    options.rolloutKey,
    randomUUID(),
    options.ttlMs,
  );
  if (!lease) {
    return store.complete(requested.id, {
      outcome: 'rejected',
      message: `Another action on ${options.rollout} in ${options.environment} is in progress; try again when it has finished`,
      releaseKey: true,
    });
  }
  let succeeded = false;
  try {
    if (lease.lastAction === options.fingerprint) {
      return await store.complete(requested.id, {
        outcome: 'rejected',
        message: `The same ${options.action} already succeeded at ${lease.lastActionAt} on this state of ${options.rollout}; reload to see its current state`,
      });
    }
    const result = await run();
    succeeded = result.succeeded;
    return result.record;
  } finally {
    await lock.release(lease, succeeded ? options.fingerprint : undefined);
  }
}
