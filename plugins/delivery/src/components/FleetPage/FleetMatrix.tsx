import { Link } from '@backstage/core-components';
import { useRouteRef } from '@backstage/core-plugin-api';
import { parseEntityRef } from '@backstage/catalog-model';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import type {
  FleetResponse,
  FleetRow,
} from '@gitops-delivery/backstage-plugin-delivery-common';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableContainer from '@material-ui/core/TableContainer';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { FleetCellView } from './FleetCellView';
import { FLEET_STATE_LABELS, refName } from './fleetUrl';

const STATE_LABEL = new Map(FLEET_STATE_LABELS.map(s => [s.state, s.label]));

function RowHeader({ row }: { row: FleetRow }) {
  const entityRoute = useRouteRef(entityRouteRef);
  const ref = parseEntityRef(row.entityRef);
  const tab = `${entityRoute({
    kind: ref.kind.toLocaleLowerCase('en-US'),
    namespace: ref.namespace,
    name: ref.name,
  })}/delivery`;
  return (
    <TableCell component="th" scope="row">
      <Link
        to={tab}
        aria-label={`${row.title ?? row.name}: open its Delivery tab`}
      >
        {row.title ?? row.name}
      </Link>
      <Typography variant="body2" component="div">
        {[refName(row.owner), refName(row.system), row.lifecycle]
          .filter(Boolean)
          .join(' · ')}
      </Typography>
      {row.states.length > 0 && (
        <Typography variant="body2" component="div">
          {row.states.map(s => STATE_LABEL.get(s) ?? s).join(', ')}
        </Typography>
      )}
      {row.error && (
        <Typography variant="body2" component="div" color="error">
          {row.error}
        </Typography>
      )}
    </TableCell>
  );
}

/** The matrix: a row per component, a column per environment. */
export function FleetMatrix(props: {
  fleet: FleetResponse;
  rows: FleetRow[];
  caption: string;
}) {
  const { fleet, rows } = props;
  return (
    <TableContainer>
      <Table size="small" aria-label={props.caption}>
        <TableHead>
          <TableRow>
            <TableCell component="th" scope="col">
              Component
            </TableCell>
            {fleet.environments.map(env => (
              <TableCell key={env} component="th" scope="col">
                {env}
              </TableCell>
            ))}
          </TableRow>
        </TableHead>
        <TableBody>
          {rows.map(row => (
            <TableRow key={row.entityRef} data-testid="fleet-row">
              <RowHeader row={row} />
              {fleet.environments.map(env => (
                <TableCell key={env}>
                  <FleetCellView
                    cell={row.cells.find(c => c.environment === env)}
                  />
                </TableCell>
              ))}
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </TableContainer>
  );
}
