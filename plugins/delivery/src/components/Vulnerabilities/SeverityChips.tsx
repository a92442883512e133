import {
  SEVERITIES,
  type Severity,
  type SeverityCounts,
} from '@gitops-delivery/backstage-plugin-delivery-common';
import Chip from '@material-ui/core/Chip';
import { makeStyles } from '@material-ui/core/styles';
import ErrorIcon from '@material-ui/icons/Error';
import WarningIcon from '@material-ui/icons/Warning';
import InfoIcon from '@material-ui/icons/Info';

const useStyles = makeStyles(theme => ({
  chips: { display: 'flex', flexWrap: 'wrap', gap: theme.spacing(0.5) },
  CRITICAL: { background: theme.palette.error.dark, color: '#fff' },
  HIGH: { background: theme.palette.error.main, color: '#fff' },
  MEDIUM: { background: theme.palette.warning.main },
  LOW: { background: theme.palette.info.light },
  UNKNOWN: {},
  zero: { opacity: 0.6 },
}));

function SeverityIcon(props: { severity: Severity }) {
  if (props.severity === 'CRITICAL' || props.severity === 'HIGH') {
    return <ErrorIcon fontSize="small" style={{ color: 'inherit' }} />;
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
            className={`${count > 0 ? classes[severity] : classes.zero}`}
          />
        );
      })}
    </div>
  );
}
