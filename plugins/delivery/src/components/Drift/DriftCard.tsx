import { getCompoundEntityRef, type Entity } from '@backstage/catalog-model';
import { InfoCard, Progress } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import type {
  EnvironmentView,
  DriftApplication,
  DriftResponse,
  ResourceDrift,
} from '@gitops-delivery/backstage-plugin-delivery-common';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { Alert } from '@material-ui/lab';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { deliveryApiRef } from '../../api';
import type { FetchState } from '../../hooks';
import { SectionError } from '../common/SectionError';
import { FieldChangesTable } from './FieldChangesTable';

/** The drift of an environment; `refreshKey` refetches it with the overview. */
export function useDrift(
  entity: Entity,
  environment: string,
  refreshKey?: string,
): FetchState<DriftResponse> {
  const api = useApi(deliveryApiRef);
  return useAsyncRetry(
    async () => api.getDrift(getCompoundEntityRef(entity), { environment }),
    [api, entity, environment, refreshKey],
  );
}

const resourceName = (r: ResourceDrift) =>
  `${r.kind} ${r.namespace ? `${r.namespace}/` : ''}${r.name}`;

function ResourceDriftView(props: { resource: ResourceDrift }) {
  const { resource } = props;
  const name = resourceName(resource);
  return (
    <Box mt={2}>
      <Typography variant="subtitle2" component="h4">
        {name}
      </Typography>
      {resource.drift === 'missing' && (
        <Typography variant="body2">
          In Git, missing from the cluster.
        </Typography>
      )}
      {resource.drift === 'extraneous' && (
        <Typography variant="body2">
          In the cluster, no longer in Git (a sync with prune deletes it).
        </Typography>
      )}
      {resource.drift === 'modified' && resource.changes.length === 0 && (
        <Typography variant="body2">
          Argo CD reports it changed in fields not shown here (status or
          bookkeeping fields).
        </Typography>
      )}
      {resource.changes.length > 0 && (
        <FieldChangesTable
          changes={resource.changes}
          beforeLabel="Live (cluster)"
          afterLabel="Desired (Git)"
          label={`Drifted fields of ${name}`}
        />
      )}
    </Box>
  );
}

function ApplicationDriftView(props: { app: DriftApplication }) {
  const { app } = props;
  const title = `${app.name} (${app.instance})`;
  if (app.state === 'error') {
    return (
      <Box mt={1}>
        <Alert severity="warning">
          The drift of {title} could not be read: {app.error}
        </Alert>
      </Box>
    );
  }
  return (
    <Box mt={1}>
      <Typography variant="subtitle1" component="h3">
        {title} · {app.sync}
      </Typography>
      {app.resources.length === 0 ? (
        <Typography variant="body2">
          No managed resource differs from Git (Argo CD may be comparing with a
          revision it has not rendered yet).
        </Typography>
      ) : (
        app.resources.map(r => (
          <ResourceDriftView
            key={`${r.group}/${r.kind}/${r.namespace}/${r.name}`}
            resource={r}
          />
        ))
      )}
    </Box>
  );
}

function DriftBody(props: { state: FetchState<DriftResponse> }) {
  const { value, error, loading, retry } = props.state;
  if (error) {
    return (
      <SectionError
        title="The drift could not be loaded"
        error={error}
        onRetry={retry}
      />
    );
  }
  if (loading && !value) return <Progress />;
  if (!value) return null;
  const drifted = value.applications.filter(a => a.state !== 'in-sync');
  if (drifted.length === 0) {
    return (
      <Typography color="textSecondary">
        Every Application of this environment is Synced.
      </Typography>
    );
  }
  return (
    <>
      {drifted.map(a => (
        <ApplicationDriftView key={`${a.instance}/${a.name}`} app={a} />
      ))}
    </>
  );
}

/**
 * What differs between the cluster and Git in one environment: per
 * Application that is not Synced, the resources and fields that drifted,
 * live against desired (Secrets' values are never sent by the backend).
 */
export function DriftCard(props: {
  entity: Entity;
  environment: string;
  refreshKey?: string;
}) {
  const state = useDrift(props.entity, props.environment, props.refreshKey);
  return (
    <InfoCard
      title={`Drift · ${props.environment}`}
      subheader="Live state against Git, as Argo CD compares them"
    >
      <DriftBody state={state} />
    </InfoCard>
  );
}

/** The environments with an Application Argo CD reports OutOfSync. */
export function driftedEnvironments(environments: EnvironmentView[]): string[] {
  return environments
    .filter(env => env.applications.some(a => a.sync.status === 'OutOfSync'))
    .map(env => env.name);
}
