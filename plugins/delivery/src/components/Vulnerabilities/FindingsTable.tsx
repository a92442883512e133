import { Link, Table, type TableColumn } from '@backstage/core-components';
import type { VulnerabilityFinding } from '@gitops-delivery/backstage-plugin-delivery-common';
import { useMemo } from 'react';
import { severityRank } from '../../lib/vulnerabilities';
import { ClampedText } from '../common/ClampedText';

/** A finding with the image role it was found in. */
export interface FindingRow extends VulnerabilityFinding {
  image: 'canary' | 'stable';
  newInCanary: boolean;
  key: string;
}

const columns: TableColumn<FindingRow>[] = [
  {
    title: 'Severity',
    field: 'severity',
    defaultSort: 'asc',
    customSort: (a, b) =>
      severityRank(a.severity) - severityRank(b.severity) ||
      a.id.localeCompare(b.id),
  },
  {
    title: 'ID',
    field: 'id',
    cellStyle: { whiteSpace: 'nowrap' },
    render: row =>
      row.url ? <Link to={row.url}>{row.id}</Link> : <span>{row.id}</span>,
  },
  { title: 'Package', field: 'packageName' },
  { title: 'Installed', field: 'installedVersion' },
  {
    title: 'Fixed in',
    field: 'fixedVersion',
    render: row => row.fixedVersion ?? 'no fix',
  },
  { title: 'Image', field: 'image' },
  {
    title: 'New in canary',
    field: 'newInCanary',
    render: row => (row.newInCanary ? 'new' : ''),
  },
  { title: 'Source', field: 'source' },
  {
    title: 'Title',
    field: 'title',
    sorting: false,
    // wide enough to read; long titles clamp to two lines, whole on hover
    cellStyle: { minWidth: 220 },
    render: row => <ClampedText text={row.title} />,
  },
];

/** A sortable, paged table of findings. */
export function FindingsTable(props: { rows: FindingRow[]; title: string }) {
  const data = useMemo(() => props.rows.map(row => ({ ...row })), [props.rows]);
  return (
    <Table<FindingRow>
      title={props.title}
      columns={columns}
      data={data}
      options={{
        paging: data.length > 20,
        pageSize: 20,
        pageSizeOptions: [20, 50, 100],
        search: true,
        padding: 'dense',
      }}
    />
  );
}
