import type { MetricsResponse } from '@gitops-delivery/backstage-plugin-delivery-common';
import Box from '@material-ui/core/Box';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import type { FetchState } from '../../hooks';
import { SectionState } from '../common/SectionState';
import { SloChart } from './SloChart';

const withSlos = (value: MetricsResponse) =>
  value.rollouts.filter(r => r.slos.length);

/** The SLO charts of every rollout of one environment. */
export function SloCharts(props: {
  state: FetchState<MetricsResponse>;
  /** Fixed chart width in pixels; by default charts fill their cell. */
  chartWidth?: number;
}) {
  return (
    <SectionState
      state={props.state}
      errorTitle="SLO metrics could not be loaded"
      isEmpty={value => !withSlos(value).length}
      emptyHint="No SLO series for this environment. SLOs are configured under delivery.slos and need a rollout and Prometheus."
    >
      {value =>
        withSlos(value).map(rollout => (
          <Box key={`${rollout.instance}/${rollout.rollout}`} mb={2}>
            <Typography variant="subtitle1" component="h3" gutterBottom>
              Rollout {rollout.rollout} ({rollout.application})
            </Typography>
            <Grid container spacing={2}>
              {rollout.slos.map(slo => (
                <Grid item xs={12} lg={6} key={slo.name}>
                  <SloChart
                    slo={slo}
                    stepChanges={rollout.stepChanges}
                    width={props.chartWidth}
                  />
                </Grid>
              ))}
            </Grid>
          </Box>
        ))
      }
    </SectionState>
  );
}
