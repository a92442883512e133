import type { RolloutView } from '@gitops-delivery/backstage-plugin-delivery-common';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import { memo } from 'react';
import { describeStep, stepState, type StepState } from '../../lib/rollout';
import { StatusLabel, type StatusTone } from '../common/StatusLabel';
import { PauseCountdown } from './PauseCountdown';

const useStyles = makeStyles(theme => ({
  list: {
    listStyle: 'none',
    margin: 0,
    padding: 0,
    display: 'flex',
    flexWrap: 'wrap',
    gap: theme.spacing(1),
  },
  step: {
    border: `1px solid ${theme.palette.divider}`,
    borderRadius: theme.shape.borderRadius,
    padding: theme.spacing(0.5, 1),
    minWidth: 120,
  },
  current: {
    borderColor: theme.palette.primary.main,
    borderWidth: 2,
    background: theme.palette.action.selected,
  },
}));

const STEP_TONES: Record<StepState, StatusTone> = {
  done: 'ok',
  current: 'running',
  pending: 'pending',
  aborted: 'error',
};

/** The canary steps in order, the current one highlighted and marked for assistive tech. */
export const StepList = memo(function StepListView(props: {
  rollout: RolloutView;
  receivedAt?: number;
}) {
  const { rollout } = props;
  const classes = useStyles();
  return (
    <ol className={classes.list} aria-label={`Steps of ${rollout.name}`}>
      {rollout.steps.map((step, index) => {
        const state = stepState(rollout, index);
        const current = state === 'current' || state === 'aborted';
        return (
          <li
            key={index}
            className={`${classes.step} ${current ? classes.current : ''}`}
            aria-current={current ? 'step' : undefined}
          >
            {/* secondary grey lacks contrast on the current step's tint */}
            <Typography
              variant="caption"
              color={current ? 'textPrimary' : 'textSecondary'}
            >
              Step {index + 1}
            </Typography>
            <Typography variant="body2">{describeStep(step)}</Typography>
            <StatusLabel tone={STEP_TONES[state]}>{state}</StatusLabel>
            {state === 'current' && step.kind === 'pause' && rollout.pause && (
              <PauseCountdown
                remainingSeconds={rollout.pause.remainingSeconds}
                receivedAt={props.receivedAt}
              />
            )}
          </li>
        );
      })}
    </ol>
  );
});
