import type { ExperimentView } from '@gitops-delivery/backstage-plugin-delivery-common';
import Box from '@material-ui/core/Box';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { formatDuration } from '../../lib/format';
import { StatusLabel } from '../common/StatusLabel';
import { analysisTone } from '../common/tones';

/** The Experiment of the current step: its templates side by side and its analyses. */
export function ExperimentPanel(props: { experiment: ExperimentView }) {
  const { experiment } = props;
  return (
    <Box
      my={2}
      component="section"
      aria-label={`Experiment ${experiment.name}`}
    >
      <Box display="flex" alignItems="center" flexWrap="wrap">
        <Box mr={1}>
          <Typography variant="subtitle2" component="h4">
            Experiment {experiment.name}
            {experiment.durationSeconds !== undefined
              ? ` (runs ${formatDuration(experiment.durationSeconds)})`
              : ' (runs until its analyses end)'}
          </Typography>
        </Box>
        <StatusLabel tone={analysisTone(experiment.phase)}>
          {experiment.phase}
        </StatusLabel>
      </Box>
      {experiment.message && (
        <Typography variant="body2" color="textSecondary">
          {experiment.message}
        </Typography>
      )}
      <Table size="small" aria-label={`Templates of ${experiment.name}`}>
        <TableHead>
          <TableRow>
            <TableCell>Template</TableCell>
            <TableCell>Replicas (ready / wanted)</TableCell>
            <TableCell>Status</TableCell>
            <TableCell>Images</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {experiment.templates.map(t => (
            <TableRow key={t.name}>
              <TableCell>{t.name}</TableCell>
              <TableCell>
                {t.readyReplicas ?? 0} / {t.replicas ?? '—'}
              </TableCell>
              <TableCell>{t.status ?? '—'}</TableCell>
              <TableCell style={{ wordBreak: 'break-all' }}>
                {t.images.length ? t.images.join(', ') : '—'}
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
      {experiment.analyses.length > 0 && (
        <Table size="small" aria-label={`Analyses of ${experiment.name}`}>
          <TableHead>
            <TableRow>
              <TableCell>Analysis</TableCell>
              <TableCell>Template</TableCell>
              <TableCell>Phase</TableCell>
              <TableCell>Run</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {experiment.analyses.map(a => (
              <TableRow key={a.name}>
                <TableCell>{a.name}</TableCell>
                <TableCell>{a.templateName ?? '—'}</TableCell>
                <TableCell>
                  <StatusLabel tone={analysisTone(a.phase ?? 'Pending')}>
                    {a.phase ?? 'Pending'}
                  </StatusLabel>
                  {a.message ? ` ${a.message}` : ''}
                </TableCell>
                <TableCell>{a.analysisRun ?? 'not started'}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </Box>
  );
}
