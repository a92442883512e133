import type { ApplicationOperationView } from '@gitops-delivery/backstage-plugin-delivery-common';
import type { ArgoCdApplication } from '@gitops-delivery/backstage-plugin-delivery-node';

/**
 * An Application's current or last operation as the tab shows it (Argo CD's
 * `status.operationState`): its phase and message, who started it, the
 * revision it syncs to and, once it has one, the result per resource.
 */
export function operationViewOf(
  app: ArgoCdApplication,
): ApplicationOperationView | undefined {
  const op = app.status?.operationState;
  if (!op?.phase) return undefined;
  const initiator = op.operation?.initiatedBy;
  const result = op.syncResult;
  const revision =
    result?.revision ??
    result?.revisions?.[0] ??
    op.operation?.sync?.revision ??
    op.operation?.sync?.revisions?.[0];
  return {
    phase: op.phase,
    message: op.message,
    startedAt: op.startedAt,
    finishedAt: op.finishedAt,
    initiatedBy: initiator?.automated ? 'automated' : initiator?.username,
    revision,
    resources: result?.resources?.flatMap(r =>
      r.kind && r.name
        ? [
            {
              group: r.group,
              kind: r.kind,
              namespace: r.namespace,
              name: r.name,
              status: r.status,
              message: r.message,
            },
          ]
        : [],
    ),
  };
}

/** Whether Argo CD syncs the Application by itself (and so refuses a rollback). */
export function isAutoSync(app: ArgoCdApplication): boolean {
  const automated = app.spec?.syncPolicy?.automated;
  return Boolean(automated) && automated?.enabled !== false;
}
