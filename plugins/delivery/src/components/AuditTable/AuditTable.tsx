import type { Entity } from '@backstage/catalog-model';
import { Table, type TableColumn } from '@backstage/core-components';
import type { AuditRecord } from '@gitops-delivery/backstage-plugin-delivery-common';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Typography from '@material-ui/core/Typography';
import { useEffect, useState } from 'react';
import { useAudit } from '../../hooks';
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

const columns: TableColumn<AuditRecord>[] = [
  { title: 'When', field: 'createdAt', defaultSort: 'desc' },
  { title: 'Who', field: 'actor' },
  { title: 'Environment', field: 'environment' },
  { title: 'Rollout', field: 'rollout' },
  { title: 'Action', field: 'action' },
  {
    title: 'Decision',
    field: 'decision',
    render: r => (
      <StatusLabel tone={DECISION_TONES[r.decision]}>{r.decision}</StatusLabel>
    ),
  },
  {
    title: 'Outcome',
    field: 'outcome',
    render: r => (
      <StatusLabel tone={OUTCOME_TONES[r.outcome]}>{r.outcome}</StatusLabel>
    ),
  },
  { title: 'Reason', field: 'reason' },
  { title: 'Message', field: 'message' },
  {
    title: 'Gates',
    field: 'gates',
    sorting: false,
    render: r => <GatesToggle record={r} />,
  },
];

const GATES_TOGGLE = '[data-gates-toggle]';

/** The button that expands a row to its gates; the row's click handler toggles it. */
function GatesToggle(props: { record: AuditRecord }) {
  const { record } = props;
  const gates = record.gates ?? [];
  if (!gates.length) {
    return (
      <Typography variant="caption" color="textSecondary">
        none recorded
      </Typography>
    );
  }
  const expanded = Boolean(
    (record as AuditRecord & { tableData?: { showDetailPanel?: unknown } })
      .tableData?.showDetailPanel,
  );
  const passed = gates.filter(g => g.outcome === 'pass').length;
  return (
    <Button
      size="small"
      variant="outlined"
      data-gates-toggle
      aria-expanded={expanded}
    >
      {expanded ? 'Hide' : 'Show'} gates ({passed} of {gates.length} passed)
    </Button>
  );
}

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

/** The entity's audit trail, newest first, with "load more" paging. */
export function AuditTable(props: { entity: Entity; refreshKey?: string }) {
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
    <Box>
      <Table<AuditRecord>
        title="Audit trail"
        isLoading={loading}
        columns={columns}
        data={items.map(i => ({ ...i }))}
        options={{
          paging: false,
          search: false,
          padding: 'dense',
          showDetailPanelIcon: false,
        }}
        // Decisions that evaluated the policy expand to their gate results,
        // through the Gates column's button (the table's own toggle icon has
        // no meaningful name).
        detailPanel={({ rowData }) => <RecordedGates record={rowData} />}
        onRowClick={(event, record, togglePanel) => {
          const target = event?.target as HTMLElement | undefined;
          if (record?.gates?.length && target?.closest?.(GATES_TOGGLE)) {
            togglePanel?.();
          }
        }}
        emptyContent={
          <Box p={2}>No actions yet: promotions and aborts show up here.</Box>
        }
      />
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
    </Box>
  );
}
