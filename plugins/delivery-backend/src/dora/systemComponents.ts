import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import {
  parseEntityRef,
  RELATION_HAS_PART,
  stringifyEntityRef,
  type Entity,
} from '@backstage/catalog-model';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import type { EntityRefParams } from '../services/EntityResolver/EntityResolver';

/**
 * The components of a system, as the caller may see them: its hasPart
 * relations and the components whose spec.system names it, sorted by ref.
 */
export async function systemComponents(
  catalog: CatalogService,
  system: Entity,
  credentials: BackstageCredentials,
): Promise<EntityRefParams[]> {
  const refs = new Map<string, EntityRefParams>();
  for (const relation of system.relations ?? []) {
    if (relation.type !== RELATION_HAS_PART) continue;
    const target = parseEntityRef(relation.targetRef);
    if (target.kind.toLocaleLowerCase('en-US') === 'component') {
      refs.set(stringifyEntityRef(target), target);
    }
  }
  const namespace = system.metadata.namespace ?? 'default';
  const name = system.metadata.name;
  const { items } = await catalog.getEntities(
    {
      filter: {
        kind: 'component',
        'spec.system': [
          name,
          `${namespace}/${name}`,
          `system:${namespace}/${name}`,
        ],
      },
      fields: ['kind', 'metadata.namespace', 'metadata.name', 'spec.system'],
    },
    { credentials },
  );
  for (const item of items) {
    const ref = {
      kind: item.kind,
      namespace: item.metadata.namespace ?? 'default',
      name: item.metadata.name,
    };
    refs.set(stringifyEntityRef(ref), ref);
  }
  return [...refs.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([, ref]) => ref);
}
