import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';

const useStyles = makeStyles(theme => ({
  bar: {
    display: 'flex',
    height: 24,
    borderRadius: theme.shape.borderRadius,
    overflow: 'hidden',
    border: `1px solid ${theme.palette.divider}`,
  },
  canary: {
    background: theme.palette.warning.main,
    // Stripes tell canary from stable without relying on colour.
    backgroundImage:
      'repeating-linear-gradient(45deg, rgba(255,255,255,0.35) 0 6px, transparent 6px 12px)',
  },
  stable: { background: theme.palette.success.main },
}));

/** Canary versus stable traffic as one bar, with the numbers in text. */
export function WeightBar(props: { canary: number; stable: number }) {
  const classes = useStyles();
  const canary = Math.max(0, Math.min(100, props.canary));
  const stable = Math.max(0, Math.min(100 - canary, props.stable));
  const label = `Traffic: canary ${canary}%, stable ${stable}%`;
  return (
    <Box>
      <div className={classes.bar} role="img" aria-label={label}>
        <div className={classes.canary} style={{ width: `${canary}%` }} />
        <div className={classes.stable} style={{ width: `${stable}%` }} />
      </div>
      <Box display="flex" justifyContent="space-between" mt={0.5}>
        <Typography variant="caption">Canary {canary}%</Typography>
        <Typography variant="caption">Stable {stable}%</Typography>
      </Box>
    </Box>
  );
}
