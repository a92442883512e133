import type {
  CiRunView,
  StageStatus,
} from '@gitops-delivery/backstage-plugin-delivery-common';

/** The CI stage of a commit, from all of its workflow runs. @public */
export interface CiStatus {
  status: StageStatus;
  /** `success`, `failure`, ... of the run that decides the status. */
  conclusion?: string;
  message: string;
  url?: string;
  startedAt?: string;
  finishedAt?: string;
}

const FAILED = new Set([
  'failure',
  'timed_out',
  'cancelled',
  'startup_failure',
  'action_required',
]);
const PASSED = new Set(['success', 'neutral', 'skipped']);

/**
 * Sums up the runs of one commit: a failed run fails the stage, an
 * unfinished one keeps it running, and it succeeds only when every run
 * passed. Jobs of a known kind that failed are named in the message.
 */
export function ciStatus(runs: CiRunView[]): CiStatus {
  if (runs.length === 0) {
    return { status: 'waiting', message: 'No workflow run for this commit' };
  }
  const failed = runs.find(
    r => r.status === 'completed' && FAILED.has(r.conclusion ?? ''),
  );
  const running = runs.find(r => r.status !== 'completed');
  const times = {
    startedAt: runs
      .map(r => r.createdAt)
      .filter(Boolean)
      .sort()[0],
    finishedAt: running
      ? undefined
      : runs
          .map(r => r.updatedAt)
          .filter(Boolean)
          .sort()
          .at(-1),
  };
  if (failed) {
    const jobs = failed.jobs
      .filter(j => FAILED.has(j.conclusion ?? ''))
      .map(j => (j.kind === 'other' ? j.name : `${j.name} (${j.kind})`));
    return {
      status: 'failed',
      conclusion: failed.conclusion,
      message: `${failed.name}: ${failed.conclusion}${
        jobs.length ? ` in ${jobs.join(', ')}` : ''
      }`,
      url: failed.url,
      ...times,
    };
  }
  if (running) {
    return {
      status: 'running',
      message: `${running.name}: ${running.status.replace(/_/g, ' ')}`,
      url: running.url,
      ...times,
    };
  }
  const allPassed = runs.every(r => PASSED.has(r.conclusion ?? ''));
  return {
    status: allPassed ? 'succeeded' : 'unknown',
    conclusion: allPassed ? 'success' : runs[0].conclusion,
    message: allPassed
      ? `${runs.length} workflow run${runs.length > 1 ? 's' : ''} passed`
      : `${runs[0].name}: ${runs[0].conclusion ?? 'no conclusion'}`,
    url: runs[0].url,
    ...times,
  };
}
