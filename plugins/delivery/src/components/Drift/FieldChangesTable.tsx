import type { FieldChange } from '@gitops-delivery/backstage-plugin-delivery-common';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import { makeStyles } from '@material-ui/core/styles';

const useStyles = makeStyles(theme => ({
  value: {
    fontFamily: 'monospace',
    fontSize: '0.8rem',
    wordBreak: 'break-all',
    whiteSpace: 'pre-wrap',
  },
  before: {
    backgroundColor:
      theme.palette.type === 'dark'
        ? 'rgba(244, 67, 54, 0.16)'
        : 'rgba(244, 67, 54, 0.08)',
  },
  after: {
    backgroundColor:
      theme.palette.type === 'dark'
        ? 'rgba(76, 175, 80, 0.16)'
        : 'rgba(76, 175, 80, 0.08)',
  },
  unset: { fontStyle: 'italic', color: theme.palette.text.primary },
}));

function Value(props: { value?: string; className: string }) {
  const classes = useStyles();
  if (props.value === undefined) {
    return (
      <TableCell className={`${props.className} ${classes.unset}`}>
        not set
      </TableCell>
    );
  }
  return (
    <TableCell className={`${props.className} ${classes.value}`}>
      {props.value}
    </TableCell>
  );
}

/**
 * The fields that differ, one row each: the path, the value before (live,
 * or the baseline) and after (desired, or the promoted revision).
 */
export function FieldChangesTable(props: {
  changes: FieldChange[];
  beforeLabel: string;
  afterLabel: string;
  /** Accessible name of the table, e.g. "Deployment checkout/web". */
  label: string;
}) {
  const classes = useStyles();
  return (
    <Table size="small" aria-label={props.label}>
      <TableHead>
        <TableRow>
          <TableCell>Field</TableCell>
          <TableCell>{props.beforeLabel}</TableCell>
          <TableCell>{props.afterLabel}</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {props.changes.map(change => (
          <TableRow key={change.path}>
            <TableCell className={classes.value}>{change.path}</TableCell>
            <Value value={change.before} className={classes.before} />
            <Value value={change.after} className={classes.after} />
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
