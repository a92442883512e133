import type { CiJobView } from '@gitops-delivery/backstage-plugin-delivery-common';
import { jobKind } from './jobKind';

/** A run's or job's state in the model GitHub Actions uses (see ciStatus). */
export interface CiState {
  /** `completed` once finished; otherwise what it waits for. */
  status: string;
  /** How a finished one ended: `success`, `failure`, `cancelled`, ... */
  conclusion?: string;
}

// GitLab's finished statuses and what GitHub calls them.
const FINISHED: Record<string, string> = {
  success: 'success',
  failed: 'failure',
  canceled: 'cancelled',
  skipped: 'skipped',
};
// Unfinished statuses, named so that the stage message reads well.
const WAITING: Record<string, string> = {
  created: 'queued',
  waiting_for_resource: 'waiting_for_resource',
  preparing: 'preparing',
  pending: 'pending',
  running: 'in_progress',
  manual: 'waiting_for_manual_action',
  scheduled: 'scheduled',
  canceling: 'canceling',
};

/**
 * Maps a GitLab pipeline or job status onto the CI status model: success,
 * failed, canceled and skipped are finished; created, waiting_for_resource,
 * preparing, pending, running, manual and scheduled are not (a `manual`
 * pipeline waits for someone to start a job). A job that may fail
 * (`allow_failure`) and failed counts as neutral, as GitLab shows it.
 */
export function gitlabState(
  status: string | undefined,
  allowFailure: boolean,
): CiState {
  const finished = FINISHED[status ?? ''];
  if (finished) {
    return {
      status: 'completed',
      conclusion: finished === 'failure' && allowFailure ? 'neutral' : finished,
    };
  }
  return { status: WAITING[status ?? ''] ?? status ?? 'unknown' };
}

/**
 * Which pipeline step a GitLab job is: from its name, else from its stage
 * (`rspec` in stage `test` is a test; GitLab's templates name stages
 * build, test, ...).
 */
export function gitlabJobKind(name: string, stage?: string): CiJobView['kind'] {
  const byName = jobKind(name);
  return byName === 'other' && stage ? jobKind(stage) : byName;
}
