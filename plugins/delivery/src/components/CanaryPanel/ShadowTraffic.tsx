import type { RolloutView } from '@gitops-delivery/backstage-plugin-delivery-common';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { StatusLabel, type StatusTone } from '../common/StatusLabel';

const STATE_TONES: Record<'mirroring' | 'ended' | 'not started', StatusTone> = {
  mirroring: 'running',
  ended: 'ok',
  'not started': 'pending',
};

/**
 * The canary's setMirrorRoute steps as shadow traffic: which route is
 * copied to the canary, what share of it, and from which step until when.
 */
export function ShadowTraffic(props: { rollout: RolloutView }) {
  const mirrors = props.rollout.canary?.mirrors ?? [];
  if (!mirrors.length) return null;
  const current = props.rollout.currentStepIndex ?? 0;
  return (
    <Box my={1} component="section" aria-label="Shadow traffic">
      <Typography variant="subtitle2" component="h4">
        Shadow traffic (mirroring)
      </Typography>
      <ul style={{ margin: 0, paddingLeft: 20 }}>
        {mirrors.map(m => {
          const ended =
            !m.active &&
            (m.stepIndex < current ||
              props.rollout.aborted ||
              props.rollout.fullyPromoted);
          let state: 'mirroring' | 'ended' | 'not started' = 'not started';
          if (m.active) state = 'mirroring';
          else if (ended) state = 'ended';
          return (
            <li key={`${m.name}-${m.stepIndex}`}>
              <Typography variant="body2" component="span">
                {m.percentage}% of route <code>{m.name}</code> copied to the
                canary (responses discarded), from step {m.stepIndex + 1}{' '}
                {m.untilStepIndex !== undefined
                  ? `until step ${m.untilStepIndex + 1}`
                  : 'until the update ends'}
                {' · '}
              </Typography>
              <StatusLabel tone={STATE_TONES[state]}>{state}</StatusLabel>
            </li>
          );
        })}
      </ul>
    </Box>
  );
}
