import type { Entity } from '@backstage/catalog-model';
import { InfoCard } from '@backstage/core-components';
import type { EnvironmentView } from '@gitops-delivery/backstage-plugin-delivery-common';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { HistoryChanges } from '../Changes/HistoryChanges';
import { ApplicationActions } from './ApplicationActions';

/**
 * The entity's Argo CD Applications, environment by environment, each with
 * its sync and health, its last operation, its Refresh, Sync and Roll
 * back actions, and its history with what changes between two entries.
 */
export function ApplicationsCard(props: {
  entity: Entity;
  environments: EnvironmentView[];
  onActionDone?: () => void;
}) {
  const rows = props.environments.flatMap(env =>
    env.applications.map(app => ({ env, app })),
  );
  if (rows.length === 0) return null;
  return (
    <InfoCard title="Argo CD applications">
      {rows.map(({ env, app }) => (
        <Box
          key={`${env.name}/${app.instance}/${app.name}`}
          component="section"
          aria-label={`Application ${app.name} in ${env.name}`}
          mb={2}
        >
          <Typography variant="subtitle1" component="h3">
            {app.name} · {env.name}
          </Typography>
          <Typography variant="body2" color="textSecondary">
            {app.instance} · {app.sync.status}
            {app.sync.revision
              ? ` at ${app.sync.revision.slice(0, 7)}`
              : ''} · {app.health.status}
            {app.autoSync ? ' · auto-sync' : ' · manual sync'}
          </Typography>
          <Box mt={1}>
            <ApplicationActions
              entity={props.entity}
              environment={env.name}
              app={app}
              rollback={env.summary?.rollbacks?.find(
                r => r.application === app.name,
              )}
              onDone={props.onActionDone}
            />
          </Box>
          <Box mt={1}>
            <HistoryChanges entity={props.entity} environment={env} app={app} />
          </Box>
        </Box>
      ))}
    </InfoCard>
  );
}
