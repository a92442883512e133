import { stringifyEntityRef, type Entity } from '@backstage/catalog-model';
import { alertApiRef, useApi } from '@backstage/core-plugin-api';
import type {
  AuditRecord,
  RolloutView,
} from '@gitops-delivery/backstage-plugin-delivery-common';
import {
  deliveryAbortPermission,
  deliveryOverridePermission,
  deliveryPromotePermission,
} from '@gitops-delivery/backstage-plugin-delivery-common';
import { usePermission } from '@backstage/plugin-permission-react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Tooltip from '@material-ui/core/Tooltip';
import Alert from '@material-ui/lab/Alert';
import { useState } from 'react';
import { ActionDialog } from './ActionDialog';
import {
  ACTION_DEFINITIONS,
  argoAvailability,
  type ActionDefinition,
} from './actionModel';

/**
 * Why a rollout's actions are not offered: its Application does not name the
 * entity back, and how to bind it.
 */
function NotBoundNotice(props: { entityRef: string; rollout: RolloutView }) {
  const { entityRef, rollout } = props;
  return (
    <Alert severity="warning" role="note">
      Not bound to this entity: {rollout.binding?.reason}; actions disabled. To
      bind it, give the Argo CD Application {rollout.application} the annotation{' '}
      <code>delivery.backstage.io/entity-ref: {entityRef}</code> in the GitOps
      repository (or Argo CD), or ask the portal's admins for a{' '}
      <code>delivery.actions.ownerProjects</code> rule for its project.
    </Alert>
  );
}

/**
 * The action buttons of a rollout: shown only when the user holds the
 * permission, Argo CD offers the action and the rollout's Application is
 * bound to the entity; disabled when Argo CD disables it.
 */
export function RolloutActions(props: {
  entity: Entity;
  environment: string;
  rollout: RolloutView;
  onDone?: (record: AuditRecord) => void;
  /** The environment before this one, for the promote dialog's changes. */
  previousEnvironment?: string;
}) {
  const { entity, environment, rollout } = props;
  const alertApi = useApi(alertApiRef);
  const resourceRef = stringifyEntityRef(entity);
  const promote = usePermission({
    permission: deliveryPromotePermission,
    resourceRef,
  });
  const abort = usePermission({
    permission: deliveryAbortPermission,
    resourceRef,
  });
  const override = usePermission({
    permission: deliveryOverridePermission,
    resourceRef,
  });
  const [open, setOpen] = useState<ActionDefinition>();

  const { binding } = rollout;
  if (binding?.enforced && !binding.bound) {
    return <NotBoundNotice entityRef={resourceRef} rollout={rollout} />;
  }
  const allowed = (definition: ActionDefinition) =>
    definition.permission === deliveryPromotePermission
      ? promote.allowed
      : abort.allowed;
  const visible = ACTION_DEFINITIONS.filter(
    d => allowed(d) && argoAvailability(rollout, d) !== 'absent',
  );
  if (!visible.length) return null;

  return (
    <Box
      display="flex"
      flexWrap="wrap"
      style={{ gap: 8 }}
      role="group"
      aria-label={`Actions on rollout ${rollout.name}`}
    >
      {visible.map(definition => {
        const enabled = argoAvailability(rollout, definition) === 'enabled';
        const button = (
          <Button
            variant="outlined"
            color={definition.name === 'abort' ? 'secondary' : 'primary'}
            disabled={!enabled}
            onClick={() => setOpen(definition)}
          >
            {definition.title}
          </Button>
        );
        return enabled ? (
          <span key={definition.name}>{button}</span>
        ) : (
          <Tooltip
            key={definition.name}
            title={`Argo CD does not allow "${definition.title}" in the rollout's current state`}
          >
            {/* A disabled button fires no events; the span carries the tooltip. */}
            <span>{button}</span>
          </Tooltip>
        );
      })}
      {open && (
        <ActionDialog
          entity={entity}
          environment={environment}
          rollout={rollout}
          action={open}
          canOverride={override.allowed}
          previousEnvironment={props.previousEnvironment}
          onClose={() => setOpen(undefined)}
          onDone={record => {
            setOpen(undefined);
            alertApi.post({
              message: `${open.title} of ${rollout.name}: ${record.outcome}`,
              severity: record.outcome === 'succeeded' ? 'success' : 'info',
              display: 'transient',
            });
            props.onDone?.(record);
          }}
        />
      )}
    </Box>
  );
}
