import { InfoCard } from '@backstage/core-components';
import type { DeploymentView } from '@gitops-delivery/backstage-plugin-delivery-common';
import Box from '@material-ui/core/Box';
import LinearProgress from '@material-ui/core/LinearProgress';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { memo } from 'react';
import { formatDuration, formatTimeOfDay } from '../../lib/format';
import { StatusLabel, type StatusTone } from '../common/StatusLabel';

const STATE_TONES: Record<DeploymentView['state'], StatusTone> = {
  progressing: 'running',
  complete: 'ok',
  stuck: 'error',
  paused: 'pending',
  unknown: 'warning',
};

/** The strategy in words, with a rolling update's limits. */
export function strategyLabel(d: DeploymentView): string {
  if (d.strategy === 'recreate') return 'Recreate';
  return `Rolling update (max surge ${d.maxSurge ?? '25%'}, max unavailable ${
    d.maxUnavailable ?? '25%'
  })`;
}

function Time(props: { iso: string }) {
  return (
    <time dateTime={props.iso} title={props.iso}>
      {formatTimeOfDay(props.iso)}
    </time>
  );
}

/** What the progress deadline says: when it passes, or that it did. */
function Deadline(props: { deployment: DeploymentView }) {
  const d = props.deployment;
  if (d.state === 'stuck') {
    return (
      <Typography variant="body2" color="error" role="alert">
        Stuck: {d.progressing?.reason ?? 'ProgressDeadlineExceeded'}
        {d.progressing?.message ? ` — ${d.progressing.message}` : ''}
        {d.progressDeadlineSeconds !== undefined
          ? ` (no progress for ${formatDuration(d.progressDeadlineSeconds)})`
          : ''}
      </Typography>
    );
  }
  if (d.progressDeadlineSeconds === undefined) return null;
  return (
    <Typography variant="body2">
      Progress deadline {formatDuration(d.progressDeadlineSeconds)}
      {d.progressDeadlineAt ? (
        <>
          {' '}
          · passes at <Time iso={d.progressDeadlineAt} /> unless the rollout
          progresses
        </>
      ) : null}
    </Typography>
  );
}

/**
 * A plain Deployment's rollout: its state and strategy, replicas against
 * the desired count, the progress deadline (or why it is stuck), Recreate's
 * downtime, and the new and old ReplicaSets with their images. No actions:
 * Kubernetes rolls it out itself, there is no canary to promote or abort.
 */
export function DeploymentPanel(props: { deployment: DeploymentView }) {
  const d = props.deployment;
  const { replicas } = d;
  const updatedShare =
    replicas.desired > 0
      ? Math.min(100, Math.round((replicas.updated / replicas.desired) * 100))
      : 100;
  const availableShare =
    replicas.desired > 0
      ? Math.min(100, Math.round((replicas.available / replicas.desired) * 100))
      : 100;
  return (
    <Box>
      <Box display="flex" alignItems="center" flexWrap="wrap">
        <StatusLabel tone={STATE_TONES[d.state]}>
          {d.strategy === 'recreate' ? 'Recreate' : 'Rolling update'} {d.state}
        </StatusLabel>
        <Box ml={2}>
          <Typography variant="body2">{strategyLabel(d)}</Typography>
        </Box>
      </Box>
      {d.message && (
        <Typography variant="body2" style={{ marginTop: 8 }}>
          {d.message}
        </Typography>
      )}
      <Box mt={2} maxWidth="40rem">
        <Typography variant="body2" id={`updated-${d.namespace}-${d.name}`}>
          {replicas.updated} of {replicas.desired} replicas updated,{' '}
          {replicas.available} available
        </Typography>
        <LinearProgress
          variant="buffer"
          value={availableShare}
          valueBuffer={updatedShare}
          aria-label={`Replicas of ${d.name}: ${replicas.updated} of ${replicas.desired} updated, ${replicas.available} available`}
        />
      </Box>
      <Table size="small" aria-label={`Replicas of ${d.name}`}>
        <TableHead>
          <TableRow>
            <TableCell>Desired</TableCell>
            <TableCell>Current</TableCell>
            <TableCell>Updated</TableCell>
            <TableCell>Ready</TableCell>
            <TableCell>Available</TableCell>
            <TableCell>Unavailable</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          <TableRow>
            <TableCell>{replicas.desired}</TableCell>
            <TableCell>{replicas.current}</TableCell>
            <TableCell>{replicas.updated}</TableCell>
            <TableCell>{replicas.ready}</TableCell>
            <TableCell>{replicas.available}</TableCell>
            <TableCell>{replicas.unavailable}</TableCell>
          </TableRow>
        </TableBody>
      </Table>
      <Box mt={2}>
        <Deadline deployment={d} />
        {d.downtime && (
          <Typography variant="body2" color="error">
            Down for {formatDuration(d.downtime.seconds)}: no replica available
            since <Time iso={d.downtime.since} /> (Recreate stops the old Pods
            before it starts the new ones)
          </Typography>
        )}
      </Box>
      {d.replicaSets.length > 0 && (
        <Box mt={2}>
          <Table size="small" aria-label={`ReplicaSets of ${d.name}`}>
            <TableHead>
              <TableRow>
                <TableCell>ReplicaSet</TableCell>
                <TableCell>Revision</TableCell>
                <TableCell>Images</TableCell>
                <TableCell>Pods ready</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {d.replicaSets.map(rs => (
                <TableRow key={rs.name}>
                  <TableCell>
                    {rs.name} {rs.new ? '(new)' : '(old)'}
                  </TableCell>
                  <TableCell>{rs.revision ?? '—'}</TableCell>
                  <TableCell>{rs.images.join(', ') || '—'}</TableCell>
                  <TableCell>
                    {rs.readyPods}/{rs.pods}
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </Box>
      )}
      {d.replicaSets.length === 0 && (
        <Typography variant="body2" style={{ marginTop: 8 }}>
          New: {d.newImages.join(', ') || 'no known image'}
          {d.oldImages.length > 0 ? ` · old: ${d.oldImages.join(', ')}` : ''}
        </Typography>
      )}
    </Box>
  );
}

/** One plain Deployment of an environment, as a card without actions. */
export const DeploymentCard = memo(function DeploymentCardView(props: {
  environment: string;
  deployment: DeploymentView;
}) {
  const { deployment, environment } = props;
  return (
    <InfoCard
      title={`Deployment ${deployment.name} · ${environment}`}
      subheader="A plain Kubernetes Deployment: no canary to promote or abort"
    >
      <DeploymentPanel deployment={deployment} />
    </InfoCard>
  );
});
