import type { FleetRow } from '@gitops-delivery/backstage-plugin-delivery-common';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import MenuItem from '@material-ui/core/MenuItem';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import { useRef } from 'react';
import {
  FLEET_STATE_LABELS,
  refName,
  type FleetSort,
  type FleetView,
} from './fleetUrl';

const ALL = '__all__';
const MINE = 'mine';

function ownerOf(value: string): FleetView['owner'] {
  if (value === ALL) return 'all';
  if (value === MINE) return 'mine';
  return [value];
}

/** Every value seen in the rows so far (and the selected ones), sorted. */
function useSeen(
  rows: FleetRow[] | undefined,
  pick: (r: FleetRow) => string | undefined,
  selected: string[],
) {
  const seen = useRef(new Set<string>());
  for (const row of rows ?? []) {
    const value = pick(row);
    if (value) seen.current.add(value);
  }
  for (const value of selected) seen.current.add(value);
  return [...seen.current].sort();
}

// MUI's outlined labels are textSecondary, below AA contrast on Backstage's
// themes (axe, light and dark): the labels take the primary text colour
const useStyles = makeStyles(theme => ({
  label: { color: theme.palette.text.primary },
}));

function FilterSelect(props: {
  id: string;
  label: string;
  value: string;
  options: Array<{ value: string; label: string }>;
  onChange: (value: string) => void;
}) {
  const classes = useStyles();
  return (
    <TextField
      id={props.id}
      InputLabelProps={{ className: classes.label }}
      select
      label={props.label}
      value={props.value}
      onChange={e => props.onChange(e.target.value)}
      variant="outlined"
      size="small"
      style={{ minWidth: 180, marginRight: 16, marginBottom: 8 }}
    >
      {props.options.map(o => (
        <MenuItem key={o.value} value={o.value}>
          {o.label}
        </MenuItem>
      ))}
    </TextField>
  );
}

/** The page's filters and sort; every change goes to the URL. */
export function FleetFilters(props: {
  view: FleetView;
  rows?: FleetRow[];
  onChange: (view: FleetView) => void;
}) {
  const { view, onChange } = props;
  const owners = useSeen(
    props.rows,
    r => r.owner,
    Array.isArray(view.owner) ? view.owner : [],
  );
  const systems = useSeen(props.rows, r => r.system, view.system);
  const lifecycles = useSeen(props.rows, r => r.lifecycle, view.lifecycle);
  let ownerValue: string = view.owner === 'all' ? ALL : MINE;
  if (Array.isArray(view.owner)) ownerValue = view.owner[0] ?? ALL;
  const toggle = (state: FleetView['state'][number]) =>
    onChange({
      ...view,
      state: view.state.includes(state)
        ? view.state.filter(s => s !== state)
        : [...view.state, state],
    });
  return (
    <Box mb={2}>
      <Box display="flex" flexWrap="wrap" alignItems="center">
        <FilterSelect
          id="fleet-owner"
          label="Owner"
          value={ownerValue}
          options={[
            { value: MINE, label: 'Mine (my groups)' },
            { value: ALL, label: 'All owners' },
            ...owners.map(o => ({ value: o, label: refName(o) })),
          ]}
          onChange={v => onChange({ ...view, owner: ownerOf(v) })}
        />
        <FilterSelect
          id="fleet-system"
          label="System"
          value={view.system[0] ?? ALL}
          options={[
            { value: ALL, label: 'All systems' },
            ...systems.map(s => ({ value: s, label: refName(s) })),
          ]}
          onChange={v => onChange({ ...view, system: v === ALL ? [] : [v] })}
        />
        <FilterSelect
          id="fleet-lifecycle"
          label="Lifecycle"
          value={view.lifecycle[0] ?? ALL}
          options={[
            { value: ALL, label: 'All lifecycles' },
            ...lifecycles.map(l => ({ value: l, label: l })),
          ]}
          onChange={v => onChange({ ...view, lifecycle: v === ALL ? [] : [v] })}
        />
        <FilterSelect
          id="fleet-sort"
          label="Sort by"
          value={view.sort}
          options={[
            { value: 'name', label: 'Name' },
            { value: 'owner', label: 'Owner' },
            { value: 'system', label: 'System' },
            { value: 'attention', label: 'Needs attention first' },
          ]}
          onChange={v => onChange({ ...view, sort: v as FleetSort })}
        />
      </Box>
      <Box
        display="flex"
        flexWrap="wrap"
        alignItems="center"
        role="group"
        aria-labelledby="fleet-state-label"
      >
        <Typography
          id="fleet-state-label"
          variant="body2"
          style={{ marginRight: 8 }}
        >
          State:
        </Typography>
        {FLEET_STATE_LABELS.map(({ state, label }) => {
          const pressed = view.state.includes(state);
          return (
            <Button
              key={state}
              size="small"
              variant={pressed ? 'contained' : 'outlined'}
              color={pressed ? 'primary' : 'default'}
              aria-pressed={pressed}
              onClick={() => toggle(state)}
              style={{ marginRight: 8, marginBottom: 4 }}
            >
              {pressed ? `✓ ${label}` : label}
            </Button>
          );
        })}
      </Box>
    </Box>
  );
}
