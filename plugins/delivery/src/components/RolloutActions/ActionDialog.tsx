import { getCompoundEntityRef, type Entity } from '@backstage/catalog-model';
import { Progress } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import type {
  AuditRecord,
  GateResult,
  PolicyEvaluation,
  PolicyResponse,
  RolloutView,
} from '@gitops-delivery/backstage-plugin-delivery-common';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Checkbox from '@material-ui/core/Checkbox';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogTitle from '@material-ui/core/DialogTitle';
import FormControlLabel from '@material-ui/core/FormControlLabel';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import { Alert, AlertTitle } from '@material-ui/lab';
import { useState } from 'react';
import { deliveryApiRef } from '../../api';
import { usePolicy, type FetchState } from '../../hooks';
import { errorMessage, gatesFromError } from '../../lib/gateErrors';
import { GateList } from '../PolicyGates/GateList';
import { newIdempotencyKey, type ActionDefinition } from './actionModel';
import { applicationSelector, PromotionChanges } from '../Changes';

function evaluationOf(
  value: PolicyResponse | undefined,
  rollout: RolloutView,
): PolicyEvaluation | undefined {
  return (
    value?.evaluations.find(e => e.rollout === rollout.name) ??
    value?.evaluations[0]
  );
}

/** The gates a break-glass promotion overrides: the blocking ones not passing. */
function overriddenGates(gates: GateResult[]): GateResult[] {
  return gates.filter(g => g.blocking && g.outcome !== 'pass');
}

function CurrentGates(props: {
  state: FetchState<PolicyResponse>;
  evaluation?: PolicyEvaluation;
}) {
  const { loading, error } = props.state;
  const evaluation = props.evaluation;
  if (loading) return <Progress />;
  if (error) {
    return (
      <Alert severity="warning">
        The policy could not be evaluated ({error.message}); the backend
        evaluates it again when you confirm.
      </Alert>
    );
  }
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
 * The break-glass choice: only for users with the override permission and
 * only while the policy blocks. Says which gates it overrides.
 */
function BreakGlass(props: {
  gates: GateResult[];
  checked: boolean;
  onChange: (checked: boolean) => void;
}) {
  return (
    <Box mt={2}>
      <FormControlLabel
        control={
          <Checkbox
            checked={props.checked}
            onChange={e => props.onChange(e.target.checked)}
          />
        }
        label="Override the policy (break glass)"
      />
      {props.checked && (
        <Alert severity="warning">
          <AlertTitle>This promotion overrides the policy</AlertTitle>
          It is recorded in the audit trail as a break-glass override, with your
          reason. Gates overridden:
          <ul aria-label="Gates overridden">
            {props.gates.map(gate => (
              <li key={gate.name}>
                <strong>{gate.name}</strong> ({gate.outcome}): {gate.reason}
              </li>
            ))}
          </ul>
        </Alert>
      )}
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
  /** The user holds the override permission: offer break glass when the policy blocks. */
  canOverride?: boolean;
  /** The environment before this one: a promotion shows what it brings from there. */
  previousEnvironment?: string;
}) {
  const { entity, environment, rollout, action } = props;
  const api = useApi(deliveryApiRef);
  const [reason, setReason] = useState('');
  const [idempotencyKey] = useState(newIdempotencyKey);
  const [submitting, setSubmitting] = useState(false);
  const [error, setError] = useState<Error>();
  const [override, setOverride] = useState(false);
  const trimmed = reason.trim();
  const blockedBy = gatesFromError(error);
  // only promotions are gated: other actions fetch no policy
  const policy = usePolicy(entity, action.gated ? environment : undefined);
  const evaluation = evaluationOf(policy.value, rollout);
  const toOverride = overriddenGates(blockedBy ?? evaluation?.gates ?? []);
  const offerOverride =
    action.gated &&
    !!props.canOverride &&
    (!!blockedBy || evaluation?.allowed === false) &&
    toOverride.length > 0;
  const overriding = offerOverride && override;

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
        ...(overriding ? { override: true } : {}),
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
            label={overriding ? 'Reason for overriding the policy' : 'Reason'}
            helperText={
              overriding
                ? 'Required: why the policy must be overridden now. Recorded in the audit trail.'
                : 'Recorded in the audit trail.'
            }
            value={reason}
            onChange={e => setReason(e.target.value)}
            inputProps={{ maxLength: 500 }}
          />
        </form>
        {action.gated && !blockedBy && (
          <CurrentGates state={policy} evaluation={evaluation} />
        )}
        {action.gated && (
          <PromotionChanges
            entity={entity}
            from={props.previousEnvironment}
            // the Rollout's own Application: an environment may have one per cluster
            to={applicationSelector(
              environment,
              { instance: rollout.instance, name: rollout.application },
              true,
            )}
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
        {offerOverride && (
          <BreakGlass
            gates={toOverride}
            checked={override}
            onChange={setOverride}
          />
        )}
      </DialogContent>
      <DialogActions>
        <Button onClick={props.onClose}>Cancel</Button>
        <Button
          color={overriding ? 'secondary' : 'primary'}
          variant="contained"
          disabled={!trimmed || submitting}
          onClick={submit}
        >
          {submitting && 'Sending…'}
          {!submitting &&
            (overriding
              ? `Confirm: override the policy and ${action.title.toLowerCase()}`
              : `Confirm: ${action.title.toLowerCase()}`)}
        </Button>
      </DialogActions>
    </Dialog>
  );
}
