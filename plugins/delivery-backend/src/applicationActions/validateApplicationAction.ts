import { InputError } from '@backstage/errors';
import type { ApplicationActionRequest } from '@gitops-delivery/backstage-plugin-delivery-common';

/** The fields only one action takes. */
const ONLY_FOR: Array<[keyof ApplicationActionRequest, string]> = [
  ['hard', 'refresh'],
  ['prune', 'sync'],
  ['resources', 'sync'],
  ['historyId', 'rollback'],
  ['override', 'rollback'],
];

/**
 * What the spec cannot say about one body: which fields go with which
 * action. A field sent with another action is refused rather than ignored
 * (a "sync" with `historyId` is a mistake, not a sync of everything).
 */
export function validateApplicationAction(
  request: ApplicationActionRequest,
): void {
  for (const [field, action] of ONLY_FOR) {
    if (request[field] !== undefined && request.action !== action) {
      throw new InputError(
        `Invalid ${field}: only a ${action} takes it, not a ${request.action}`,
      );
    }
  }
  if (request.action === 'rollback' && request.historyId === undefined) {
    throw new InputError(
      'Invalid historyId: a rollback needs the history entry to roll back to',
    );
  }
  const seen = new Set<string>();
  for (const r of request.resources ?? []) {
    const key = `${r.group ?? ''}/${r.kind}/${r.namespace ?? ''}/${r.name}`;
    if (seen.has(key)) {
      throw new InputError(`Invalid resources: ${key} is listed twice`);
    }
    seen.add(key);
  }
}
