import type { EnvironmentView } from '@gitops-delivery/backstage-plugin-delivery-common';
import Box from '@material-ui/core/Box';
import Chip from '@material-ui/core/Chip';
import Tooltip from '@material-ui/core/Tooltip';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import { memo } from 'react';
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
  apps: { display: 'flex', flexWrap: 'wrap', gap: theme.spacing(1) },
}));

const EnvironmentRow = memo(function EnvironmentRowView(props: {
  env: EnvironmentView;
}) {
  const { env } = props;
  const classes = useStyles();
  return (
    <section
      className={classes.environment}
      aria-label={`Environment ${env.name}`}
    >
      <Box display="flex" alignItems="center" mb={1} flexWrap="wrap">
        <Box mr={2}>
          <Typography variant="h6" component="h3">
            {env.name}
          </Typography>
        </Box>
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
    </section>
  );
});

/** The environments in pipeline order, each with its seven stages as a horizontal graph. */
export function EnvironmentLadder(props: { environments: EnvironmentView[] }) {
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
        <EnvironmentRow key={env.name} env={env} />
      ))}
    </div>
  );
}
