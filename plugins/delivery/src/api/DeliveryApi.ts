import { createApiRef } from '@backstage/core-plugin-api';
import type { CompoundEntityRef } from '@backstage/catalog-model';
import type {
  AuditPage,
  DeliveryChoices,
  DeliveryOverview,
  DoraResponse,
  DoraWindowDays,
  EntityAnnotationsResponse,
  FleetResponse,
  MetricsResponse,
  PolicyResponse,
  RolloutActionRequest,
  RolloutActionResponse,
  ApplicationActionRequest,
  ApplicationActionResponse,
  VulnerabilitiesResponse,
  DriftResponse,
  ChangesResponse,
} from '@gitops-delivery/backstage-plugin-delivery-common';

export type { EntityAnnotationsResponse };

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

/** Query of the DORA route. @public */
export interface DoraQuery {
  windowDays: DoraWindowDays;
  /** Only this environment; default every environment. */
  environment?: string;
}

/** Filters of the fleet route: comma lists, each optional. @public */
export interface FleetQuery {
  /** Owner refs (`group:default/team-a`, or `team-a`). */
  owner?: string;
  /** System refs (`system:default/shop` or `shop`). */
  system?: string;
  /** Lifecycles, e.g. `production,experimental`. */
  lifecycle?: string;
  /** States a row must have one of: `canary`, `blocked`, `aborted`, `drifted`, `failing-ci`. */
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
  /** Refresh, sync or roll back one of the entity's Argo CD Applications. */
  postApplicationAction(
    entity: CompoundEntityRef,
    request: ApplicationActionRequest,
  ): Promise<ApplicationActionResponse>;
  getAudit(entity: CompoundEntityRef, query?: AuditQuery): Promise<AuditPage>;
  /** What differs between the cluster and Git in an environment (drift). */
  getDrift(
    entity: CompoundEntityRef,
    query: { environment: string },
  ): Promise<DriftResponse>;
  /**
   * What `to` gets if it takes `from`'s revision: commits, images,
   * vulnerability delta, manifest diff. Each names an environment
   * (`staging`) or one of its history entries (`staging@12`).
   */
  getChanges(
    entity: CompoundEntityRef,
    query: { from: string; to: string },
  ): Promise<ChangesResponse>;
  /** The four DORA figures of a component, or of a System over its components. */
  getDora(entity: CompoundEntityRef, query: DoraQuery): Promise<DoraResponse>;
  /** What is deployed where, for the delivery-annotated components the user can see. */
  getFleet(query?: FleetQuery): Promise<FleetResponse>;
  /** The configured policies and Argo CD instances, by name (for templates). */
  getChoices(): Promise<DeliveryChoices>;
}

/** API reference of the Delivery backend client. @public */
export const deliveryApiRef = createApiRef<DeliveryApi>({
  id: 'plugin.delivery.service',
});
