import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import { CATALOG_FILTER_EXISTS } from '@backstage/catalog-client';
import {
  parseEntityRef,
  RELATION_OWNED_BY,
  RELATION_PART_OF,
  stringifyEntityRef,
  type Entity,
} from '@backstage/catalog-model';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import {
  ANNOTATION_ARGOCD_APP_NAME,
  ANNOTATION_ARGOCD_APP_SELECTOR,
} from '@gitops-delivery/backstage-plugin-delivery-common';
import type { FleetQuery } from './fleetQuery';

/** A delivery-annotated component as the fleet lists it. */
export interface FleetEntity {
  entity: Entity;
  entityRef: string;
  /** Owner and system as full lower-case refs. */
  owner?: string;
  system?: string;
  lifecycle?: string;
}

function refOf(
  value: unknown,
  defaultKind: string,
  namespace: string,
): string | undefined {
  if (typeof value !== 'string' || !value.trim()) return undefined;
  try {
    return stringifyEntityRef(
      parseEntityRef(value, { defaultKind, defaultNamespace: namespace }),
    ).toLocaleLowerCase('en-US');
  } catch {
    return undefined;
  }
}

function related(entity: Entity, type: string, kind: string): string[] {
  return (entity.relations ?? [])
    .filter(
      r =>
        r.type === type &&
        r.targetRef.toLocaleLowerCase('en-US').startsWith(`${kind}:`),
    )
    .map(r => r.targetRef.toLocaleLowerCase('en-US'));
}

/** Reads an entity's owner, system and lifecycle as the filters compare them. */
export function toFleetEntity(entity: Entity): FleetEntity {
  const namespace = entity.metadata.namespace ?? 'default';
  const spec = (entity.spec ?? {}) as Record<string, unknown>;
  return {
    entity,
    entityRef: stringifyEntityRef(entity),
    owner:
      refOf(spec.owner, 'group', namespace) ??
      related(entity, RELATION_OWNED_BY, 'group')[0],
    system:
      refOf(spec.system, 'system', namespace) ??
      related(entity, RELATION_PART_OF, 'system')[0],
    lifecycle: typeof spec.lifecycle === 'string' ? spec.lifecycle : undefined,
  };
}

/** Whether the entity passes the owner, system and lifecycle filters. */
export function matchesFilters(item: FleetEntity, query: FleetQuery): boolean {
  const owners = [
    item.owner,
    ...related(item.entity, RELATION_OWNED_BY, 'group'),
    ...related(item.entity, RELATION_OWNED_BY, 'user'),
  ];
  const systems = [
    item.system,
    ...related(item.entity, RELATION_PART_OF, 'system'),
  ];
  return (
    (query.owners.length === 0 ||
      owners.some(o => query.owners.includes(o!))) &&
    (query.systems.length === 0 ||
      systems.some(s => query.systems.includes(s!))) &&
    (query.lifecycles.length === 0 ||
      (item.lifecycle !== undefined &&
        query.lifecycles.includes(item.lifecycle)))
  );
}

/**
 * The delivery-annotated Components the caller can see (the catalog reads
 * with the caller's credentials, so its permissions apply), filtered by
 * owner, system and lifecycle, sorted by ref.
 */
export async function loadFleetEntities(
  catalog: CatalogService,
  credentials: BackstageCredentials,
  query: FleetQuery,
): Promise<FleetEntity[]> {
  const { items } = await catalog.getEntities(
    {
      filter: [
        {
          kind: 'component',
          [`metadata.annotations.${ANNOTATION_ARGOCD_APP_SELECTOR}`]:
            CATALOG_FILTER_EXISTS,
        },
        {
          kind: 'component',
          [`metadata.annotations.${ANNOTATION_ARGOCD_APP_NAME}`]:
            CATALOG_FILTER_EXISTS,
        },
      ],
      fields: [
        'kind',
        'metadata.namespace',
        'metadata.name',
        'metadata.title',
        'metadata.annotations',
        'spec.owner',
        'spec.system',
        'spec.lifecycle',
        'relations',
      ],
    },
    { credentials },
  );
  return items
    .map(toFleetEntity)
    .filter(item => matchesFilters(item, query))
    .sort((a, b) => a.entityRef.localeCompare(b.entityRef));
}
