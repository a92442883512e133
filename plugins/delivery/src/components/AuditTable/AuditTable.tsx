import type { Entity } from '@backstage/catalog-model';
import { InfoCard, Link } from '@backstage/core-components';
import type { AuditRecord } from '@gitops-delivery/backstage-plugin-delivery-common';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import LinearProgress from '@material-ui/core/LinearProgress';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import { memo, useEffect, useState, type ReactNode } from 'react';
import { useAudit } from '../../hooks';
import { ClampedText } from '../common/ClampedText';
import { SectionError } from '../common/SectionError';
import { StatusLabel, type StatusTone } from '../common/StatusLabel';
import { GateList } from '../PolicyGates/GateList';

const OUTCOME_TONES: Record<AuditRecord['outcome'], StatusTone> = {
  requested: 'running',
  succeeded: 'ok',
  failed: 'error',
  rejected: 'error',
  'outcome-unknown': 'warning',
};

const DECISION_TONES: Record<AuditRecord['decision'], StatusTone> = {
  allowed: 'ok',
  blocked: 'error',
  overridden: 'warning',
  guard: 'aborted',
};

interface Column {
  title: string;
  render: (record: AuditRecord) => ReactNode;
}

const COLUMNS: Column[] = [
  { title: 'When', render: r => r.createdAt },
  { title: 'Who', render: r => r.actor },
  { title: 'Environment', render: r => r.environment },
  { title: 'Rollout', render: r => r.rollout },
  { title: 'Action', render: r => r.action },
  {
    title: 'Decision',
    render: r => (
      <StatusLabel tone={DECISION_TONES[r.decision]}>{r.decision}</StatusLabel>
    ),
  },
  {
    title: 'Outcome',
    render: r => (
      <StatusLabel tone={OUTCOME_TONES[r.outcome]}>{r.outcome}</StatusLabel>
    ),
  },
  { title: 'Reason', render: r => <ClampedText text={r.reason} /> },
  {
    title: 'Message',
    render: r => (
      <>
        <ClampedText text={r.message} />
        {r.pullRequest && (
          // a GitOps rollback: its pull request and how far it has come
          <Typography variant="body2">
            <Link
              to={r.pullRequest.url}
              target="_blank"
              rel="noopener noreferrer"
            >
              {r.pullRequest.repository}#{r.pullRequest.number}
            </Link>{' '}
            ({r.pullRequest.tracking})
          </Typography>
        )}
      </>
    ),
  },
];

const useStyles = makeStyles(theme => ({
  // the columns share the card's width; long reasons and messages wrap
  table: { tableLayout: 'fixed', width: '100%' },
  cell: {
    overflowWrap: 'anywhere',
    verticalAlign: 'top',
    padding: theme.spacing(0.75, 1),
  },
  // headers break between words only ("Environment", not "Environme-nt")
  header: { verticalAlign: 'bottom', padding: theme.spacing(0.75, 1) },
}));

/** The gate results recorded with a decision, shown when its row expands. */
function RecordedGates(props: { record: AuditRecord }) {
  const { record } = props;
  const gates = record.gates ?? [];
  return (
    <Box px={4} py={1}>
      <Typography variant="subtitle2" component="h4">
        Gates recorded with this {record.decision} {record.action} (
        {gates.filter(g => g.outcome === 'pass').length} of {gates.length}{' '}
        passed)
      </Typography>
      <GateList
        gates={gates}
        label={`Gates recorded with the ${record.action} of ${record.createdAt}`}
      />
    </Box>
  );
}

/** One decision and, when expanded by its Gates button, the gates recorded with it. */
const AuditRow = memo(function AuditRowView(props: {
  record: AuditRecord;
  cellClass: string;
}) {
  const { record, cellClass } = props;
  const [expanded, setExpanded] = useState(false);
  const gates = record.gates ?? [];
  const passed = gates.filter(g => g.outcome === 'pass').length;
  const panelId = `delivery-audit-gates-${record.id}`;
  return (
    <>
      <TableRow>
        {COLUMNS.map(column => (
          <TableCell key={column.title} className={cellClass}>
            {column.render(record)}
          </TableCell>
        ))}
        <TableCell className={cellClass}>
          {gates.length ? (
            <Button
              size="small"
              variant="outlined"
              aria-expanded={expanded}
              aria-controls={expanded ? panelId : undefined}
              onClick={() => setExpanded(e => !e)}
            >
              {expanded ? 'Hide' : 'Show'} gates ({passed} of {gates.length}{' '}
              passed)
            </Button>
          ) : (
            <Typography variant="caption">none recorded</Typography>
          )}
        </TableCell>
      </TableRow>
      {expanded && (
        <TableRow id={panelId}>
          <TableCell colSpan={COLUMNS.length + 1}>
            <RecordedGates record={record} />
          </TableCell>
        </TableRow>
      )}
    </>
  );
});

/** The entity's audit trail, newest first, with "load more" paging. */
export function AuditTable(props: { entity: Entity; refreshKey?: string }) {
  const classes = useStyles();
  const [cursor, setCursor] = useState<string>();
  const [older, setOlder] = useState<AuditRecord[]>([]);
  const { value, error, loading, retry } = useAudit(
    props.entity,
    cursor,
    props.refreshKey,
  );
  // A refresh starts again from the newest page.
  useEffect(() => {
    setCursor(undefined);
    setOlder([]);
  }, [props.refreshKey]);

  if (error) {
    return (
      <SectionError
        title="The audit trail could not be loaded"
        error={error}
        onRetry={retry}
      />
    );
  }
  const items = [...older, ...(value?.items ?? [])];
  return (
    <InfoCard title="Audit trail">
      {loading && <LinearProgress aria-label="Loading the audit trail" />}
      <Table size="small" className={classes.table} aria-label="Audit trail">
        <TableHead>
          <TableRow>
            {[...COLUMNS.map(c => c.title), 'Gates'].map(title => (
              <TableCell key={title} className={classes.header}>
                {title}
              </TableCell>
            ))}
          </TableRow>
        </TableHead>
        <TableBody>
          {items.map(record => (
            <AuditRow
              key={record.id}
              record={record}
              cellClass={classes.cell}
            />
          ))}
          {!loading && items.length === 0 && (
            <TableRow>
              <TableCell colSpan={COLUMNS.length + 1}>
                No actions yet: promotions and aborts show up here.
              </TableCell>
            </TableRow>
          )}
        </TableBody>
      </Table>
      {value?.nextCursor && (
        <Button
          onClick={() => {
            setOlder(items);
            setCursor(value.nextCursor);
          }}
        >
          Load older entries
        </Button>
      )}
    </InfoCard>
  );
}
