import type {
  ApplicationActionName,
  ApplicationView,
  HistoryEntry,
  RollbackPullRequest,
} from '@gitops-delivery/backstage-plugin-delivery-common';

/** One Application action as the tab offers it. */
export interface ApplicationActionDefinition {
  name: ApplicationActionName;
  /** The button's text. */
  title: string;
  /** Sync and refresh need `delivery.application.sync`, rollback `delivery.application.rollback`. */
  permission: 'sync' | 'rollback';
}

/** The Application actions, in the order of their buttons. */
export const APPLICATION_ACTIONS: ApplicationActionDefinition[] = [
  { name: 'refresh', title: 'Refresh', permission: 'sync' },
  { name: 'sync', title: 'Sync', permission: 'sync' },
  { name: 'rollback', title: 'Roll back', permission: 'rollback' },
];

/** Whether the Application's operation is still under way. */
export function operationRunning(app: ApplicationView): boolean {
  const phase = app.operation?.phase;
  return phase === 'Running' || phase === 'Terminating';
}

/**
 * Why an action cannot be taken on the Application now, or undefined when
 * it can: the same reasons the backend (or Argo CD) would refuse it for,
 * said before the user fills in a dialog.
 */
export function disabledReason(
  app: ApplicationView,
  action: ApplicationActionDefinition,
  permitted: boolean,
): string | undefined {
  if (!permitted) {
    return `You lack the delivery.application.${action.permission} permission for this entity`;
  }
  if (app.binding.enforced && !app.binding.bound) {
    return `Not bound to this entity: ${
      app.binding.reason ?? 'the Application does not name it back'
    }`;
  }
  if (action.name !== 'refresh' && operationRunning(app)) {
    return 'An operation is in progress; wait until it has finished';
  }
  if (action.name === 'rollback') {
    if (rollbackTargets(app).length === 0) {
      return 'The history has no earlier entry to roll back to';
    }
  }
  return undefined;
}

/** How far a GitOps rollback's pull request has come, in words. */
export const TRACKING_LABELS: Record<RollbackPullRequest['tracking'], string> =
  {
    open: 'open, waiting for review and merge',
    merged: 'merged, waiting for Argo CD to sync',
    synced: 'synced: the Application runs the restored revision',
    closed: 'closed without merging',
  };

/** The history entries a rollback may go to: all but the deployed one (newest first). */
export function rollbackTargets(app: ApplicationView): HistoryEntry[] {
  return app.history.slice(1);
}

/** A history entry in one line: id, short revision, when and the commit's subject. */
export function historyLabel(entry: HistoryEntry): string {
  const revision = entry.revision ?? entry.revisions?.[0];
  const subject = entry.metadata?.message?.split('\n')[0];
  return [
    `#${entry.id}`,
    revision ? revision.slice(0, 7) : undefined,
    entry.deployedAt,
    subject,
  ]
    .filter(Boolean)
    .join(' · ');
}

/** The key of a managed resource, as the sync dialog lists it. */
export function resourceKey(r: {
  group?: string;
  kind: string;
  namespace?: string;
  name: string;
}): string {
  return `${r.group ?? ''}/${r.kind}/${r.namespace ?? ''}/${r.name}`;
}
