import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import { stringifyEntityRef, type Entity } from '@backstage/catalog-model';
import { NotFoundError } from '@backstage/errors';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import {
  readDeliveryAnnotations,
  type ReadAnnotationsResult,
} from '@gitops-delivery/backstage-plugin-delivery-common';

/** A validated reference to a catalog entity. @public */
export interface EntityRefParams {
  namespace: string;
  kind: string;
  name: string;
}

/** An entity with its delivery annotations read and validated. @public */
export interface ResolvedEntity extends ReadAnnotationsResult {
  entity: Entity;
  entityRef: string;
}

/** Loads entities from the catalog as the caller. @public */
export interface EntityResolver {
  resolve(
    ref: EntityRefParams,
    credentials: BackstageCredentials,
  ): Promise<ResolvedEntity>;
}

/**
 * Creates an EntityResolver. The entity is read with the caller's
 * credentials, so the catalog's own read permissions apply: an entity the
 * caller cannot see is indistinguishable from one that does not exist.
 */
export function createEntityResolver(options: {
  catalog: CatalogService;
}): EntityResolver {
  return {
    async resolve(ref, credentials) {
      const entityRef = stringifyEntityRef(ref);
      const entity = await options.catalog.getEntityByRef(entityRef, {
        credentials,
      });
      if (!entity) {
        throw new NotFoundError(`No entity ${entityRef} found`);
      }
      return { entity, entityRef, ...readDeliveryAnnotations(entity) };
    },
  };
}
