import { Link } from '@backstage/core-components';
import {
  SEVERITIES,
  type SecurityLayer,
  type SecurityLayerState,
  type SecurityLayerView,
  type SeverityCounts,
} from '@gitops-delivery/backstage-plugin-delivery-common';
import Box from '@material-ui/core/Box';
import Grid from '@material-ui/core/Grid';
import Paper from '@material-ui/core/Paper';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import CheckCircleIcon from '@material-ui/icons/CheckCircle';
import ErrorIcon from '@material-ui/icons/Error';
import HelpIcon from '@material-ui/icons/Help';
import WarningIcon from '@material-ui/icons/Warning';
import { SeverityChips } from '../Vulnerabilities/SeverityChips';

/** What each layer is, as a tile title and a line under it. */
export const LAYER_TITLES: Record<
  SecurityLayer,
  { title: string; what: string }
> = {
  sast: { title: 'Code (SAST)', what: 'code-scanning alerts of the commit' },
  sca: { title: 'Dependencies (SCA)', what: 'open dependency alerts' },
  image: { title: 'Image', what: 'vulnerabilities of the deployed image' },
  runtime: {
    title: 'Runtime',
    what: 'Falco detections in the Pods over the soak',
  },
  iac: {
    title: 'Infrastructure (IaC)',
    what: 'misconfigurations of what is deployed',
  },
};

/** The state as a word; the icon beside it never carries it alone. */
export const STATE_TEXT: Record<SecurityLayerState, string> = {
  clean: 'clean',
  findings: 'findings',
  unknown: 'unknown',
  'source-error': 'source error',
};

const useStyles = makeStyles(theme => ({
  tile: {
    padding: theme.spacing(1.5),
    height: '100%',
    display: 'flex',
    flexDirection: 'column',
    gap: theme.spacing(0.75),
  },
  state: {
    display: 'flex',
    alignItems: 'center',
    gap: theme.spacing(0.5),
    fontWeight: theme.typography.fontWeightMedium as number,
  },
  clean: { color: theme.palette.success.main },
  findings: { color: theme.palette.error.main },
  unknown: { color: theme.palette.text.secondary },
  sourceError: { color: theme.palette.warning.dark },
  caption: { color: theme.palette.text.primary },
}));

function StateIcon(props: { state: SecurityLayerState }) {
  const classes = useStyles();
  switch (props.state) {
    case 'clean':
      return <CheckCircleIcon fontSize="small" className={classes.clean} />;
    case 'findings':
      return <ErrorIcon fontSize="small" className={classes.findings} />;
    case 'source-error':
      return <WarningIcon fontSize="small" className={classes.sourceError} />;
    default:
      return <HelpIcon fontSize="small" className={classes.unknown} />;
  }
}

function total(counts: SeverityCounts): number {
  return SEVERITIES.reduce((sum, s) => sum + counts[s], 0);
}

/** The sources of a layer as text: `falco (ok)`, or why there is none. */
function sourcesText(view: SecurityLayerView): string {
  if (view.sources.length === 0) return 'no source configured';
  return view.sources
    .map(s => (s.status === 'ok' ? s.source : `${s.source} (${s.status})`))
    .join(', ');
}

/** One layer: its source, state, counts, canary-vs-stable delta and links. */
export function SecurityLayerTile(props: { view: SecurityLayerView }) {
  const { view } = props;
  const classes = useStyles();
  const { title, what } = LAYER_TITLES[view.layer];
  const headingId = `security-layer-${view.layer}`;
  const fresh = total(view.newInCanaryCounts);
  return (
    <Paper
      variant="outlined"
      className={classes.tile}
      component="section"
      aria-labelledby={headingId}
    >
      <Typography variant="subtitle2" component="h4" id={headingId}>
        {title}
      </Typography>
      <Typography variant="caption" className={classes.caption}>
        {what} · source: {sourcesText(view)}
      </Typography>
      <span className={classes.state}>
        <StateIcon state={view.state} />
        {STATE_TEXT[view.state]}
      </span>
      {view.message && (
        <Typography variant="body2" className={classes.caption}>
          {view.message}
        </Typography>
      )}
      {view.state !== 'unknown' && (
        <SeverityChips
          label={`${title} findings by severity`}
          counts={view.counts}
        />
      )}
      {view.stableCounts && (
        <Typography variant="body2">
          {fresh === 0
            ? 'The canary adds nothing over stable.'
            : `New in the canary: ${SEVERITIES.filter(
                s => view.newInCanaryCounts[s] > 0,
              )
                .map(s => `${view.newInCanaryCounts[s]} ${s}`)
                .join(', ')}`}
        </Typography>
      )}
      {view.links.length > 0 && (
        <Box display="flex" flexWrap="wrap" style={{ gap: 8 }}>
          {view.links.map(link => (
            <Link key={link.url} to={link.url}>
              {link.title}
            </Link>
          ))}
        </Box>
      )}
    </Paper>
  );
}

/**
 * The Security section: the five layers side by side for the environment
 * in view (their findings are in the section's one findings table, with
 * the images', under a layer column and filter).
 */
export function SecurityLayers(props: { layers: SecurityLayerView[] }) {
  const { layers } = props;
  return (
    <Box mb={3} component="section" aria-labelledby="security-layers-heading">
      <Typography
        variant="subtitle1"
        component="h3"
        id="security-layers-heading"
        gutterBottom
      >
        Security layers
      </Typography>
      <Grid container spacing={1}>
        {layers.map(view => (
          <Grid item xs={12} sm={6} md key={view.layer}>
            <SecurityLayerTile view={view} />
          </Grid>
        ))}
      </Grid>
    </Box>
  );
}
