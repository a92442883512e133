import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import { CATALOG_FILTER_EXISTS } from '@backstage/catalog-client';
import type { CompoundEntityRef } from '@backstage/catalog-model';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import {
  ANNOTATION_ARGOCD_APP_NAME,
  ANNOTATION_ARGOCD_APP_SELECTOR,
} from '@gitops-delivery/backstage-plugin-delivery-common';

/**
 * Every catalog entity with `argocd/app-selector` or `argocd/app-name`, as
 * the given credentials see them: what the scheduled tasks (canary guard,
 * deployment recorder) walk through.
 */
export async function listDeliveryEntities(
  catalog: CatalogService,
  credentials: BackstageCredentials,
): Promise<CompoundEntityRef[]> {
  const { items } = await catalog.getEntities(
    {
      filter: [
        {
          [`metadata.annotations.${ANNOTATION_ARGOCD_APP_SELECTOR}`]:
            CATALOG_FILTER_EXISTS,
        },
        {
          [`metadata.annotations.${ANNOTATION_ARGOCD_APP_NAME}`]:
            CATALOG_FILTER_EXISTS,
        },
      ],
      fields: ['kind', 'metadata.namespace', 'metadata.name'],
    },
    { credentials },
  );
  return items.map(entity => ({
    kind: entity.kind,
    namespace: entity.metadata.namespace ?? 'default',
    name: entity.metadata.name,
  }));
}
