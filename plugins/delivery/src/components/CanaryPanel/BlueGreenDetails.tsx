import type { RolloutView } from '@gitops-delivery/backstage-plugin-delivery-common';
import Box from '@material-ui/core/Box';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import { formatDuration } from '../../lib/format';
import { StatusLabel } from '../common/StatusLabel';
import { analysisTone } from '../common/tones';

/** What promotes a blue-green preview, in words. */
export function autoPromotionText(bg: RolloutView['blueGreen']): string {
  if (bg?.autoPromotionEnabled === false) {
    return 'Waits for someone to promote the preview.';
  }
  if (bg?.autoPromotionSeconds !== undefined) {
    return `Promotes by itself ${formatDuration(
      bg.autoPromotionSeconds,
    )} after the preview is ready.`;
  }
  return 'Promotes by itself as soon as the preview is ready.';
}

function PromotionAnalysis(props: {
  title: string;
  templates: string[];
  runs: RolloutView['analysisRuns'];
}) {
  return (
    <Grid item xs={12} sm={6}>
      <Typography variant="subtitle2" component="h4">
        {props.title}
      </Typography>
      {props.templates.length ? (
        <Typography variant="body2">{props.templates.join(', ')}</Typography>
      ) : (
        <Typography variant="body2" color="textSecondary">
          none configured
        </Typography>
      )}
      {props.runs.map(run => (
        <Box key={run.name}>
          <Typography variant="body2" component="span">
            run {run.name}{' '}
          </Typography>
          <StatusLabel tone={analysisTone(run.phase)}>{run.phase}</StatusLabel>
        </Box>
      ))}
    </Grid>
  );
}

/** A blue-green Rollout's services, promotion settings and promotion analyses. */
export function BlueGreenDetails(props: { rollout: RolloutView }) {
  const { rollout } = props;
  const bg = rollout.blueGreen ?? {};
  const runsOf = (type: string) =>
    rollout.analysisRuns.filter(r => r.type === type);
  return (
    <Grid container spacing={2}>
      <Grid item xs={12} sm={6}>
        <Typography variant="subtitle2" component="h4">
          Active service
        </Typography>
        <Typography variant="body2">
          {bg.activeService ?? '—'}
          {bg.activeSelector ? ` → ${bg.activeSelector}` : ''}
        </Typography>
      </Grid>
      <Grid item xs={12} sm={6}>
        <Typography variant="subtitle2" component="h4">
          Preview service
        </Typography>
        <Typography variant="body2">
          {bg.previewService ?? '—'}
          {bg.previewSelector ? ` → ${bg.previewSelector}` : ''}
          {bg.previewReplicaCount !== undefined
            ? ` (${bg.previewReplicaCount} preview replicas)`
            : ''}
        </Typography>
      </Grid>
      <Grid item xs={12} sm={6}>
        <Typography variant="subtitle2" component="h4">
          Promotion
        </Typography>
        <Typography variant="body2">{autoPromotionText(bg)}</Typography>
      </Grid>
      <Grid item xs={12} sm={6}>
        <Typography variant="subtitle2" component="h4">
          Scale-down delay
        </Typography>
        <Typography variant="body2">
          {bg.scaleDownDelaySeconds !== undefined
            ? `The old version keeps running ${formatDuration(
                bg.scaleDownDelaySeconds,
              )} after the switch.`
            : '—'}
        </Typography>
      </Grid>
      <PromotionAnalysis
        title="Pre-promotion analysis"
        templates={bg.prePromotionAnalysis ?? []}
        runs={runsOf('PrePromotion')}
      />
      <PromotionAnalysis
        title="Post-promotion analysis"
        templates={bg.postPromotionAnalysis ?? []}
        runs={runsOf('PostPromotion')}
      />
    </Grid>
  );
}
