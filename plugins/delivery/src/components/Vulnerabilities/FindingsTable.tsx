import { Link } from '@backstage/core-components';
import {
  SECURITY_LAYERS,
  type SecurityLayer,
  type VulnerabilityFinding,
} from '@gitops-delivery/backstage-plugin-delivery-common';
import Box from '@material-ui/core/Box';
import MenuItem from '@material-ui/core/MenuItem';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TablePagination from '@material-ui/core/TablePagination';
import TableRow from '@material-ui/core/TableRow';
import TableSortLabel from '@material-ui/core/TableSortLabel';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import { memo, useMemo, useState, type ReactNode } from 'react';
import { severityRank } from '../../lib/vulnerabilities';
import { ClampedText } from '../common/ClampedText';

/** A finding with its layer and the rollout side it was found on. */
export interface FindingRow extends VulnerabilityFinding {
  /** The security layer (default image). */
  layer?: SecurityLayer;
  /** The rollout side it was found on. */
  image: 'canary' | 'stable';
  newInCanary: boolean;
  key: string;
}

/** What a finding is in: a package (image, SCA), a file, Pods or a resource. */
export function findingWhere(row: FindingRow): string {
  const layer = row.layer ?? 'image';
  if (layer === 'image' || layer === 'sca') return row.packageName;
  const where = row.location ?? row.packageName;
  return row.occurrences && row.occurrences > 1
    ? `${where} (${row.occurrences} events)`
    : where;
}

type SortKey =
  | 'layer'
  | 'severity'
  | 'id'
  | 'packageName'
  | 'installedVersion'
  | 'fixedVersion'
  | 'image'
  | 'newInCanary'
  | 'source';

interface Column {
  title: string;
  /** Sortable by this key; the title column is not. */
  sort?: SortKey;
  /** Fixed width of a short column; the title takes what is left. */
  width?: string;
  render: (row: FindingRow) => ReactNode;
}

const COLUMNS: Column[] = [
  {
    title: 'Layer',
    sort: 'layer',
    width: '5.5rem',
    render: r => r.layer ?? 'image',
  },
  {
    title: 'Severity',
    sort: 'severity',
    width: '7rem',
    render: r => r.severity,
  },
  {
    title: 'ID',
    sort: 'id',
    width: '9rem',
    render: r => (r.url ? <Link to={r.url}>{r.id}</Link> : r.id),
  },
  {
    title: 'Package / where',
    sort: 'packageName',
    width: '10rem',
    render: findingWhere,
  },
  {
    title: 'Installed',
    sort: 'installedVersion',
    width: '6.5rem',
    render: r => r.installedVersion,
  },
  {
    title: 'Fixed in',
    sort: 'fixedVersion',
    width: '6.5rem',
    render: r => r.fixedVersion ?? 'no fix',
  },
  { title: 'Side', sort: 'image', width: '5rem', render: r => r.image },
  {
    title: 'New in canary',
    sort: 'newInCanary',
    width: '6.5rem',
    render: r => (r.newInCanary ? 'new' : ''),
  },
  { title: 'Source', sort: 'source', width: '7rem', render: r => r.source },
  {
    title: 'Title',
    render: r => <ClampedText text={r.title} />,
  },
];

const PAGE_SIZES = [20, 50, 100];

const useStyles = makeStyles(theme => ({
  // fixed layout: the short columns keep their widths, the title column
  // takes the rest of the card; on a narrow screen the table scrolls inside
  // its card instead of pushing the card wider
  scroller: { overflowX: 'auto' },
  table: { tableLayout: 'fixed', width: '100%', minWidth: '73rem' },
  // long IDs, package names and versions wrap inside their column
  cell: {
    overflowWrap: 'anywhere',
    verticalAlign: 'top',
    padding: theme.spacing(0.75, 1),
  },
  // headers break between words only ("Source", not "Sourc-e")
  header: {
    overflowWrap: 'normal',
    verticalAlign: 'bottom',
    padding: theme.spacing(0.75, 1),
  },
  filters: {
    display: 'flex',
    flexWrap: 'wrap',
    gap: theme.spacing(2),
    marginBottom: theme.spacing(1),
  },
  filter: { maxWidth: 360 },
  layerFilter: { minWidth: 180 },
}));

const layerRank = (row: FindingRow) =>
  SECURITY_LAYERS.indexOf(row.layer ?? 'image');

function compare(a: FindingRow, b: FindingRow, key: SortKey): number {
  if (key === 'layer') return layerRank(a) - layerRank(b);
  if (key === 'severity') {
    return severityRank(a.severity) - severityRank(b.severity);
  }
  if (key === 'newInCanary')
    return Number(b.newInCanary) - Number(a.newInCanary);
  return String(a[key] ?? '').localeCompare(String(b[key] ?? ''));
}

function matches(row: FindingRow, query: string): boolean {
  if (!query) return true;
  const q = query.toLowerCase();
  return [
    row.id,
    row.packageName,
    row.location,
    row.title,
    row.severity,
    row.image,
    row.layer ?? 'image',
  ]
    .filter(Boolean)
    .some(v => String(v).toLowerCase().includes(q));
}

