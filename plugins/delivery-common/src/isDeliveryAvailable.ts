import type { Entity } from '@backstage/catalog-model';
import {
  ANNOTATION_ARGOCD_APP_NAME,
  ANNOTATION_ARGOCD_APP_SELECTOR,
} from './annotations';

/**
 * True when the entity names its Argo CD applications, by name or by
 * selector; the Delivery tab and card show only for such entities.
 *
 * @public
 */
export function isDeliveryAvailable(entity: Entity): boolean {
  const annotations = entity.metadata.annotations ?? {};
  return Boolean(
    annotations[ANNOTATION_ARGOCD_APP_NAME]?.trim() ||
      annotations[ANNOTATION_ARGOCD_APP_SELECTOR]?.trim(),
  );
}
