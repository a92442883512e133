import { Link } from '@backstage/core-components';
import {
  SECURITY_LAYERS,
  SEVERITIES,
  type SecurityLayer,
  type SecurityLayerView,
  type VulnerabilityFinding,
} from '@gitops-delivery/backstage-plugin-delivery-common';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import MenuItem from '@material-ui/core/MenuItem';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import { useMemo, useState } from 'react';

/** Rows shown before "Show all". */
const PAGE = 25;

interface Row extends VulnerabilityFinding {
  layer: SecurityLayer;
  newInCanary: boolean;
  key: string;
}

function rowsOf(layers: SecurityLayerView[]): Row[] {
  const rows: Row[] = [];
  for (const view of layers) {
    const fresh = new Set(
      view.newInCanary.map(f => `${f.id}\u0000${f.packageName}`),
    );
    view.findings.forEach((f, i) => {
      const id = `${f.id}\u0000${f.packageName}`;
      rows.push({
        ...f,
        layer: view.layer,
        newInCanary: view.stableCounts !== undefined && fresh.has(id),
        key: `${view.layer}/${id}/${f.installedVersion ?? ''}/${i}`,
      });
    });
  }
  return rows.sort(
    (a, b) =>
      SEVERITIES.indexOf(a.severity) - SEVERITIES.indexOf(b.severity) ||
      SECURITY_LAYERS.indexOf(a.layer) - SECURITY_LAYERS.indexOf(b.layer) ||
      a.id.localeCompare(b.id),
  );
}

/** What a finding is about, per layer: a package version, a file, Pods. */
function detail(row: Row): string {
  if (row.layer === 'image' || row.layer === 'sca') {
    const fixed = row.fixedVersion ? ` → ${row.fixedVersion}` : ' (no fix)';
    return `${row.packageName}${
      row.installedVersion ? ` ${row.installedVersion}` : ''
    }${fixed}`;
  }
  const where = row.location ?? row.packageName;
  return row.occurrences && row.occurrences > 1
    ? `${where} (${row.occurrences} events)`
    : where;
}

/** Short words (layer, severity, source) never break mid-word. */
const NOWRAP = { whiteSpace: 'nowrap' } as const;

/** Every layer's findings in one table, with a layer column and filter. */
export function LayerFindingsTable(props: { layers: SecurityLayerView[] }) {
  const rows = useMemo(() => rowsOf(props.layers), [props.layers]);
  const [layer, setLayer] = useState<SecurityLayer | 'all'>('all');
  const [all, setAll] = useState(false);
  const shown = layer === 'all' ? rows : rows.filter(r => r.layer === layer);
  const visible = all ? shown : shown.slice(0, PAGE);
  const countOf = (l: SecurityLayer) => rows.filter(r => r.layer === l).length;
  return (
    <Box>
      <Box display="flex" alignItems="center" style={{ gap: 16 }} mb={1}>
        <Typography variant="subtitle2" component="h4">
          Findings of all layers ({rows.length})
        </Typography>
        <TextField
          select
          size="small"
          label="Layer"
          value={layer}
          onChange={e => {
            setLayer(e.target.value as SecurityLayer | 'all');
            setAll(false);
          }}
          id="security-layer-filter"
        >
          <MenuItem value="all">All layers</MenuItem>
          {SECURITY_LAYERS.map(l => (
            <MenuItem key={l} value={l}>
              {l} ({countOf(l)})
            </MenuItem>
          ))}
        </TextField>
      </Box>
      {shown.length === 0 ? (
        <Typography variant="body2">
          {layer === 'all'
            ? 'No layer has findings.'
            : `The ${layer} layer has no findings.`}
        </Typography>
      ) : (
        <Table size="small" aria-label="Findings by layer">
          <TableHead>
            <TableRow>
              <TableCell style={NOWRAP}>Layer</TableCell>
              <TableCell style={NOWRAP}>Severity</TableCell>
              <TableCell>Finding</TableCell>
              <TableCell>Where</TableCell>
              <TableCell style={NOWRAP}>Source</TableCell>
              <TableCell>New in canary</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {visible.map(row => (
              <TableRow key={row.key}>
                <TableCell style={NOWRAP}>{row.layer}</TableCell>
                <TableCell style={NOWRAP}>{row.severity}</TableCell>
                <TableCell>
                  {row.url ? <Link to={row.url}>{row.id}</Link> : row.id}
                  {row.title && row.title !== row.id && (
                    <Typography variant="body2" component="div">
                      {row.title}
                    </Typography>
                  )}
                </TableCell>
                <TableCell style={{ wordBreak: 'break-word' }}>
                  {detail(row)}
                </TableCell>
                <TableCell style={NOWRAP}>{row.source}</TableCell>
                <TableCell>{row.newInCanary ? 'new' : ''}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
      {!all && shown.length > PAGE && (
        <Button size="small" onClick={() => setAll(true)}>
          Show all {shown.length}
        </Button>
      )}
    </Box>
  );
}
