import type { AnalysisRunView } from '@gitops-delivery/backstage-plugin-delivery-common';
import Box from '@material-ui/core/Box';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { formatMeasurement, unitOfMetric } from '../../lib/format';
import { StatusLabel } from '../common/StatusLabel';
import { analysisTone } from '../common/tones';

/** How many of the newest measurements each metric shows. */
const MEASUREMENTS_SHOWN = 5;

/** The rollout's AnalysisRuns: each metric's measurements against its conditions. */
export function AnalysisRuns(props: { runs: AnalysisRunView[] }) {
  if (!props.runs.length) {
    return (
      <Typography variant="body2" color="textSecondary">
        No analysis has run for this revision yet.
      </Typography>
    );
  }
  return (
    <>
      {props.runs.map(run => (
        <Box key={run.name} mb={2}>
          <Box display="flex" alignItems="center" flexWrap="wrap">
            <Box mr={1}>
              <Typography variant="subtitle2" component="h4">
                {run.type ?? 'Analysis'} run {run.name}
                {run.stepIndex !== undefined
                  ? ` (step ${run.stepIndex + 1})`
                  : ''}
              </Typography>
            </Box>
            <StatusLabel tone={analysisTone(run.phase)}>
              {run.phase}
            </StatusLabel>
          </Box>
          {run.message && (
            <Typography variant="body2" color="textSecondary">
              {run.message}
            </Typography>
          )}
          <Table
            size="small"
            aria-label={`Metrics of analysis run ${run.name}`}
          >
            <TableHead>
              <TableRow>
                <TableCell>Metric</TableCell>
                <TableCell>Phase</TableCell>
                <TableCell>Condition</TableCell>
                <TableCell>Measurements (newest last)</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {run.metrics.map(metric => (
                <TableRow key={metric.name}>
                  <TableCell>
                    {metric.name}
                    {metric.message && (
                      <Typography variant="caption" display="block">
                        {metric.message}
                      </Typography>
                    )}
                  </TableCell>
                  <TableCell>
                    <StatusLabel tone={analysisTone(metric.phase)}>
                      {metric.phase}
                    </StatusLabel>
                  </TableCell>
                  <TableCell>
                    {metric.successCondition && (
                      <div>
                        success: <code>{metric.successCondition}</code>
                      </div>
                    )}
                    {metric.failureCondition && (
                      <div>
                        failure: <code>{metric.failureCondition}</code>
                      </div>
                    )}
                  </TableCell>
                  <TableCell>
                    {metric.measurements.length === 0 && '—'}
                    {metric.measurements
                      .slice(-MEASUREMENTS_SHOWN)
                      .map((m, i) => (
                        <div key={`${m.startedAt ?? ''}-${i}`}>
                          <StatusLabel tone={analysisTone(m.phase)}>
                            {m.value !== undefined ? (
                              <span title={`exact: ${m.value}`}>
                                {formatMeasurement(
                                  m.value,
                                  unitOfMetric(metric.name),
                                )}
                              </span>
                            ) : (
                              m.message ?? m.phase
                            )}
                          </StatusLabel>
                        </div>
                      ))}
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </Box>
      ))}
    </>
  );
}
