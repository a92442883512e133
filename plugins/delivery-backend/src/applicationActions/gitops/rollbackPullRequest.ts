import type {
  ApplicationView,
  AuditRecord,
  HistoryEntry,
  RollbackPullRequest,
} from '@gitops-delivery/backstage-plugin-delivery-common';
import type { ArgoCdApplication } from '@gitops-delivery/backstage-plugin-delivery-node';
import type { RestorePullRequest } from './githubRestore';

/** Where a GitOps rollback restores the Application's manifests. */
export interface RestoreSource {
  repoURL: string;
  path: string;
  targetRevision?: string;
}

/**
 * The one Git source a restore pull request can change, or why there is
 * none: a Helm chart or OCI artifact has no path in a Git repository, and
 * a multi-source Application's sources move together (a pull request on
 * one of them would not restore the entry).
 */
export function restoreSourceOf(
  app: ArgoCdApplication,
): RestoreSource | string {
  if ((app.spec?.sources?.length ?? 0) > 0) {
    return 'a multi-source Application cannot be restored by one pull request';
  }
  const source = app.spec?.source;
  if (!source?.repoURL) return 'the Application names no Git repository';
  if (source.chart || /^oci:\/\//.test(source.repoURL)) {
    return 'the Application deploys a chart, not a path of a Git repository';
  }
  return {
    repoURL: source.repoURL,
    path: source.path ?? '',
    ...(source.targetRevision ? { targetRevision: source.targetRevision } : {}),
  };
}

/** The revision a history entry deployed (its first, for several sources). */
export function entryRevision(
  entry: HistoryEntry | undefined,
): string | undefined {
  return entry?.revision ?? entry?.revisions?.[0];
}

/** The tab's address for the entity's audit record (the PR body links it). */
export function auditRecordUrl(
  appBaseUrl: string | undefined,
  entityRef: { namespace: string; kind: string; name: string },
  recordId: string,
): string | undefined {
  if (!appBaseUrl) return undefined;
  const e = encodeURIComponent;
  return `${appBaseUrl.replace(/\/+$/, '')}/catalog/${e(
    entityRef.namespace,
  )}/${e(entityRef.kind.toLocaleLowerCase('en-US'))}/${e(
    entityRef.name,
  )}/delivery?audit=${e(recordId)}`;
}

/** The title, body and branch of a restore pull request. */
export function pullRequestText(options: {
  view: ApplicationView;
  environment: string;
  entry: HistoryEntry;
  revision: string;
  source: RestoreSource;
  record: AuditRecord;
  auditUrl?: string;
}): { title: string; body: string; branch: string } {
  const { view, entry, revision, source, record } = options;
  const short = revision.slice(0, 12);
  const path = source.path && source.path !== '.' ? source.path : '/';
  const subject = entry.metadata?.message?.split('\n')[0];
  const lines = [
    `Restores \`${path}\` of ${source.repoURL} to its content at ${revision}${
      subject ? ` ("${subject}")` : ''
    }, the revision Argo CD history entry ${entry.id} of the Application \`${
      view.name
    }\` (${options.environment}, Argo CD instance ${view.instance}) deployed${
      entry.deployedAt ? ` at ${entry.deployedAt}` : ''
    }.`,
    '',
    `The Application syncs automatically, so Argo CD refuses a rollback and the next sync would undo one: merging this pull request is the rollback.`,
    '',
    `- Requested by: ${record.actor}`,
    `- Reason: ${record.reason}`,
    `- Audit record: ${options.auditUrl ?? record.id}${
      options.auditUrl ? ` (id ${record.id})` : ''
    }`,
  ];
  return {
    title: `Roll back ${view.name} to ${short}`,
    body: lines.join('\n'),
    branch: `delivery/rollback-${view.name}-${record.id.slice(0, 8)}`,
  };
}

/**
 * How far a rollback's pull request has come: `open`, `closed` unmerged,
 * `merged` and waiting for Argo CD, or `synced` once the Application runs
 * the merge commit, or has finished a sync after the merge: a history entry
 * newer than the newest one when the merge was seen
 * (`mergedSeenAtHistoryId`), or, at that first sight, one deployed at or
 * after the merge (a later commit on the branch carries the restored path
 * too). The history entry's id, not its time, tells later syncs apart:
 * timestamps of two reads need not share a clock (a time-scaled sandbox).
 */
export function trackingOf(
  pr: Pick<
    RollbackPullRequest,
    'mergeCommitSha' | 'mergedAt' | 'mergedSeenAtHistoryId'
  > &
    Pick<RestorePullRequest, 'state' | 'merged'>,
  app: ApplicationView | undefined,
): RollbackPullRequest['tracking'] {
  if (!pr.merged) return pr.state === 'closed' ? 'closed' : 'open';
  if (!app) return 'merged';
  const phase = app.operation?.phase;
  if (phase === 'Running' || phase === 'Terminating') return 'merged';
  if (app.sync.status !== 'Synced') return 'merged';
  const revision = app.sync.revision ?? app.sync.revisions?.[0];
  if (pr.mergeCommitSha && revision === pr.mergeCommitSha) return 'synced';
  if (
    pr.mergeCommitSha &&
    app.history.some(h => entryRevision(h) === pr.mergeCommitSha)
  ) {
    return 'synced';
  }
  const newest = app.history[0];
  if (pr.mergedSeenAtHistoryId !== undefined) {
    return newest && newest.id > pr.mergedSeenAtHistoryId ? 'synced' : 'merged';
  }
  if (
    pr.mergedAt &&
    newest?.deployedAt &&
    Date.parse(newest.deployedAt) >= Date.parse(pr.mergedAt)
  ) {
    return 'synced';
  }
  return 'merged';
}
