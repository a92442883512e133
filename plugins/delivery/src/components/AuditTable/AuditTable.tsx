import type { Entity } from '@backstage/catalog-model';
import { Table, type TableColumn } from '@backstage/core-components';
import type { AuditRecord } from '@gitops-delivery/backstage-plugin-delivery-common';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import { useEffect, useState } from 'react';
import { useAudit } from '../../hooks';
import { SectionError } from '../common/SectionError';
import { StatusLabel, type StatusTone } from '../common/StatusLabel';

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
];

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
        options={{ paging: false, search: false, padding: 'dense' }}
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
