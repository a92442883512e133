import type { AuditStore } from '../audit/AuditStore';
import type { ChangePublisher } from './changePublisher';

/**
 * The audit store, telling open tabs of every record it writes or
 * completes: a new action (a person's or the guard's) and its outcome show
 * in the audit table and the rollout's state without a reload. Reads pass
 * through unchanged; a signal is published only after the write succeeded.
 */
export function publishingAuditStore(
  store: AuditStore,
  publisher: Pick<ChangePublisher, 'entitiesChanged'>,
): AuditStore {
  return {
    ...store,
    async insert(record) {
      const written = await store.insert(record);
      publisher.entitiesChanged([written.entityRef]);
      return written;
    },
    async complete(id, outcome) {
      const written = await store.complete(id, outcome);
      publisher.entitiesChanged([written.entityRef]);
      return written;
    },
    async markUnfinished(now) {
      const marked = await store.markUnfinished(now);
      publisher.entitiesChanged(marked.map(m => m.record.entityRef));
      return marked;
    },
    async annotate(id, note) {
      await store.annotate(id, note);
      publisher.entitiesChanged([(await store.get(id)).entityRef]);
    },
  };
}
