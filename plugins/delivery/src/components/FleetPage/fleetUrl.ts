import type {
  FleetRow,
  FleetState,
} from '@gitops-delivery/backstage-plugin-delivery-common';

/** The states the page filters by, with their labels, in display order. */
export const FLEET_STATE_LABELS: ReadonlyArray<{
  state: FleetState;
  label: string;
}> = [
  { state: 'canary', label: 'Canary in progress' },
  { state: 'blocked', label: 'Blocked' },
  { state: 'aborted', label: 'Aborted' },
  { state: 'drifted', label: 'Drifted' },
  { state: 'failing-ci', label: 'Failing CI' },
];

/** How rows are ordered. */
export type FleetSort = 'name' | 'owner' | 'system' | 'attention';

/** The page's view, as the URL holds it so that a view can be shared. */
export interface FleetView {
  /** `mine` (the caller's groups, the default), `all`, or entity refs. */
  owner: 'mine' | 'all' | string[];
  system: string[];
  lifecycle: string[];
  state: FleetState[];
  sort: FleetSort;
}

const SORTS: FleetSort[] = ['name', 'owner', 'system', 'attention'];
const STATES = FLEET_STATE_LABELS.map(s => s.state);

const listOf = (value: string | null) =>
  (value ?? '')
    .split(',')
    .map(v => v.trim())
    .filter(Boolean);

/** Reads the view from the URL's query; unknown values are dropped. */
export function readFleetView(params: URLSearchParams): FleetView {
  const owner = params.get('owner');
  const sort = params.get('sort') as FleetSort | null;
  let owners: FleetView['owner'] = listOf(owner);
  if (!owner || owner === 'mine') owners = 'mine';
  else if (owner === 'all') owners = 'all';
  return {
    owner: owners,
    system: listOf(params.get('system')),
    lifecycle: listOf(params.get('lifecycle')),
    state: listOf(params.get('state')).filter((s): s is FleetState =>
      STATES.includes(s as FleetState),
    ),
    sort: sort && SORTS.includes(sort) ? sort : 'name',
  };
}

/** Writes the view into a URL query (defaults left out). */
export function writeFleetView(view: FleetView): URLSearchParams {
  const params = new URLSearchParams();
  if (view.owner !== 'mine') {
    params.set(
      'owner',
      typeof view.owner === 'string' ? view.owner : view.owner.join(','),
    );
  }
  if (view.system.length) params.set('system', view.system.join(','));
  if (view.lifecycle.length) params.set('lifecycle', view.lifecycle.join(','));
  if (view.state.length) params.set('state', view.state.join(','));
  if (view.sort !== 'name') params.set('sort', view.sort);
  return params;
}

/** Orders rows for the view's sort; ties by name. */
export function sortRows(rows: FleetRow[], sort: FleetSort): FleetRow[] {
  const key = (row: FleetRow): string | number => {
    switch (sort) {
      case 'owner':
        return row.owner ?? '\uffff';
      case 'system':
        return row.system ?? '\uffff';
      case 'attention':
        return -row.states.filter(s => s !== 'canary').length;
      default:
        return row.name;
    }
  };
  return [...rows].sort((a, b) => {
    const ka = key(a);
    const kb = key(b);
    if (ka < kb) return -1;
    if (ka > kb) return 1;
    return a.name.localeCompare(b.name);
  });
}

/** A ref's name part, for display (`group:default/team-a` → `team-a`). */
export function refName(ref: string | undefined): string {
  if (!ref) return '';
  return ref.replace(/^[^:]*:/, '').replace(/^default\//, '');
}