const FindingRowView = memo(function FindingRowCells(props: {
  row: FindingRow;
  cellClass: string;
}) {
  return (
    <TableRow>
      {COLUMNS.map(column => (
        <TableCell key={column.title} className={props.cellClass}>
          {column.render(props.row)}
        </TableCell>
      ))}
    </TableRow>
  );
});

/**
 * The findings of every security layer as one plain table that fits its
 * card: a layer column and a layer filter, sortable headers (one button
 * each, `aria-sort` on the header cell), a text filter, and pages of 20 so
 * a long list never draws all its rows at once.
 */
export function FindingsTable(props: { rows: FindingRow[]; title: string }) {
  const classes = useStyles();
  const [sort, setSort] = useState<{ key: SortKey; asc: boolean }>({
    key: 'severity',
    asc: true,
  });
  const [query, setQuery] = useState('');
  const [layer, setLayer] = useState<SecurityLayer | 'all'>('all');
  const [page, setPage] = useState(0);
  const [pageSize, setPageSize] = useState(PAGE_SIZES[0]);

  const shown = useMemo(() => {
    const filtered = props.rows.filter(
      row =>
        (layer === 'all' || (row.layer ?? 'image') === layer) &&
        matches(row, query),
    );
    return filtered.sort((a, b) => {
      const order =
        compare(a, b, sort.key) ||
        severityRank(a.severity) - severityRank(b.severity) ||
        layerRank(a) - layerRank(b) ||
        a.id.localeCompare(b.id);
      return sort.asc ? order : -order;
    });
  }, [props.rows, query, layer, sort]);
  const countOf = (l: SecurityLayer) =>
    props.rows.filter(r => (r.layer ?? 'image') === l).length;
  const lastPage = Math.max(0, Math.ceil(shown.length / pageSize) - 1);
  const current = Math.min(page, lastPage);
  const pageRows = shown.slice(current * pageSize, (current + 1) * pageSize);
  const titleId = `findings-${props.title.replace(/\W+/g, '-')}`;

  return (
    <Box>
      <Typography variant="h6" component="h4" id={titleId} gutterBottom>
        {props.title}
      </Typography>
      <Box className={classes.filters}>
        <TextField
          className={classes.filter}
          id={`${titleId}-filter`}
          label="Filter findings"
          size="small"
          variant="outlined"
          fullWidth
          value={query}
          onChange={e => {
            setQuery(e.target.value);
            setPage(0);
          }}
        />
        <TextField
          select
          className={classes.layerFilter}
          id={`${titleId}-layer`}
          label="Layer"
          size="small"
          variant="outlined"
          value={layer}
          onChange={e => {
            setLayer(e.target.value as SecurityLayer | 'all');
            setPage(0);
          }}
        >
          <MenuItem value="all">All layers ({props.rows.length})</MenuItem>
          {SECURITY_LAYERS.map(l => (
            <MenuItem key={l} value={l}>
              {l} ({countOf(l)})
            </MenuItem>
          ))}
        </TextField>
      </Box>
      <Box className={classes.scroller}>
        <Table size="small" className={classes.table} aria-labelledby={titleId}>
          <TableHead>
            <TableRow>
              {COLUMNS.map(column => {
                const active = column.sort === sort.key;
                let ariaSort: 'ascending' | 'descending' | undefined;
                if (active) ariaSort = sort.asc ? 'ascending' : 'descending';
                return (
                  <TableCell
                    key={column.title}
                    className={classes.header}
                    style={{ width: column.width }}
                    aria-sort={ariaSort}
                  >
                    {column.sort ? (
                      <TableSortLabel
                        active={active}
                        direction={active && !sort.asc ? 'desc' : 'asc'}
                        onClick={() =>
                          setSort(s => ({
                            key: column.sort!,
                            asc: s.key === column.sort ? !s.asc : true,
                          }))
                        }
                      >
                        {column.title}
                      </TableSortLabel>
                    ) : (
                      column.title
                    )}
                  </TableCell>
                );
              })}
            </TableRow>
          </TableHead>
          <TableBody>
            {pageRows.map(row => (
              <FindingRowView
                key={row.key}
                row={row}
                cellClass={classes.cell}
              />
            ))}
            {pageRows.length === 0 && (
              <TableRow>
                <TableCell colSpan={COLUMNS.length}>
                  {query
                    ? `No finding matches “${query}”.`
                    : `The ${layer} layer has no findings.`}
                </TableCell>
              </TableRow>
            )}
          </TableBody>
        </Table>
      </Box>
      {shown.length > PAGE_SIZES[0] && (
        <TablePagination
          component="div"
          count={shown.length}
          page={current}
          rowsPerPage={pageSize}
          rowsPerPageOptions={PAGE_SIZES}
          onPageChange={(_, next) => setPage(next)}
          onRowsPerPageChange={e => {
            setPageSize(Number(e.target.value));
            setPage(0);
          }}
        />
      )}
    </Box>
  );
}
