import { getCompoundEntityRef, type Entity } from '@backstage/catalog-model';
import { useApi } from '@backstage/core-plugin-api';
import type {
  ApplicationActionRequest,
  ApplicationActionResponse,
  ApplicationView,
  RollbackPullRequest,
} from '@gitops-delivery/backstage-plugin-delivery-common';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Checkbox from '@material-ui/core/Checkbox';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogTitle from '@material-ui/core/DialogTitle';
import FormControl from '@material-ui/core/FormControl';
import FormControlLabel from '@material-ui/core/FormControlLabel';
import FormGroup from '@material-ui/core/FormGroup';
import FormLabel from '@material-ui/core/FormLabel';
import Radio from '@material-ui/core/Radio';
import RadioGroup from '@material-ui/core/RadioGroup';
import TextField from '@material-ui/core/TextField';
import { Alert, AlertTitle } from '@material-ui/lab';
import { useState } from 'react';
import { deliveryApiRef } from '../../api';
import { errorMessage, gatesFromError } from '../../lib/gateErrors';
import { GateList } from '../PolicyGates/GateList';
import { newIdempotencyKey } from '../RolloutActions/actionModel';
import {
  RollbackPullRequestStatus,
  trackedPullRequest,
} from './RollbackPullRequestStatus';
import {
  historyLabel,
  resourceKey,
  rollbackTargets,
  type ApplicationActionDefinition,
} from './applicationActionModel';

/** Sync's choices: prune, and which of the managed resources. */
function SyncChoices(props: {
  app: ApplicationView;
  prune: boolean;
  onPrune: (prune: boolean) => void;
  picked: Set<string>;
  onPicked: (picked: Set<string>) => void;
}) {
  const resources = props.app.resources ?? [];
  const toggle = (key: string, on: boolean) => {
    const next = new Set(props.picked);
    if (on) next.add(key);
    else next.delete(key);
    props.onPicked(next);
  };
  return (
    <Box mt={2}>
      <FormControlLabel
        control={
          <Checkbox
            checked={props.prune}
            onChange={e => props.onPrune(e.target.checked)}
          />
        }
        label="Prune: delete the resources Git no longer has"
      />
      {resources.length > 0 && (
        <FormControl component="fieldset" margin="normal">
          <FormLabel component="legend">
            Resources to sync ({props.picked.size} of {resources.length})
          </FormLabel>
          <FormGroup>
            {resources.map(r => {
              const key = resourceKey(r);
              return (
                <FormControlLabel
                  key={key}
                  control={
                    <Checkbox
                      checked={props.picked.has(key)}
                      onChange={e => toggle(key, e.target.checked)}
                    />
                  }
                  label={`${r.kind} ${r.namespace ? `${r.namespace}/` : ''}${
                    r.name
                  }${r.status ? ` (${r.status})` : ''}`}
                />
              );
            })}
          </FormGroup>
        </FormControl>
      )}
    </Box>
  );
}

/** Rollback's choice: the history entry to go back to. */
function HistoryPicker(props: {
  app: ApplicationView;
  value?: number;
  onChange: (id: number) => void;
}) {
  return (
    <FormControl component="fieldset" margin="normal">
      <FormLabel component="legend">Roll back to</FormLabel>
      <RadioGroup
        aria-label="History entry to roll back to"
        value={props.value === undefined ? '' : String(props.value)}
        onChange={e => props.onChange(Number(e.target.value))}
      >
        {rollbackTargets(props.app).map(entry => (
          <FormControlLabel
            key={entry.id}
            value={String(entry.id)}
            control={<Radio />}
            label={historyLabel(entry)}
          />
        ))}
      </RadioGroup>
    </FormControl>
  );
}

/** The request a dialog's choices make; undefined while one is missing. */
function requestOf(
  action: ApplicationActionDefinition,
  app: ApplicationView,
  choices: {
    hard: boolean;
    prune: boolean;
    picked: Set<string>;
    historyId?: number;
  },
): Partial<ApplicationActionRequest> | undefined {
  if (action.name === 'refresh') return { hard: choices.hard || undefined };
  if (action.name === 'rollback') {
    return choices.historyId === undefined
      ? undefined
      : { historyId: choices.historyId };
  }
  const all = app.resources ?? [];
  if (all.length > 0 && choices.picked.size === 0) return undefined;
  const some = choices.picked.size < all.length;
  return {
    ...(choices.prune ? { prune: true } : {}),
    // every resource picked: a whole sync, as Argo CD's own button does
    ...(some
      ? {
          resources: all
            .filter(r => choices.picked.has(resourceKey(r)))
            .map(r => ({
              ...(r.group ? { group: r.group } : {}),
              kind: r.kind,
              ...(r.namespace ? { namespace: r.namespace } : {}),
              name: r.name,
            })),
        }
      : {}),
  };
}

