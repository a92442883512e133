import type { DeliveryOverview } from '@gitops-delivery/backstage-plugin-delivery-common';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Typography from '@material-ui/core/Typography';
import RefreshIcon from '@material-ui/icons/Refresh';
import { Alert } from '@material-ui/lab';
import type { PolledState } from '../../hooks';
import { formatDuration, formatTimeOfDay } from '../../lib/format';
import { errorMessage } from '../../lib/gateErrors';

function refreshText(
  state: PolledState<DeliveryOverview> & { live?: boolean },
  interval: string,
): string {
  if (state.live) {
    // change signals refetch the view; the slow poll only covers a lost one
    return state.polling
      ? `Live: changes show as they happen (checked every ${interval} while a rollout progresses).`
      : 'Live: changes show as they happen.';
  }
  return state.polling
    ? `Refreshing every ${interval} while a rollout progresses.`
    : 'Refresh on demand.';
}

/** When the view was generated, whether it refreshes by itself, and a refresh button. */
export function RefreshBar(props: {
  state: PolledState<DeliveryOverview> & { live?: boolean };
  generatedAt: string;
}) {
  const { state } = props;
  const interval = formatDuration(state.intervalMs / 1000);
  return (
    <>
      <Box display="flex" alignItems="center" flexWrap="wrap">
        <Box mr={2}>
          {/* primary text: it sits on the page's grey, where secondary grey lacks contrast */}
          <Typography variant="body2">
            Generated at{' '}
            <time dateTime={props.generatedAt} title={props.generatedAt}>
              {formatTimeOfDay(props.generatedAt)}
            </time>
            . {refreshText(state, interval)}
          </Typography>
        </Box>
        <Button
          size="small"
          startIcon={<RefreshIcon />}
          onClick={state.refresh}
          disabled={state.loading}
          // each Application's card has a Refresh (of Argo CD) of its own
          aria-label={state.loading ? undefined : 'Refresh this view'}
        >
          {state.loading ? 'Refreshing…' : 'Refresh'}
        </Button>
      </Box>
      {state.error && (
        <Box mt={1}>
          <Alert severity="warning">
            The last refresh failed ({errorMessage(state.error)}); showing the
            previous data and retrying with back-off.
          </Alert>
        </Box>
      )}
    </>
  );
}
