import type { RolloutView } from '@gitops-delivery/backstage-plugin-delivery-common';
import Box from '@material-ui/core/Box';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import { Alert } from '@material-ui/lab';
import { memo } from 'react';
import { rolloutState, stepLabel } from '../../lib/rollout';
import { StatusLabel } from '../common/StatusLabel';
import { ROLLOUT_TONES } from '../common/tones';
import { AnalysisRuns } from './AnalysisRuns';
import { BlueGreenDetails } from './BlueGreenDetails';
import { ExperimentPanel } from './ExperimentPanel';
import { PauseCountdown } from './PauseCountdown';
import { ShadowTraffic } from './ShadowTraffic';
import { StepList } from './StepList';
import { TrafficRouting } from './TrafficRouting';
import { WeightBar } from './WeightBar';

function ImageList(props: { title: string; images: string[] }) {
  return (
    <Box>
      <Typography variant="subtitle2" component="h4">
        {props.title}
      </Typography>
      {props.images.length ? (
        props.images.map(image => (
          <Typography
            key={image}
            variant="body2"
            style={{ wordBreak: 'break-all' }}
          >
            <code>{image}</code>
          </Typography>
        ))
      ) : (
        <Typography variant="body2" color="textSecondary">
          none
        </Typography>
      )}
    </Box>
  );
}

/** The background analysis line: it runs beside the steps. */
function BackgroundAnalysis(props: { rollout: RolloutView }) {
  const background = props.rollout.canary?.backgroundAnalysis;
  if (!background) return null;
  return (
    <Typography variant="body2">
      Background analysis ({background.templates.join(', ')}) runs beside the
      steps
      {background.startingStep !== undefined
        ? ` from step ${background.startingStep + 1}`
        : ' from the start of the update'}
      ; its failure aborts the update.
    </Typography>
  );
}

/** Progress of one rollout: state, steps, weights, pause, images and analysis. */
export const CanaryPanel = memo(function CanaryPanelView(props: {
  rollout: RolloutView;
  /** Browser time the data arrived, for the pause countdown. */
  receivedAt?: number;
}) {
  const { rollout, receivedAt } = props;
  const state = rolloutState(rollout);
  const blueGreen = rollout.strategy === 'blueGreen';
  const pauseOutsideSteps =
    rollout.pause && (blueGreen || !rollout.steps.length);
  return (
    <Box>
      <Box display="flex" alignItems="center" flexWrap="wrap" mb={1}>
        <Box mr={2}>
          <StatusLabel tone={ROLLOUT_TONES[state]}>
            {blueGreen ? 'Blue-green' : 'Canary'} {state}
          </StatusLabel>
        </Box>
        <Typography variant="body2" color="textSecondary">
          phase {rollout.phase ?? rollout.health.status} · {stepLabel(rollout)}{' '}
          · {rollout.application} ({rollout.instance}) · namespace{' '}
          {rollout.namespace}
        </Typography>
      </Box>
      {rollout.aborted && (
        <Box mb={1}>
          <Alert severity="error">
            Rollout aborted{rollout.abortedAt ? ` at ${rollout.abortedAt}` : ''}
            : {rollout.message ?? rollout.health.message ?? 'no reason given'}.
            Traffic is back on the stable version.
          </Alert>
        </Box>
      )}
      {!rollout.aborted && rollout.fullyPromoted && (
        <Box mb={1}>
          <Alert severity="success">
            Fully promoted: the new version is the stable one.
          </Alert>
        </Box>
      )}
      {!rollout.aborted && rollout.message && state !== 'promoted' && (
        <Typography variant="body2" gutterBottom>
          {rollout.message}
        </Typography>
      )}
      {pauseOutsideSteps && (
        <PauseCountdown
          remainingSeconds={rollout.pause?.remainingSeconds}
          receivedAt={receivedAt}
          reason={rollout.pause?.reason}
        />
      )}
      {blueGreen ? (
        <BlueGreenDetails rollout={rollout} />
      ) : (
        <>
          <Box my={1}>
            <WeightBar
              canary={rollout.canaryWeight}
              stable={rollout.stableWeight}
            />
          </Box>
          <StepList rollout={rollout} receivedAt={receivedAt} />
          <TrafficRouting rollout={rollout} />
          <ShadowTraffic rollout={rollout} />
          <BackgroundAnalysis rollout={rollout} />
          {rollout.canary?.experiment && (
            <ExperimentPanel experiment={rollout.canary.experiment} />
          )}
        </>
      )}
      <Box my={2}>
        <Grid container spacing={2}>
          <Grid item xs={12} md={6}>
            <ImageList
              title={blueGreen ? 'Active (stable) images' : 'Stable images'}
              images={rollout.stableImages}
            />
          </Grid>
          <Grid item xs={12} md={6}>
            <ImageList
              title={blueGreen ? 'Preview (new) images' : 'Canary images'}
              images={rollout.canaryImages}
            />
          </Grid>
        </Grid>
      </Box>
      <AnalysisRuns runs={rollout.analysisRuns} />
    </Box>
  );
});
