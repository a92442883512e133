import {
  SEVERITIES,
  type Severity,
  type SeverityCounts,
} from '@gitops-delivery/backstage-plugin-delivery-common';
import Chip from '@material-ui/core/Chip';
import { getContrastRatio, makeStyles } from '@material-ui/core/styles';
import ErrorIcon from '@material-ui/icons/Error';
import WarningIcon from '@material-ui/icons/Warning';
import InfoIcon from '@material-ui/icons/Info';

/** Black or white, whichever reads better on `background` (WCAG contrast). */
function textOn(background: string): string {
  return getContrastRatio(background, '#000') >=
    getContrastRatio(background, '#fff')
    ? '#000'
    : '#fff';
}

const filled = (background: string) => ({
  background,
  color: textOn(background),
  '& svg': { color: 'inherit' },
});

const useStyles = makeStyles(theme => ({
  chips: { display: 'flex', flexWrap: 'wrap', gap: theme.spacing(0.5) },
  CRITICAL: filled(theme.palette.error.dark),
  HIGH: filled(theme.palette.error.main),
  MEDIUM: filled(theme.palette.warning.main),
  LOW: filled(theme.palette.info.light),
  UNKNOWN: {},
  // a zero count: outlined instead of filled, full-contrast text (the count
  // itself says "0"; fading the chip made it unreadable)
  zero: { color: theme.palette.text.primary },
}));

function SeverityIcon(props: { severity: Severity }) {
  if (props.severity === 'CRITICAL' || props.severity === 'HIGH') {
    return <ErrorIcon fontSize="small" />;
  }
  if (props.severity === 'MEDIUM') return <WarningIcon fontSize="small" />;
  return <InfoIcon fontSize="small" />;
}

/** One chip per severity with its count (and the fixable count), icon and text. */
export function SeverityChips(props: {
  counts: SeverityCounts;
  fixableCounts?: SeverityCounts;
  /** Show the signed difference instead of a count. */
  delta?: boolean;
  label: string;
}) {
  const classes = useStyles();
  return (
    <div className={classes.chips} role="list" aria-label={props.label}>
      {SEVERITIES.map(severity => {
        const count = props.counts[severity] ?? 0;
        const fixable = props.fixableCounts?.[severity];
        const text = props.delta
          ? `${severity} ${count > 0 ? '+' : ''}${count}`
          : `${severity} ${count}${
              fixable !== undefined && count ? ` (${fixable} fixable)` : ''
            }`;
        return (
          <Chip
            role="listitem"
            key={severity}
            size="small"
            icon={<SeverityIcon severity={severity} />}
            label={text}
            variant={count > 0 ? 'default' : 'outlined'}
            className={count > 0 ? classes[severity] : classes.zero}
          />
        );
      })}
    </div>
  );
}
