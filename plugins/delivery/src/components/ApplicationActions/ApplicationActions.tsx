import { stringifyEntityRef, type Entity } from '@backstage/catalog-model';
import { alertApiRef, useApi } from '@backstage/core-plugin-api';
import { usePermission } from '@backstage/plugin-permission-react';
import {
  deliveryApplicationRollbackPermission,
  deliveryApplicationSyncPermission,
  type ApplicationActionResponse,
  type ApplicationOperationView,
  type ApplicationView,
  type RollbackPullRequest,
} from '@gitops-delivery/backstage-plugin-delivery-common';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import LinearProgress from '@material-ui/core/LinearProgress';
import Tooltip from '@material-ui/core/Tooltip';
import Typography from '@material-ui/core/Typography';
import { useState } from 'react';
import { ApplicationActionDialog } from './ApplicationActionDialog';
import {
  RollbackPullRequestStatus,
  trackedPullRequest,
} from './RollbackPullRequestStatus';
import {
  APPLICATION_ACTIONS,
  disabledReason,
  type ApplicationActionDefinition,
} from './applicationActionModel';

/** An Application's operation: its phase, message and per-resource result. */
export function ApplicationOperation(props: {
  operation?: ApplicationOperationView;
}) {
  const { operation } = props;
  if (!operation) return null;
  const running =
    operation.phase === 'Running' || operation.phase === 'Terminating';
  const failed = operation.phase === 'Failed' || operation.phase === 'Error';
  const unsynced = (operation.resources ?? []).filter(
    r => r.status && r.status !== 'Synced',
  );
  return (
    <Box mt={1} role="status" aria-label="Last operation">
      <Typography variant="body2" color={failed ? 'error' : 'textPrimary'}>
        {running ? 'Operation running' : `Last operation ${operation.phase}`}
        {operation.initiatedBy ? ` (by ${operation.initiatedBy})` : ''}
        {operation.revision ? ` at ${operation.revision.slice(0, 7)}` : ''}
        {operation.message ? `: ${operation.message}` : ''}
        {!running && operation.finishedAt
          ? `, finished ${operation.finishedAt}`
          : ''}
      </Typography>
      {running && (
        <LinearProgress aria-label={`Operation ${operation.phase}`} />
      )}
      {unsynced.length > 0 && (
        <ul aria-label="Resources not synced">
          {unsynced.map(r => (
            <li key={`${r.kind}/${r.namespace ?? ''}/${r.name}`}>
              <Typography variant="body2">
                {r.kind} {r.name}: {r.status}
                {r.message ? ` (${r.message})` : ''}
              </Typography>
            </li>
          ))}
        </ul>
      )}
    </Box>
  );
}

/**
 * The Refresh, Sync and Roll back buttons of one Application. Each is
 * disabled, with the reason in its tooltip, when the user lacks the
 * permission, the Application is not bound to the entity, an operation is
 * running, or (rollback) auto-sync is on.
 */
export function ApplicationActions(props: {
  entity: Entity;
  environment: string;
  app: ApplicationView;
  /** The Application's newest GitOps rollback pull request (the overview's summary.rollbacks). */
  rollback?: RollbackPullRequest;
  onDone?: (response: ApplicationActionResponse) => void;
}) {
  const { entity, environment, app } = props;
  const alertApi = useApi(alertApiRef);
  const resourceRef = stringifyEntityRef(entity);
  const sync = usePermission({
    permission: deliveryApplicationSyncPermission,
    resourceRef,
  });
  const rollback = usePermission({
    permission: deliveryApplicationRollbackPermission,
    resourceRef,
  });
  const [open, setOpen] = useState<ApplicationActionDefinition>();
  const [last, setLast] = useState<ApplicationActionResponse>();
  const permitted = (d: ApplicationActionDefinition) =>
    d.permission === 'sync' ? sync.allowed : rollback.allowed;
  const loading = sync.loading || rollback.loading;
  // the answer's operation until the overview shows a newer one
  const operation =
    last?.operation &&
    (!app.operation?.startedAt ||
      (last.operation.startedAt ?? '') > app.operation.startedAt)
      ? last.operation
      : app.operation;

  return (
    <Box>
      <Box
        display="flex"
        flexWrap="wrap"
        style={{ gap: 8 }}
        role="group"
        aria-label={`Actions on application ${app.name}`}
      >
        {APPLICATION_ACTIONS.map(definition => {
          const reason = loading
            ? 'Checking your permissions'
            : disabledReason(app, definition, permitted(definition));
          const button = (
            <Button
              size="small"
              variant="outlined"
              color="primary"
              disabled={!!reason}
              onClick={() => setOpen(definition)}
            >
              {definition.title}
            </Button>
          );
          return reason ? (
            <Tooltip key={definition.name} title={reason}>
              {/* A disabled button fires no events; the span carries the tooltip. */}
              <span aria-label={`${definition.title}: ${reason}`}>
                {button}
              </span>
            </Tooltip>
          ) : (
            <span key={definition.name}>{button}</span>
          );
        })}
      </Box>
      <ApplicationOperation operation={operation} />
      <RollbackPullRequestStatus
        pullRequest={trackedPullRequest(last?.pullRequest, props.rollback)}
      />
      {open && (
        <ApplicationActionDialog
          entity={entity}
          environment={environment}
          app={app}
          action={open}
          tracked={props.rollback}
          onClose={() => setOpen(undefined)}
          onDone={response => {
            // a pull request stays on screen in the dialog until closed
            if (!response.pullRequest) setOpen(undefined);
            setLast(response);
            alertApi.post({
              message: `${open.title} of ${app.name}: ${
                response.record.outcome
              }${
                response.operation
                  ? ` (operation ${response.operation.phase})`
                  : ''
              }${
                response.pullRequest
                  ? ` (pull request #${response.pullRequest.number} opened)`
                  : ''
              }`,
              severity: 'success',
              display: 'transient',
            });
            props.onDone?.(response);
          }}
        />
      )}
    </Box>
  );
}
