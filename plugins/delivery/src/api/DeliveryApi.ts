import { createApiRef } from '@backstage/core-plugin-api';
import type { CompoundEntityRef } from '@backstage/catalog-model';
import type {
  AuditPage,
  DeliveryChoices,
  DeliveryOverview,
  FleetResponse,
  MetricsResponse,
  PolicyResponse,
  ResolvedAnnotations,
  RolloutActionRequest,
  RolloutActionResponse,
  VulnerabilitiesResponse,
} from '@gitops-delivery/backstage-plugin-delivery-common';

/** The entity's delivery annotations as the backend resolved them. @public */
export interface EntityAnnotationsResponse {
  entityRef: string;
  annotations: ResolvedAnnotations;
  warnings: string[];
}

/** Query of the metrics route. @public */
export interface MetricsQuery {
  environment: string;
  /** Window in seconds; the backend caps it. */
  rangeSeconds?: number;
}

/** Query of the audit route. @public */
export interface AuditQuery {
  cursor?: string;
  limit?: number;
}

/** Filters of the fleet route, each a comma list. @public */
export interface FleetQuery {
  /** Owner refs, e.g. `group:default/team-a`. */
  owner?: string;
  /** System refs, e.g. `system:default/shop`. */
  system?: string;
  lifecycle?: string;
  /** `canary`, `blocked`, `aborted`, `drifted`, `failing-ci`. */
  state?: string;
}

/** Client of the Delivery backend. @public */
export interface DeliveryApi {
  getAnnotations(entity: CompoundEntityRef): Promise<EntityAnnotationsResponse>;
  getOverview(entity: CompoundEntityRef): Promise<DeliveryOverview>;
  getMetrics(
    entity: CompoundEntityRef,
    query: MetricsQuery,
  ): Promise<MetricsResponse>;
  getVulnerabilities(
    entity: CompoundEntityRef,
    query: { environment: string },
  ): Promise<VulnerabilitiesResponse>;
  getPolicy(
    entity: CompoundEntityRef,
    query: { environment: string },
  ): Promise<PolicyResponse>;
  postAction(
    entity: CompoundEntityRef,
    request: RolloutActionRequest,
  ): Promise<RolloutActionResponse>;
  getAudit(entity: CompoundEntityRef, query?: AuditQuery): Promise<AuditPage>;
  /** What is deployed where, for the delivery-annotated components the user can see. */
  getFleet(query?: FleetQuery): Promise<FleetResponse>;
  /** The configured policies and Argo CD instances, by name (for templates). */
  getChoices(): Promise<DeliveryChoices>;
}

/** API reference of the Delivery backend client. @public */
export const deliveryApiRef = createApiRef<DeliveryApi>({
  id: 'plugin.delivery.service',
});
