import { Progress } from '@backstage/core-components';
import type { MetricsResponse } from '@gitops-delivery/backstage-plugin-delivery-common';
import Box from '@material-ui/core/Box';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import type { FetchState } from '../../hooks';
import { SectionError } from '../common/SectionError';
import { SourceStatusPanel } from '../common/SourceStatusPanel';
import { SloChart } from './SloChart';

/** The SLO charts of every rollout of one environment. */
export function SloCharts(props: {
  state: FetchState<MetricsResponse>;
  /** Fixed chart width in pixels; by default charts fill their cell. */
  chartWidth?: number;
}) {
  const { value, error, loading, retry } = props.state;
  if (error) {
    return (
      <SectionError
        title="SLO metrics could not be loaded"
        error={error}
        onRetry={retry}
      />
    );
  }
  if (loading && !value) return <Progress />;
  if (!value) return null;
  const charts = value.rollouts.filter(r => r.slos.length);
  return (
    <>
      <SourceStatusPanel sources={value.sources} />
      {!charts.length && (
        <Typography color="textSecondary">
          No SLO series for this environment. SLOs are configured under
          delivery.slos and need a rollout and Prometheus.
        </Typography>
      )}
      {charts.map(rollout => (
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
      ))}
    </>
  );
}
