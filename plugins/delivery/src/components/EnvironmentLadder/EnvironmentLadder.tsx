import type {
  EnvironmentView,
  PolicyEvaluation,
} from '@gitops-delivery/backstage-plugin-delivery-common';
import Box from '@material-ui/core/Box';
import Chip from '@material-ui/core/Chip';
import Tooltip from '@material-ui/core/Tooltip';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import IconButton from '@material-ui/core/IconButton';
import ExpandLessIcon from '@material-ui/icons/ExpandLess';
import ExpandMoreIcon from '@material-ui/icons/ExpandMore';
import { memo, useState } from 'react';
import { environmentHeadline } from '../../lib/headline';
import { orderedStages } from '../../lib/stages';
import { StatusLabel } from '../common/StatusLabel';
import { HEALTH_TONES } from '../common/tones';
import { StageCard } from './StageCard';

const useStyles = makeStyles(theme => ({
  environment: {
    marginBottom: theme.spacing(2),
    '&:last-child': { marginBottom: 0 },
  },
  stages: {
    listStyle: 'none',
    margin: 0,
    padding: 0,
    display: 'grid',
    gridTemplateColumns: 'repeat(7, minmax(110px, 1fr))',
    gap: theme.spacing(1),
    overflowX: 'auto',
  },
  stage: { position: 'relative' },
  headline: {
    display: 'flex',
    alignItems: 'center',
    flexWrap: 'wrap',
    gap: theme.spacing(1),
    marginBottom: theme.spacing(1),
  },
  envName: { minWidth: theme.spacing(12) },
  apps: { display: 'flex', flexWrap: 'wrap', gap: theme.spacing(1) },
}));

const EnvironmentRow = memo(function EnvironmentRowView(props: {
  env: EnvironmentView;
  /** Open: the stages are drawn; closed: the headline alone. */
  defaultOpen: boolean;
  /** The environment's policy evaluation, when loaded, for the headline's detail. */
  evaluation?: PolicyEvaluation;
}) {
  const { env } = props;
  const classes = useStyles();
  const headline = environmentHeadline(env, props.evaluation);
  const [open, setOpen] = useState(props.defaultOpen);
  const stagesId = `delivery-stages-${env.name}`;
  return (
    <section
      className={classes.environment}
      aria-label={`Environment ${env.name}`}
    >
      <div className={classes.headline}>
        <IconButton
          size="small"
          aria-expanded={open}
          aria-controls={stagesId}
          aria-label={`${open ? 'Hide' : 'Show'} the stages of ${env.name}`}
          onClick={() => setOpen(o => !o)}
        >
          {open ? <ExpandLessIcon /> : <ExpandMoreIcon />}
        </IconButton>
        <Typography variant="h6" component="h3" className={classes.envName}>
          {env.name}
        </Typography>
        <Typography
          variant="body1"
          component="p"
          data-testid={`headline-${env.name}`}
        >
          <StatusLabel tone={headline.tone}>{headline.text}</StatusLabel>
        </Typography>
      </div>
      {open && (
        <div id={stagesId}>
          <EnvironmentDetails env={env} />
        </div>
      )}
    </section>
  );
});

function EnvironmentDetails(props: { env: EnvironmentView }) {
  const { env } = props;
  const classes = useStyles();
  return (
    <>
      <Box display="flex" alignItems="center" mb={1} flexWrap="wrap">
        <div className={classes.apps}>
          {env.applications.map(app => {
            // an Application the entity's annotations found but that does
            // not name the entity back: readable, not actionable
            const unbound = app.binding?.enforced && !app.binding.bound;
            const chip = (
              <Chip
                key={`${app.instance}/${app.name}`}
                size="small"
                variant="outlined"
                label={
                  <StatusLabel tone={HEALTH_TONES[app.health.status]}>
                    {app.name} ({app.instance}): {app.sync.status},{' '}
                    {app.health.status}
                    {unbound && ' · not bound to this entity'}
                  </StatusLabel>
                }
              />
            );
            return unbound ? (
              <Tooltip
                key={`${app.instance}/${app.name}`}
                title={`Not bound to this entity: ${app.binding.reason}; actions disabled`}
              >
                {chip}
              </Tooltip>
            ) : (
              chip
            );
          })}
        </div>
      </Box>
      <ol
        className={classes.stages}
        aria-label={`Pipeline stages of ${env.name}`}
      >
        {orderedStages(env).map(stage => (
          <li key={stage.name} className={classes.stage}>
            <StageCard stage={stage} />
          </li>
        ))}
      </ol>
    </>
  );
}

/**
 * Which environments start open: the one the URL names (`?environment=`),
 * else the last one changing (a rollout in progress, aborted, an
 * application syncing), and wherever they are, those in trouble (the
 * headline's error tone: aborted, degraded, failing). The others are one
 * line each, so a pipeline of many environments rolling out at once does
 * not draw every one's stages up front.
 */
export function openEnvironments(
  environments: EnvironmentView[],
  named?: string | null,
): Set<string> {
  const headlines = environments.map(env => ({
    name: env.name,
    headline: environmentHeadline(env),
  }));
  const changing = headlines.filter(h => h.headline.changing);
  const focus =
    named && environments.some(env => env.name === named)
      ? named
      : changing[changing.length - 1]?.name;
  return new Set(
    headlines
      .filter(
        h =>
          h.name === focus ||
          (h.headline.changing && h.headline.tone === 'error'),
      )
      .map(h => h.name),
  );
}

/**
 * The environments in pipeline order, each with its headline (where the
 * change is, whether it is healthy, what is next) and, when open, its seven
 * stages as a horizontal graph.
 */
export function EnvironmentLadder(props: {
  environments: EnvironmentView[];
  /** The environment the URL names, shown open. */
  selected?: string | null;
  /** Policy evaluations by environment, where loaded. */
  evaluations?: Record<string, PolicyEvaluation>;
}) {
  const open = openEnvironments(props.environments, props.selected);
  if (!props.environments.length) {
    return (
      <Typography color="textSecondary">
        No Argo CD application matched this entity. Check the argocd/app-name or
        argocd/app-selector annotation and the configured instances.
      </Typography>
    );
  }
  return (
    <div>
      {props.environments.map(env => (
        <EnvironmentRow
          key={env.name}
          env={env}
          defaultOpen={open.has(env.name)}
          evaluation={props.evaluations?.[env.name]}
        />
      ))}
    </div>
  );
}
