import { getCompoundEntityRef, type Entity } from '@backstage/catalog-model';
import { Progress } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import type {
  AuditRecord,
  RolloutView,
} from '@gitops-delivery/backstage-plugin-delivery-common';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogTitle from '@material-ui/core/DialogTitle';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import { Alert, AlertTitle } from '@material-ui/lab';
import { useState } from 'react';
import { deliveryApiRef } from '../../api';
import { usePolicy } from '../../hooks';
import { errorMessage, gatesFromError } from '../../lib/gateErrors';
import { GateList } from '../PolicyGates/GateList';
import { newIdempotencyKey, type ActionDefinition } from './actionModel';

function CurrentGates(props: {
  entity: Entity;
  environment: string;
  rollout: RolloutView;
}) {
  const { value, loading, error } = usePolicy(props.entity, props.environment);
  if (loading) return <Progress />;
  if (error) {
    return (
      <Alert severity="warning">
        The policy could not be evaluated ({error.message}); the backend
        evaluates it again when you confirm.
      </Alert>
    );
  }
  const evaluation =
    value?.evaluations.find(e => e.rollout === props.rollout.name) ??
    value?.evaluations[0];
  if (!evaluation) return null;
  return (
    <Box mt={2}>
      <Typography variant="subtitle2" component="h3">
        {evaluation.allowed
          ? 'The policy allows this promotion'
          : 'The policy blocks this promotion'}
      </Typography>
      <GateList gates={evaluation.gates} label="Policy gates" />
    </Box>
  );
}

/**
 * Confirms an action: asks for a reason, shows the gates, sends the request
 * with one idempotency key per dialog (so a double submit is one action) and
 * shows the backend's 409 gate results inline.
 */
export function ActionDialog(props: {
  entity: Entity;
  environment: string;
  rollout: RolloutView;
  action: ActionDefinition;
  onClose: () => void;
  onDone: (record: AuditRecord) => void;
}) {
  const { entity, environment, rollout, action } = props;
  const api = useApi(deliveryApiRef);
  const [reason, setReason] = useState('');
  const [idempotencyKey] = useState(newIdempotencyKey);
  const [submitting, setSubmitting] = useState(false);
  const [error, setError] = useState<Error>();
  const trimmed = reason.trim();
  const blockedBy = gatesFromError(error);

  const submit = async () => {
    if (!trimmed || submitting) return;
    setSubmitting(true);
    setError(undefined);
    try {
      const response = await api.postAction(getCompoundEntityRef(entity), {
        environment,
        rollout: rollout.name,
        action: action.name,
        reason: trimmed,
        idempotencyKey,
      });
      props.onDone(response.record);
    } catch (e) {
      setError(e as Error);
    } finally {
      setSubmitting(false);
    }
  };

  const titleId = `delivery-action-${action.name}-title`;
  return (
    <Dialog open onClose={props.onClose} aria-labelledby={titleId} fullWidth>
      <DialogTitle id={titleId}>
        {action.title}: {rollout.name} in {environment}
      </DialogTitle>
      <DialogContent>
        <form
          onSubmit={e => {
            e.preventDefault();
            submit();
          }}
        >
          <TextField
            id={`delivery-action-${action.name}-reason`}
            required
            fullWidth
            multiline
            minRows={2}
            label="Reason"
            helperText="Recorded in the audit trail."
            value={reason}
            onChange={e => setReason(e.target.value)}
            inputProps={{ maxLength: 500 }}
          />
        </form>
        {action.gated && !blockedBy && (
          <CurrentGates
            entity={entity}
            environment={environment}
            rollout={rollout}
          />
        )}
        {error && blockedBy && (
          <Box mt={2}>
            <Alert severity="error">
              <AlertTitle>Blocked by the promotion policy</AlertTitle>
              {errorMessage(error)}
            </Alert>
            <GateList gates={blockedBy} label="Gates that blocked the action" />
          </Box>
        )}
        {error && !blockedBy && (
          <Box mt={2}>
            <Alert severity="error">
              <AlertTitle>The action failed</AlertTitle>
              {errorMessage(error)}
            </Alert>
          </Box>
        )}
      </DialogContent>
      <DialogActions>
        <Button onClick={props.onClose}>Cancel</Button>
        <Button
          color="primary"
          variant="contained"
          disabled={!trimmed || submitting}
          onClick={submit}
        >
          {submitting ? 'Sending…' : `Confirm: ${action.title.toLowerCase()}`}
        </Button>
      </DialogActions>
    </Dialog>
  );
}
