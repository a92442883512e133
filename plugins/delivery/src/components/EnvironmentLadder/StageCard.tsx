import { Link } from '@backstage/core-components';
import type { PipelineStage } from '@gitops-delivery/backstage-plugin-delivery-common';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import { memo } from 'react';
import {
  formatDuration,
  secondsBetween,
  shortRevision,
} from '../../lib/format';
import { STAGE_TITLES, stageStatusText } from '../../lib/stages';
import { ClampedText } from '../common/ClampedText';
import { StatusLabel } from '../common/StatusLabel';
import { STAGE_TONES } from '../common/tones';

const useStyles = makeStyles(theme => ({
  card: {
    border: `1px solid ${theme.palette.divider}`,
    borderRadius: theme.shape.borderRadius,
    padding: theme.spacing(1),
    minWidth: 0,
    height: '100%',
    boxSizing: 'border-box',
    // image references and messages wrap inside the card
    overflowWrap: 'anywhere',
  },
  // about another environment: dashed, so it does not read as this row's state
  elsewhere: { borderStyle: 'dashed' },
  running: { borderColor: theme.palette.info.main, borderWidth: 2 },
  failed: { borderColor: theme.palette.error.main, borderWidth: 2 },
  line: {
    overflow: 'hidden',
    textOverflow: 'ellipsis',
    whiteSpace: 'nowrap',
  },
}));

/** One stage of the pipeline graph: status, duration, revision, author, message, links. */
export const StageCard = memo(function StageCardView(props: {
  stage: PipelineStage;
}) {
  const { stage } = props;
  const classes = useStyles();
  const seconds = secondsBetween(stage.startedAt, stage.finishedAt);
  const revision = shortRevision(stage.revision);
  const highlight =
    stage.status === 'running' || stage.status === 'failed'
      ? classes[stage.status]
      : '';
  return (
    <div
      className={`${classes.card} ${highlight} ${
        stage.environment ? classes.elsewhere : ''
      }`}
      data-testid={`stage-${stage.name}`}
    >
      <Typography variant="subtitle2">{STAGE_TITLES[stage.name]}</Typography>
      {stage.environment && (
        <Typography variant="caption" display="block" color="textSecondary">
          this change in {stage.environment}
        </Typography>
      )}
      <StatusLabel tone={STAGE_TONES[stage.status]}>
        {stageStatusText(stage)}
      </StatusLabel>
      {seconds !== undefined && (
        <Typography variant="caption" display="block">
          {stage.finishedAt ? 'took' : 'for'} {formatDuration(seconds)}
        </Typography>
      )}
      {revision && (
        <Typography
          variant="caption"
          display="block"
          className={classes.line}
          title={stage.revision}
        >
          <code>{revision}</code>
          {stage.author ? ` by ${stage.author}` : ''}
        </Typography>
      )}
      {stage.commitMessage && (
        <Typography variant="caption" display="block">
          <ClampedText text={stage.commitMessage} />
        </Typography>
      )}
      {stage.message && (
        <Typography variant="caption" display="block" color="textSecondary">
          {stage.message}
        </Typography>
      )}
      {stage.links.map(link => (
        <Typography variant="caption" display="block" key={link.url}>
          <Link to={link.url}>{link.title}</Link>
        </Typography>
      ))}
    </div>
  );
});