/**
 * Confirms an Application action: a reason always, and what the action
 * needs (hard or normal refresh; prune and resources for a sync; the
 * history entry for a rollback). One idempotency key per dialog, so a
 * double submit is one action; the backend's 409 gates are shown inline.
 */
export function ApplicationActionDialog(props: {
  entity: Entity;
  environment: string;
  app: ApplicationView;
  action: ApplicationActionDefinition;
  /** The overview's tracking of the Application's newest rollback pull request. */
  tracked?: RollbackPullRequest;
  onClose: () => void;
  onDone: (response: ApplicationActionResponse) => void;
}) {
  const { entity, environment, app, action } = props;
  const [opened, setOpened] = useState<RollbackPullRequest>();
  const viaPullRequest = action.name === 'rollback' && app.autoSync;
  const api = useApi(deliveryApiRef);
  const [reason, setReason] = useState('');
  const [idempotencyKey] = useState(newIdempotencyKey);
  const [submitting, setSubmitting] = useState(false);
  const [error, setError] = useState<Error>();
  const [hard, setHard] = useState(false);
  const [prune, setPrune] = useState(false);
  const [picked, setPicked] = useState(
    () => new Set((app.resources ?? []).map(resourceKey)),
  );
  const [historyId, setHistoryId] = useState<number>();
  const trimmed = reason.trim();
  const choices = requestOf(action, app, { hard, prune, picked, historyId });
  const blockedBy = gatesFromError(error);

  const submit = async () => {
    if (!trimmed || !choices || submitting) return;
    setSubmitting(true);
    setError(undefined);
    try {
      const response = await api.postApplicationAction(
        getCompoundEntityRef(entity),
        {
          environment,
          instance: app.instance,
          application: app.name,
          action: action.name,
          reason: trimmed,
          idempotencyKey,
          ...choices,
        },
      );
      if (response.pullRequest) setOpened(response.pullRequest);
      props.onDone(response);
    } catch (e) {
      setError(e as Error);
    } finally {
      setSubmitting(false);
    }
  };

  const titleId = `delivery-app-action-${action.name}-title`;
  return (
    <Dialog open onClose={props.onClose} aria-labelledby={titleId} fullWidth>
      <DialogTitle id={titleId}>
        {action.title}: {app.name} in {environment}
      </DialogTitle>
      <DialogContent>
        <form
          onSubmit={e => {
            e.preventDefault();
            submit();
          }}
        >
          <TextField
            id={`delivery-app-action-${action.name}-reason`}
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
        {action.name === 'refresh' && (
          <FormControlLabel
            control={
              <Checkbox
                checked={hard}
                onChange={e => setHard(e.target.checked)}
              />
            }
            label="Hard refresh: also drop Argo CD's cached manifests"
          />
        )}
        {action.name === 'sync' && (
          <SyncChoices
            app={app}
            prune={prune}
            onPrune={setPrune}
            picked={picked}
            onPicked={setPicked}
          />
        )}
        {viaPullRequest && !opened && (
          <Box mt={2}>
            <Alert severity="info">
              <AlertTitle>A pull request will be opened</AlertTitle>
              Auto-sync is on: Argo CD refuses a rollback, and its next sync
              would undo one. Confirming opens a pull request on{' '}
              {app.repoURL ?? 'the manifest repository'} that restores the
              Application's manifests to the chosen revision; the rollback
              happens when it is merged and Argo CD syncs it.
            </Alert>
          </Box>
        )}
        {action.name === 'rollback' && !opened && (
          <HistoryPicker app={app} value={historyId} onChange={setHistoryId} />
        )}
        {opened && (
          <Box mt={2}>
            <Alert severity="success">
              <AlertTitle>Pull request opened</AlertTitle>
              The rollback is recorded in the audit trail; it takes effect when
              the pull request is merged and Argo CD syncs it.
            </Alert>
            <RollbackPullRequestStatus
              pullRequest={trackedPullRequest(opened, props.tracked)}
            />
          </Box>
        )}
        {error && blockedBy && (
          <Box mt={2}>
            <Alert severity="error">
              <AlertTitle>Blocked by the policy</AlertTitle>
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
        {opened ? (
          <Button color="primary" variant="contained" onClick={props.onClose}>
            Close
          </Button>
        ) : (
          <>
            <Button onClick={props.onClose}>Cancel</Button>
            <Button
              color="primary"
              variant="contained"
              disabled={!trimmed || !choices || submitting}
              onClick={submit}
            >
              {submitting
                ? 'Sending…'
                : `Confirm: ${
                    viaPullRequest
                      ? 'open a rollback pull request'
                      : action.title.toLowerCase()
                  }`}
            </Button>
          </>
        )}
      </DialogActions>
    </Dialog>
  );
}
