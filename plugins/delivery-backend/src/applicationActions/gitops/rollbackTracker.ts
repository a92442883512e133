import type { LoggerService } from '@backstage/backend-plugin-api';
import type {
  AuditRecord,
  RollbackPullRequest,
  SourceStatus,
} from '@gitops-delivery/backstage-plugin-delivery-common';
import type { AuditStore } from '../../audit/AuditStore';
import type { OverviewContributor } from '../../services/overview/OverviewService';
import type { GitopsRepository, RestorePullRequest } from './githubRestore';
import { trackingOf } from './rollbackPullRequest';

/** How long a rollback's pull request is shown on the tab after it was opened. */
const SHOWN_FOR_MS = 24 * 3_600_000;
/** How long one read of a pull request's state serves every view. */
const READ_TTL_MS = 10_000;
/** The rollback records read per view, newest first. */
const RECENT = 20;
/**
 * How long one read of an entity's recent rollback records serves every
 * view of it: a warm overview does not query the audit table each time. A
 * state written back drops the entity's read; a rollback recorded meanwhile
 * shows within this long (its dialog has its pull request at once).
 */
const RECORDS_TTL_MS = 5_000;
/** Entities whose records read is kept, at most (oldest dropped first). */
const RECORDS_KEPT = 5_000;

const causeOf = (error: unknown) =>
  error instanceof Error ? error.message : String(error);

/**
 * The overview's tracking of GitOps rollbacks: each Application's newest
 * rollback pull request of the last day, as `summary.rollbacks` of its
 * environment, with how far it has come (open, merged, synced, closed).
 * GitHub is asked only while a pull request is open (merged and closed are
 * final), at most once per READ_TTL_MS for all viewers; a state that moved
 * is written back to the audit record, so the audit trail shows it too.
 */
export function createRollbackTracker(options: {
  store: AuditStore;
  repository: GitopsRepository;
  logger: LoggerService;
  now?: () => number;
}): OverviewContributor {
  const now = options.now ?? Date.now;
  const reads = new Map<
    string,
    { at: number; pr: Promise<RestorePullRequest> }
  >();

  function readPullRequest(pr: RollbackPullRequest) {
    const key = `${pr.repository}#${pr.number}`;
    const cached = reads.get(key);
    if (cached && now() - cached.at < READ_TTL_MS) return cached.pr;
    const read = options.repository.getPullRequest(pr.repoURL, pr.number);
    reads.set(key, { at: now(), pr: read });
    read.catch(() => reads.delete(key));
    return read;
  }

  const recent = new Map<
    string,
    { at: number; items: Promise<AuditRecord[]> }
  >();

  /** The entity's rollback records of the last day, newest first. */
  function recentRollbacks(entityRef: string): Promise<AuditRecord[]> {
    const cached = recent.get(entityRef);
    if (cached && now() - cached.at < RECORDS_TTL_MS) return cached.items;
    const items = options.store
      .list({
        entityRef,
        action: 'rollback',
        since: new Date(now() - SHOWN_FOR_MS).toISOString(),
        limit: RECENT,
      })
      .then(page => page.items);
    recent.delete(entityRef);
    recent.set(entityRef, { at: now(), items });
    if (recent.size > RECORDS_KEPT) {
      recent.delete(recent.keys().next().value!);
    }
    items.catch(() => recent.delete(entityRef));
    return items;
  }

  /** The newest record with a pull request per environment and Application. */
  function newestPerApplication(records: AuditRecord[]) {
    const newest = new Map<string, AuditRecord>();
    for (const record of records) {
      const key = `${record.environment}/${record.rollout}`;
      if (record.pullRequest && !newest.has(key)) newest.set(key, record);
    }
    return [...newest.values()];
  }

  return {
    source: 'rollback-pull-requests',
    async contribute(state) {
      const entityRef = state.overview.entityRef;
      const records = newestPerApplication(await recentRollbacks(entityRef));
      if (records.length === 0) return [];
      const failures: string[] = [];
      const tracked = await Promise.all(
        records.map(async record => {
          const known = record.pullRequest!;
          const environment = state.overview.environments.find(
            e => e.name === record.environment,
          );
          const app = environment?.applications.find(
            a => a.name === record.rollout,
          );
          let next: RollbackPullRequest = known;
          if (known.tracking === 'open') {
            try {
              const live = await readPullRequest(known);
              const tracking = trackingOf(live, app);
              next = {
                ...known,
                ...(live.mergeCommitSha
                  ? { mergeCommitSha: live.mergeCommitSha }
                  : {}),
                ...(live.mergedAt ? { mergedAt: live.mergedAt } : {}),
                // merged, not yet synced: a later history entry is its sync
                ...(tracking === 'merged' && app?.history[0]
                  ? { mergedSeenAtHistoryId: app.history[0].id }
                  : {}),
                tracking,
              };
            } catch (error) {
              failures.push(`#${known.number}: ${causeOf(error)}`);
            }
          } else if (known.tracking === 'merged') {
            next = {
              ...known,
              tracking: trackingOf(
                {
                  state: 'closed',
                  merged: true,
                  mergeCommitSha: known.mergeCommitSha,
                  mergedAt: known.mergedAt,
                  mergedSeenAtHistoryId: known.mergedSeenAtHistoryId,
                },
                app,
              ),
            };
          }
          if (next.tracking !== known.tracking) {
            recent.delete(entityRef);
            await options.store
              .setPullRequest(record.id, next)
              .catch(error =>
                options.logger.warn(
                  `Delivery: could not record the state of pull request #${
                    known.number
                  }: ${causeOf(error)}`,
                ),
              );
          }
          return next;
        }),
      );
      for (const environment of state.overview.environments) {
        const rollbacks = tracked.filter(
          t => t.environment === environment.name,
        );
        if (rollbacks.length > 0) {
          environment.summary = { ...environment.summary, rollbacks };
        }
      }
      const status: SourceStatus =
        failures.length > 0
          ? {
              source: 'github',
              status: 'error',
              message: `Rollback pull requests could not be read: ${failures.join(
                '; ',
              )}`,
            }
          : { source: 'github', status: 'ok' };
      return [status];
    },
  };
}
