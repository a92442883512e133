import { createApiRef } from '@backstage/core-plugin-api';
import type { CompoundEntityRef } from '@backstage/catalog-model';
import type { ResolvedAnnotations } from '@gitops-delivery/backstage-plugin-delivery-common';

/** The entity's delivery annotations as the backend resolved them. @public */
export interface EntityAnnotationsResponse {
  entityRef: string;
  annotations: ResolvedAnnotations;
  warnings: string[];
}

/** Client of the Delivery backend. @public */
export interface DeliveryApi {
  getAnnotations(entity: CompoundEntityRef): Promise<EntityAnnotationsResponse>;
}

/** API reference of the Delivery backend client. @public */
export const deliveryApiRef = createApiRef<DeliveryApi>({
  id: 'plugin.delivery.service',
});
