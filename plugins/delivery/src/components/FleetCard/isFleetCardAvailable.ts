import type { Entity } from '@backstage/catalog-model';

/** True for the entities the fleet card serves: Systems and Groups. @public */
export function isFleetCardAvailable(entity: Entity): boolean {
  const kind = entity.kind.toLocaleLowerCase('en-US');
  return kind === 'system' || kind === 'group';
}
