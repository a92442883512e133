import { ConflictError, ServiceUnavailableError } from '@backstage/errors';
import type {
  AuditRecord,
  PolicyEvaluation,
} from '@gitops-delivery/backstage-plugin-delivery-common';

/** Attaches the record (and the policy) to an error the route answers with. */
export function withDetails<E extends Error>(
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
export function answer(
  record: AuditRecord,
  policy?: PolicyEvaluation,
): AuditRecord {
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
