import Typography from '@material-ui/core/Typography';
import { useEffect, useState } from 'react';
import { formatDuration } from '../../lib/format';

/**
 * A live countdown of a timed pause. It counts from `remainingSeconds` as
 * the backend computed it at `receivedAt` (the browser's clock when the
 * overview arrived), so clock skew with the server does not matter.
 */
export function PauseCountdown(props: {
  remainingSeconds?: number;
  receivedAt?: number;
  reason?: string;
}) {
  const { remainingSeconds, receivedAt } = props;
  const [now, setNow] = useState(() => Date.now());
  const timed = remainingSeconds !== undefined;
  useEffect(() => {
    if (!timed) return undefined;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [timed]);

  const reason = props.reason ? ` (${props.reason})` : '';
  if (!timed) {
    return (
      <Typography variant="body2">
        Paused{reason} until someone promotes it.
      </Typography>
    );
  }
  const elapsed = Math.max(0, (now - (receivedAt ?? now)) / 1000);
  const left = Math.max(0, Math.ceil(remainingSeconds - elapsed));
  return (
    // role=timer is not announced on every tick, which is what a countdown needs.
    <Typography variant="body2" role="timer" aria-label="Pause remaining">
      Paused{reason}: {left > 0 ? `${formatDuration(left)} left` : 'resuming…'}
    </Typography>
  );
}
