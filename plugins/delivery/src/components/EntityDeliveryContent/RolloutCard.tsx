import type { Entity } from '@backstage/catalog-model';
import { InfoCard } from '@backstage/core-components';
import type { RolloutView } from '@gitops-delivery/backstage-plugin-delivery-common';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import { memo, useState } from 'react';
import { rolloutState, stepLabel } from '../../lib/rollout';
import { CanaryPanel } from '../CanaryPanel';
import { RolloutActions } from '../RolloutActions';
import { StatusLabel } from '../common/StatusLabel';
import { ROLLOUT_TONES } from '../common/tones';

/**
 * Whether a rollout's card starts open: the rollouts of the environment in
 * focus (the URL's, else the one the signals open on) and those that need a
 * look wherever they are (aborted, degraded, paused for a decision). The
 * others start as one line with their state and actions, so a view of many
 * environments does not draw every canary's steps and analysis up front.
 */
export function rolloutCardOpen(
  rollout: RolloutView,
  environment: string,
  focus?: string,
): boolean {
  if (environment === focus) return true;
  const state = rolloutState(rollout);
  return state === 'aborted' || state === 'degraded' || state === 'paused';
}

/** One rollout: its actions always, its canary panel when open. */
export const RolloutCard = memo(function RolloutCardView(props: {
  entity: Entity;
  environment: string;
  rollout: RolloutView;
  defaultOpen: boolean;
  receivedAt?: number;
  onActionDone: () => void;
  /** The environment before this one (the promote dialog shows what comes from it). */
  previousEnvironment?: string;
}) {
  const { entity, environment, rollout } = props;
  const [open, setOpen] = useState(props.defaultOpen);
  const panelId = `delivery-rollout-${environment}-${rollout.instance}-${rollout.name}`;
  const state = rolloutState(rollout);
  return (
    <InfoCard
      title={`Rollout ${rollout.name} · ${environment}`}
      action={
        <Box pt={2} pr={1}>
          <RolloutActions
            entity={entity}
            environment={environment}
            rollout={rollout}
            onDone={props.onActionDone}
            previousEnvironment={props.previousEnvironment}
          />
        </Box>
      }
    >
      <Box display="flex" alignItems="center" flexWrap="wrap">
        <Button
          size="small"
          variant="outlined"
          aria-expanded={open}
          aria-controls={open ? panelId : undefined}
          onClick={() => setOpen(o => !o)}
        >
          {open ? 'Hide' : 'Show'} the steps and analysis of {rollout.name}
        </Button>
        {!open && (
          <Box ml={2}>
            <StatusLabel tone={ROLLOUT_TONES[state]}>
              {rollout.strategy === 'blueGreen' ? 'Blue-green' : 'Canary'}{' '}
              {state} · {stepLabel(rollout)}
            </StatusLabel>
          </Box>
        )}
      </Box>
      {open && (
        <Box id={panelId} mt={2}>
          <CanaryPanel rollout={rollout} receivedAt={props.receivedAt} />
        </Box>
      )}
    </InfoCard>
  );
});
