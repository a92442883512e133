import type {
  DoraBand,
  DoraFigure,
} from '@gitops-delivery/backstage-plugin-delivery-common';
import Box from '@material-ui/core/Box';
import Chip from '@material-ui/core/Chip';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import TrendingDown from '@material-ui/icons/TrendingDown';
import TrendingFlat from '@material-ui/icons/TrendingFlat';
import TrendingUp from '@material-ui/icons/TrendingUp';
import { BAND_LABELS, formatFigure, trendText } from './DoraFormat';
import { DoraSparkline } from './DoraSparkline';

// dark shades so the white text keeps a 4.5:1 contrast; the text names the band
const BAND_COLOURS: Record<DoraBand, string> = {
  elite: '#1b5e20',
  high: '#00695c',
  medium: '#9a4b00',
  low: '#b71c1c',
};

const useStyles = makeStyles(theme => ({
  tile: {
    padding: theme.spacing(1.5),
    border: `1px solid ${theme.palette.divider}`,
    borderRadius: theme.shape.borderRadius,
    height: '100%',
  },
  value: { fontWeight: 600 },
  trend: { display: 'flex', alignItems: 'center', gap: theme.spacing(0.5) },
  // the shade that keeps 4.5:1 on the card: darker in the light theme,
  // lighter in the dark one (the icon and the words carry the direction too)
  better: {
    color:
      theme.palette.type === 'dark'
        ? theme.palette.success.light
        : BAND_COLOURS.elite, // success.dark (#388e3c) reads 4.1:1 on white
  },
  worse: {
    color:
      theme.palette.type === 'dark'
        ? theme.palette.error.light
        : theme.palette.error.dark,
  },
  same: { color: theme.palette.text.secondary },
}));

/** One DORA figure: value, band chip, trend with its words, daily sparkline. */
export function DoraFigureTile(props: {
  title: string;
  figure: DoraFigure;
  windowDays: number;
  /** What the figure rests on, e.g. `4 deployments`. */
  basis: string;
}) {
  const { title, figure, windowDays, basis } = props;
  const classes = useStyles();
  const trend = trendText(figure, windowDays);
  let TrendIcon = TrendingFlat;
  if (figure.value !== null && figure.previous !== null) {
    if (figure.value > figure.previous) TrendIcon = TrendingUp;
    else if (figure.value < figure.previous) TrendIcon = TrendingDown;
  }
  return (
    <section className={classes.tile} aria-label={title}>
      <Typography variant="subtitle2" component="h3">
        {title}
      </Typography>
      <Box display="flex" alignItems="center" style={{ gap: 8 }}>
        <Typography
          variant="h6"
          component="p"
          className={classes.value}
          title={figure.value === null ? undefined : `exact: ${figure.value}`}
        >
          {formatFigure(figure.value, figure.unit)}
        </Typography>
        {figure.band ? (
          <Chip
            size="small"
            label={BAND_LABELS[figure.band]}
            aria-label={`Performance band: ${BAND_LABELS[figure.band]}`}
            style={{
              backgroundColor: BAND_COLOURS[figure.band],
              color: '#fff',
            }}
          />
        ) : (
          <Chip size="small" variant="outlined" label="No band" />
        )}
      </Box>
      <Typography variant="caption" color="textSecondary" component="p">
        {basis}
      </Typography>
      {trend && figure.trend ? (
        <Typography
          variant="body2"
          component="p"
          className={`${classes.trend} ${classes[figure.trend]}`}
        >
          <TrendIcon fontSize="small" aria-hidden />
          {trend}
        </Typography>
      ) : (
        <Typography variant="body2" color="textSecondary" component="p">
          No previous {windowDays} days to compare with
        </Typography>
      )}
      <DoraSparkline title={title} figure={figure} windowDays={windowDays} />
    </section>
  );
}
