import type { FleetCell } from '@gitops-delivery/backstage-plugin-delivery-common';
import Box from '@material-ui/core/Box';
import Tooltip from '@material-ui/core/Tooltip';
import Typography from '@material-ui/core/Typography';
import { StatusLabel, type StatusTone } from '../common/StatusLabel';

/** The tag of an image reference (`repo:tag[@digest]`), if it has one. */
function parseTag(image: string): string | undefined {
  const name = image.split('@')[0];
  const colon = name.lastIndexOf(':');
  return colon > name.lastIndexOf('/') ? name.slice(colon + 1) : undefined;
}

function shortDigest(digest: string | undefined): string | undefined {
  return digest?.replace(/^sha256:/, '').slice(0, 7);
}

function healthTone(cell: FleetCell): StatusTone {
  switch (cell.health) {
    case 'Healthy':
      return cell.drifted ? 'warning' : 'ok';
    case 'Degraded':
    case 'Missing':
      return 'error';
    case 'Progressing':
      return 'running';
    case 'Suspended':
      return 'pending';
    default:
      return 'warning';
  }
}

const SEVERITY_TONE: Record<string, StatusTone> = {
  CRITICAL: 'error',
  HIGH: 'error',
  MEDIUM: 'warning',
  LOW: 'ok',
  UNKNOWN: 'warning',
  NONE: 'ok',
};

function Line(props: { children: React.ReactNode }) {
  return (
    <Typography variant="body2" component="div">
      {props.children}
    </Typography>
  );
}

function CanaryLine({ canary }: { canary: NonNullable<FleetCell['canary']> }) {
  if (canary.aborted) {
    return (
      <Line>
        <StatusLabel tone="aborted">canary aborted</StatusLabel>
      </Line>
    );
  }
  const step =
    canary.step !== undefined && canary.steps !== undefined
      ? `step ${canary.step}/${canary.steps}, `
      : '';
  const tag = canary.image ? parseTag(canary.image) : undefined;
  return (
    <Line>
      <StatusLabel tone="running">
        canary {tag ? `${tag} ` : ''}
        {step}
        {canary.canaryWeight}%
      </StatusLabel>
    </Line>
  );
}

/** Why the signals are not (all) there: computing, failed or partial. */
function SignalsState({ cell }: { cell: FleetCell }) {
  if (cell.signalsStatus === 'computing') {
    return (
      <Tooltip title={cell.signalsMessage ?? ''}>
        <Box>
          <Line>
            <StatusLabel tone="pending">
              {cell.signalsAt ? 'signals updating' : 'signals computing'}
            </StatusLabel>
          </Line>
        </Box>
      </Tooltip>
    );
  }
  if (cell.signalsStatus === 'failed' || cell.signalsMessage) {
    return (
      <Tooltip title={cell.signalsMessage ?? ''}>
        <Box>
          <Line>
            <StatusLabel tone="warning">
              {cell.signalsStatus === 'failed'
                ? 'signals failed'
                : 'some signals missing'}
            </StatusLabel>
          </Line>
        </Box>
      </Tooltip>
    );
  }
  return null;
}

function SignalLines({ cell }: { cell: FleetCell }) {
  const at = cell.signalsAt
    ? `Signals computed at ${new Date(cell.signalsAt).toLocaleString()}`
    : '';
  return (
    <>
      <Tooltip title={at}>
        <Box>
          {cell.security && (
            <Line>
              <StatusLabel tone={SEVERITY_TONE[cell.security.worst]}>
                {cell.security.worst === 'NONE'
                  ? 'no findings'
                  : `${cell.security.count} ${cell.security.worst}`}
              </StatusLabel>
            </Line>
          )}
          {cell.policy && cell.policy.pending !== false && (
            <Line>
              {cell.policy.allowed ? (
                <StatusLabel tone="ok">promotion allowed</StatusLabel>
              ) : (
                <StatusLabel tone="error">
                  blocked by {cell.policy.failing.join(', ') || 'policy'}
                </StatusLabel>
              )}
            </Line>
          )}
          {cell.ci?.status === 'failed' && (
            <Line>
              <StatusLabel tone="error">CI failing</StatusLabel>
            </Line>
          )}
        </Box>
      </Tooltip>
      <SignalsState cell={cell} />
    </>
  );
}

/** One environment of one component: what runs there and how it is doing. */
export function FleetCellView({ cell }: { cell?: FleetCell }) {
  if (!cell) {
    // the default text colour: textSecondary is below AA contrast here
    return <Typography variant="body2">not deployed</Typography>;
  }
  const digest = shortDigest(cell.version?.digest);
  return (
    <Box>
      {cell.version && (
        <Tooltip title={cell.version.image}>
          <Typography variant="body2" component="div">
            <code>{cell.version.tag ?? cell.version.image}</code>
            {digest && <code> @{digest}</code>}
          </Typography>
        </Tooltip>
      )}
      {cell.health && (
        <Line>
          <StatusLabel tone={healthTone(cell)}>
            {cell.health}, {cell.sync ?? 'Unknown'}
          </StatusLabel>
        </Line>
      )}
      {cell.canary && <CanaryLine canary={cell.canary} />}
      {cell.drifted && (
        <Line>
          <StatusLabel tone="warning">drifted (out of sync)</StatusLabel>
        </Line>
      )}
      <SignalLines cell={cell} />
      {cell.doraBand && <Line>DORA: {cell.doraBand}</Line>}
      {cell.error && (
        <Tooltip title={cell.error}>
          <Box>
            <Line>
              <StatusLabel tone="warning">incomplete: {cell.error}</StatusLabel>
            </Line>
          </Box>
        </Tooltip>
      )}
    </Box>
  );
}
