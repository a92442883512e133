import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import type { FleetState } from '@gitops-delivery/backstage-plugin-delivery-common';

/** The states a row can be filtered by, in the order the page lists them. */
export const FLEET_STATES: ReadonlyArray<FleetState> = [
  'canary',
  'blocked',
  'aborted',
  'drifted',
  'failing-ci',
];

/** A fleet request's filters, normalized (full lower-case entity refs). */
export interface FleetQuery {
  owners: string[];
  systems: string[];
  lifecycles: string[];
  states: FleetState[];
}

/** At most this many values per filter: a view, not a bulk export. */
const MAX_VALUES = 20;

function list(raw: string | undefined, what: string): string[] {
  const values = (raw ?? '')
    .split(',')
    .map(v => v.trim())
    .filter(Boolean);
  if (values.length > MAX_VALUES) {
    throw new InputError(
      `Invalid ${what}: at most ${MAX_VALUES} values, got ${values.length}`,
    );
  }
  return [...new Set(values)];
}

function refs(
  raw: string | undefined,
  what: string,
  defaultKind: string,
): string[] {
  return list(raw, what).map(value => {
    try {
      return stringifyEntityRef(
        parseEntityRef(value, { defaultKind, defaultNamespace: 'default' }),
      ).toLocaleLowerCase('en-US');
    } catch (error) {
      throw new InputError(
        `Invalid ${what}: "${value}" is not an entity ref (${
          (error as Error).message
        })`,
      );
    }
  });
}

/**
 * Reads the fleet route's query (the spec has checked its characters):
 * owners default to kind Group and systems to kind System, in namespace
 * `default`; an unknown state is a 400 that lists the known ones.
 */
export function parseFleetQuery(query: {
  owner?: string;
  system?: string;
  lifecycle?: string;
  state?: string;
}): FleetQuery {
  const states = list(query.state, 'state');
  const unknown = states.filter(s => !FLEET_STATES.includes(s as FleetState));
  if (unknown.length > 0) {
    throw new InputError(
      `Invalid state: ${unknown
        .map(s => `"${s}"`)
        .join(', ')} is not one of ${FLEET_STATES.join(', ')}`,
    );
  }
  return {
    owners: refs(query.owner, 'owner', 'group'),
    systems: refs(query.system, 'system', 'system'),
    lifecycles: list(query.lifecycle, 'lifecycle'),
    states: states as FleetState[],
  };
}
