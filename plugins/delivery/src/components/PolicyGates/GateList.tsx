import { Link } from '@backstage/core-components';
import type {
  GateEvidence,
  GateResult,
} from '@gitops-delivery/backstage-plugin-delivery-common';
import List from '@material-ui/core/List';
import ListItem from '@material-ui/core/ListItem';
import ListItemText from '@material-ui/core/ListItemText';
import Typography from '@material-ui/core/Typography';
import { StatusLabel } from '../common/StatusLabel';
import { GATE_TONES } from '../common/tones';

function Evidence(props: { evidence: GateEvidence }) {
  const { label, value, threshold, url } = props.evidence;
  const text = `${label}: ${
    value === null || value === undefined ? 'no data' : value
  }${threshold !== undefined ? ` (threshold ${threshold})` : ''}`;
  return (
    <Typography variant="caption" display="block">
      {url ? <Link to={url}>{text}</Link> : text}
    </Typography>
  );
}

/** Gates as a checklist: outcome icon and word, name, reason and evidence. */
export function GateList(props: { gates: GateResult[]; label: string }) {
  return (
    <List dense aria-label={props.label}>
      {props.gates.map(gate => (
        <ListItem key={gate.name} alignItems="flex-start" divider>
          <ListItemText
            disableTypography
            primary={
              <StatusLabel tone={GATE_TONES[gate.outcome]}>
                <strong>{gate.name}</strong> — {gate.outcome}
                {gate.outcome !== 'pass' && !gate.blocking
                  ? ' (not blocking)'
                  : ''}
              </StatusLabel>
            }
            secondary={
              <>
                <Typography variant="body2">{gate.reason}</Typography>
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
