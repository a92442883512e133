import { Link } from '@backstage/core-components';
import {
  formatAgainstThreshold,
  type GateEvidence,
  type GateOutcome,
  type GateResult,
} from '@gitops-delivery/backstage-plugin-delivery-common';
import { makeStyles } from '@material-ui/core/styles';
import List from '@material-ui/core/List';
import ListItem from '@material-ui/core/ListItem';
import ListItemText from '@material-ui/core/ListItemText';
import Typography from '@material-ui/core/Typography';
import { formatMeasurement, formatValue, unitOfMetric } from '../../lib/format';
import { StatusLabel } from '../common/StatusLabel';
import { GATE_TONES } from '../common/tones';

const useStyles = makeStyles({
  // reasons and evidence (image references, URLs) wrap inside the panel;
  // the list item text would otherwise keep them on one line, cut off
  evidence: { overflowWrap: 'anywhere', whiteSpace: 'normal' },
  reason: { overflowWrap: 'anywhere', whiteSpace: 'normal' },
  item: { whiteSpace: 'normal' },
});

/** One evidence line: the value in its unit against its threshold, printed alike. */
export function evidenceText(evidence: GateEvidence): string {
  const { label, value, threshold, unit, comparison } = evidence;
  if (
    typeof threshold === 'number' &&
    comparison &&
    typeof value !== 'string'
  ) {
    return `${label}: ${formatAgainstThreshold(
      value,
      threshold,
      comparison,
      unit,
    )}`;
  }
  // an AnalysisRun measurement ("[0.00049]") of a metric named like an SLO
  const metric = /^metric (.+)$/.exec(label)?.[1];
  const shown =
    typeof value === 'string' && metric
      ? formatMeasurement(value, unit ?? unitOfMetric(metric))
      : formatValue(value, unit);
  if (threshold === undefined) return `${label}: ${shown}`;
  return `${label}: ${shown} (threshold ${formatValue(threshold, unit)})`;
}

function Evidence(props: { evidence: GateEvidence }) {
  const { value, threshold, url } = props.evidence;
  const classes = useStyles();
  const text = evidenceText(props.evidence);
  const exact = `exact: ${value ?? 'no data'}${
    threshold !== undefined ? `, threshold ${threshold}` : ''
  }`;
  return (
    <Typography
      variant="caption"
      display="block"
      className={classes.evidence}
      title={exact}
    >
      {url ? <Link to={url}>{text}</Link> : text}
    </Typography>
  );
}

const OUTCOME_WORDS: Record<GateOutcome, string> = {
  pass: 'pass',
  fail: 'fail',
  unknown: 'unknown',
  'not-applicable': 'not applicable',
};

/** Gates as a checklist: outcome icon and word, name, reason and evidence. */
export function GateList(props: { gates: GateResult[]; label: string }) {
  const classes = useStyles();
  return (
    <List dense aria-label={props.label}>
      {props.gates.map(gate => (
        <ListItem key={gate.name} alignItems="flex-start" divider>
          <ListItemText
            className={classes.item}
            disableTypography
            primary={
              <StatusLabel tone={GATE_TONES[gate.outcome]}>
                <strong>{gate.name}</strong> — {OUTCOME_WORDS[gate.outcome]}
                {(gate.outcome === 'fail' || gate.outcome === 'unknown') &&
                !gate.blocking
                  ? ' (not blocking)'
                  : ''}
              </StatusLabel>
            }
            secondary={
              <>
                <Typography variant="body2" className={classes.reason}>
                  {gate.reason}
                </Typography>
                {gate.evidence.map((e, i) => (
                  <Evidence key={`${e.label}-${i}`} evidence={e} />
                ))}
              </>
            }
          />
        </ListItem>
      ))}
    </List>
  );
}
