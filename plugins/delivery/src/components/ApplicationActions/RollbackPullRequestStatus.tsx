import { Link } from '@backstage/core-components';
import type { RollbackPullRequest } from '@gitops-delivery/backstage-plugin-delivery-common';
import Box from '@material-ui/core/Box';
import LinearProgress from '@material-ui/core/LinearProgress';
import Typography from '@material-ui/core/Typography';
import { TRACKING_LABELS } from './applicationActionModel';

/**
 * A GitOps rollback's pull request: its link and how far it has come
 * (open, merged, synced, closed), as the overview tracks it.
 */
export function RollbackPullRequestStatus(props: {
  pullRequest?: RollbackPullRequest;
}) {
  const { pullRequest: pr } = props;
  if (!pr) return null;
  return (
    <Box mt={1} role="status" aria-label="Rollback pull request">
      <Typography variant="body2">
        Rollback pull request{' '}
        <Link to={pr.url} target="_blank" rel="noopener noreferrer">
          {pr.repository}#{pr.number}
        </Link>{' '}
        to {pr.revision.slice(0, 7)}: {TRACKING_LABELS[pr.tracking]}
      </Typography>
      {pr.tracking === 'merged' && (
        <LinearProgress aria-label="Waiting for Argo CD to sync the merge" />
      )}
    </Box>
  );
}

/** The newer of the answer's pull request and the overview's tracking of it. */
export function trackedPullRequest(
  answered?: RollbackPullRequest,
  tracked?: RollbackPullRequest,
): RollbackPullRequest | undefined {
  if (!answered) return tracked;
  if (!tracked) return answered;
  // a newer rollback than the overview has seen yet: the answer's
  return tracked.recordId === answered.recordId ? tracked : answered;
}
