import type {
  DoraBand,
  FleetCanary,
  FleetCell,
  FleetRow,
  FleetState,
} from '@gitops-delivery/backstage-plugin-delivery-common';
import { parseImageReference } from '../services/vulnerabilities/imageReference';
import type { FleetEntity } from './fleetCatalog';
import type { ArgoCdResourceRef } from '@gitops-delivery/backstage-plugin-delivery-node';
import type {
  AnalysisRunObject,
  RolloutObject,
} from '../services/overview/rolloutTypes';
import type { RowSignals } from './fleetCellSignals';
import type {
  FleetApplication,
  FleetSignals,
  ListedApplication,
} from './fleetTypes';

/** One environment's Applications of a row, and what was read for them. */
export interface CellFacts {
  environment: string;
  applications: ListedApplication[];
  canaries: FleetCanary[];
  /** The Rollouts read for the canaries (the signals' state is built from them). */
  rollouts: Array<{
    listed: ListedApplication;
    resource: ArgoCdResourceRef;
    rollout: RolloutObject;
    /** Its current revision's AnalysisRuns, once read (fleetAnalysisRuns). */
    analysisRuns?: AnalysisRunObject[];
    /** Why some of them could not be read. */
    analysisErrors?: string[];
  }>;
  /** Argo CD instances the row searches that could not be listed. */
  failedInstances: string[];
  errors: string[];
}

/** Everything a row is assembled from. */
export interface RowFacts {
  item: FleetEntity;
  /** Why the row has no cells. */
  error?: string;
  cells: CellFacts[];
  /** The SLO, scan, CI and policy signals (fleetCellSignals). */
  signals?: RowSignals;
  dora?: Map<string, DoraBand>;
}

const HEALTH_ORDER = [
  'Degraded',
  'Missing',
  'Unknown',
  'Progressing',
  'Suspended',
  'Healthy',
] as const;
type Health = (typeof HEALTH_ORDER)[number];

function worstHealth(apps: FleetApplication[]): Health | undefined {
  const found = apps.map(a => a.status?.health?.status);
  return (
    HEALTH_ORDER.find(h => found.includes(h)) ??
    (found.length ? 'Unknown' : undefined)
  );
}

function syncOf(apps: FleetApplication[]): string | undefined {
  const found = apps.map(a => a.status?.sync?.status ?? 'Unknown');
  if (found.length === 0) return undefined;
  if (found.includes('OutOfSync')) return 'OutOfSync';
  return found.every(s => s === 'Synced') ? 'Synced' : 'Unknown';
}

function versionOf(image: string | undefined): FleetCell['version'] {
  if (!image) return undefined;
  const ref = parseImageReference(image);
  return {
    image,
    ...(ref.tag ? { tag: ref.tag } : {}),
    ...(ref.digest ? { digest: ref.digest } : {}),
  };
}

/** The cell's states: what the state filter and the page's badges read. */
export function cellStates(cell: FleetCell): FleetState[] {
  const states: FleetState[] = [];
  if (cell.canary && !cell.canary.aborted) states.push('canary');
  if (cell.policy && !cell.policy.allowed && cell.policy.pending !== false) {
    states.push('blocked');
  }
  if (cell.canary?.aborted) states.push('aborted');
  if (cell.drifted) states.push('drifted');
  if (cell.ci?.conclusion === 'failure' || cell.ci?.status === 'failed') {
    states.push('failing-ci');
  }
  return states;
}

/**
 * The failed signal sources that concern an environment: those that name it
 * (`<environment>: ...`, as the contributors word a failure of one
 * environment) and those that name none of the row's environments.
 */
export function errorsOf(
  errors: string[],
  environment: string,
  environments: string[],
): string[] {
  const names = (error: string, name: string) => error.includes(`${name}: `);
  return errors.filter(
    error =>
      names(error, environment) ||
      !environments.some(other => names(error, other)),
  );
}

function toCell(
  facts: CellFacts,
  rowSignals: RowSignals | undefined,
  band: DoraBand | undefined,
  others: string[] = [],
): FleetCell {
  const apps = facts.applications.map(a => a.application);
  const canary = facts.canaries[0];
  const sync = syncOf(apps);
  const health = worstHealth(apps);
  const version = versionOf(
    apps.flatMap(a => a.status?.summary?.images ?? [])[0],
  );
  const cell: FleetCell = {
    environment: facts.environment,
    applications: facts.applications.map(
      a => `${a.instance}/${a.application.metadata.name}`,
    ),
    drifted: sync === 'OutOfSync',
    ...(version ? { version } : {}),
    ...(sync ? { sync } : {}),
    ...(health ? { health } : {}),
    ...(canary ? { canary } : {}),
    ...(band ? { doraBand: band } : {}),
  };
  // only a cell with Applications shows signals
  if (rowSignals && apps.length > 0) {
    if (rowSignals.status === 'ready') {
      const signals: FleetSignals | undefined =
        rowSignals.environments[facts.environment];
      Object.assign(cell, signals ?? {}, {
        signalsAt: rowSignals.at,
        signalsStatus: 'ready',
      });
      const errors = errorsOf(rowSignals.errors, facts.environment, others);
      if (errors.length > 0) {
        cell.signalsMessage = `Not every signal could be computed: ${errors.join(
          '; ',
        )}`;
      }
    } else if (rowSignals.status === 'computing') {
      const previous = rowSignals.previous;
      const signals = previous?.environments[facts.environment];
      if (previous && signals) {
        Object.assign(cell, signals, { signalsAt: previous.at });
      }
      cell.signalsStatus = 'computing';
      cell.signalsMessage =
        previous && signals
          ? `Signals computed at ${previous.at}; newer ones are being computed and show on a later refresh`
          : 'The security, policy and CI signals are still being computed; they show on a later refresh';
    } else {
      cell.signalsStatus = 'failed';
      cell.signalsMessage = `The signals could not be computed: ${rowSignals.message}`;
    }
  }
  if (facts.errors.length > 0) cell.error = facts.errors.join('; ');
  return cell;
}

/** Assembles one row from what was loaded for it (pure). */
export function assembleRow(facts: RowFacts): FleetRow {
  const { item } = facts;
  const cells = facts.cells.map(c =>
    toCell(
      c,
      facts.signals,
      facts.dora?.get(c.environment),
      facts.cells.map(x => x.environment),
    ),
  );
  const states = [...new Set(cells.flatMap(cellStates))];
  const title = item.entity.metadata.title;
  return {
    entityRef: item.entityRef,
    name: item.entity.metadata.name,
    ...(title ? { title } : {}),
    ...(item.owner ? { owner: item.owner } : {}),
    ...(item.system ? { system: item.system } : {}),
    ...(item.lifecycle ? { lifecycle: item.lifecycle } : {}),
    states,
    ...(facts.error ? { error: facts.error } : {}),
    cells,
  };
}
