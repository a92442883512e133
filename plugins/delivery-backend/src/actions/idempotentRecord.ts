import { ConflictError } from '@backstage/errors';
import type { AuditRecord } from '@gitops-delivery/backstage-plugin-delivery-common';
import {
  DuplicateIdempotencyKeyError,
  type AuditStore,
  type NewAuditRecord,
} from '../audit/AuditStore';
import { withDetails } from './actionAnswer';

/** A record written by this request (`fresh`) or the key's earlier one. */
export interface RecordOrReplay {
  record: AuditRecord;
  /** True when this request wrote it and so holds the key. */
  fresh: boolean;
}

/** How an action's audit record is written once per idempotency key. */
export interface IdempotentRecorder {
  /** The key's earlier record once it has an outcome, or undefined. */
  replay(entityRef: string, key: string): Promise<AuditRecord | undefined>;
  /**
   * The one way a request writes its record. The unique (entity,
   * idempotency key) index decides which request holds a key: the first
   * insert wins and is the key's one execution (`fresh` true). A request
   * that loses writes nothing and answers with the winner's record once it
   * has an outcome (`fresh` false), so concurrent requests with one key,
   * on any replica, execute once and all answer alike.
   */
  insertOrReplay(record: NewAuditRecord): Promise<RecordOrReplay>;
}

const sleep = (ms: number) =>
  new Promise<void>(resolve => setTimeout(resolve, ms));

/** Creates the recorder over the audit store; waits at most `lockTtlMs`. */
export function createIdempotentRecorder(
  store: AuditStore,
  lockTtlMs: number,
): IdempotentRecorder {
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
      lockTtlMs;
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

  async function replay(entityRef: string, key: string) {
    const first = await store.findByIdempotencyKey(entityRef, key);
    return first ? settled(first) : undefined;
  }

  return {
    replay,
    async insertOrReplay(record) {
      try {
        return { record: await store.insert(record), fresh: true };
      } catch (error) {
        if (
          error instanceof DuplicateIdempotencyKeyError &&
          record.idempotencyKey
        ) {
          const first = await replay(record.entityRef, record.idempotencyKey);
          if (first) return { record: first, fresh: false };
        }
        throw error;
      }
    },
  };
}
