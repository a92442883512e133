import {
  stringifyEntityRef,
  type CompoundEntityRef,
} from '@backstage/catalog-model';
import type { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import type {
  AuditPage,
  DeliveryChoices,
  DeliveryOverview,
  DoraResponse,
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
import type {
  AuditQuery,
  DeliveryApi,
  DoraQuery,
  EntityAnnotationsResponse,
  FleetQuery,
  MetricsQuery,
} from './DeliveryApi';
import { ConditionalBodies } from './conditionalBodies';
import { DefaultApiClient, type TypedResponse } from './generated';

/**
 * The Delivery backend's client: the generated client of openapi.yaml
 * (./generated, every route, typed by the spec) with the user's Backstage
 * credentials, answering the DeliveryApi the components use and throwing a
 * ResponseError for an error status.
 *
 * @public
 */
export class DeliveryClient implements DeliveryApi {
  private readonly api: DefaultApiClient;
  private readonly overviews = new ConditionalBodies<DeliveryOverview>();

  constructor(options: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    this.api = new DefaultApiClient(options);
  }

  async getAnnotations(
    entity: CompoundEntityRef,
  ): Promise<EntityAnnotationsResponse> {
    return body(this.api.getAnnotations({ path: entityPath(entity) }));
  }

  async getOverview(entity: CompoundEntityRef): Promise<DeliveryOverview> {
    // revalidated: an unchanged view answers 304 and the held one is kept
    return this.overviews.fetch(stringifyEntityRef(entity), etag =>
      this.api.getOverview({
        path: entityPath(entity),
        header: etag ? { 'If-None-Match': etag } : undefined,
      }),
    );
  }

  async getMetrics(
    entity: CompoundEntityRef,
    query: MetricsQuery,
  ): Promise<MetricsResponse> {
    return body(
      this.api.getMetrics({
        path: entityPath(entity),
        query: {
          environment: query.environment,
          range:
            query.rangeSeconds === undefined
              ? undefined
              : String(query.rangeSeconds),
        },
      }),
    );
  }

  async getVulnerabilities(
    entity: CompoundEntityRef,
    query: { environment: string },
  ): Promise<VulnerabilitiesResponse> {
    return body(
      this.api.getVulnerabilities({
        path: entityPath(entity),
        query: { environment: query.environment },
      }),
    );
  }

  async getPolicy(
    entity: CompoundEntityRef,
    query: { environment: string },
  ): Promise<PolicyResponse> {
    return body(
      this.api.getPolicy({
        path: entityPath(entity),
        query: { environment: query.environment },
      }),
    );
  }

  async postAction(
    entity: CompoundEntityRef,
    request: RolloutActionRequest,
  ): Promise<RolloutActionResponse> {
    return body(
      this.api.runRolloutAction({ path: entityPath(entity), body: request }),
    );
  }

  async postApplicationAction(
    entity: CompoundEntityRef,
    request: ApplicationActionRequest,
  ): Promise<ApplicationActionResponse> {
    return body(
      this.api.runApplicationAction({
        path: entityPath(entity),
        body: request,
      }),
    );
  }

  async getAudit(
    entity: CompoundEntityRef,
    query: AuditQuery = {},
  ): Promise<AuditPage> {
    return body(
      this.api.getAuditTrail({
        path: entityPath(entity),
        query: { cursor: query.cursor || undefined, limit: query.limit },
      }),
    );
  }

  async getDrift(
    entity: CompoundEntityRef,
    query: { environment: string },
  ): Promise<DriftResponse> {
    return body(
      this.api.getDrift({
        path: entityPath(entity),
        query: { environment: query.environment },
      }),
    );
  }

  async getChanges(
    entity: CompoundEntityRef,
    query: { from: string; to: string },
  ): Promise<ChangesResponse> {
    return body(
      this.api.getChanges({
        path: entityPath(entity),
        query: { from: query.from, to: query.to },
      }),
    );
  }

  async getDora(
    entity: CompoundEntityRef,
    query: DoraQuery,
  ): Promise<DoraResponse> {
    return body(
      this.api.getDora({
        path: entityPath(entity),
        query: {
          window: `${query.windowDays}d`,
          environment: query.environment || undefined,
        },
      }),
    );
  }

  async getFleet(query: FleetQuery = {}): Promise<FleetResponse> {
    // an empty filter is no filter (the spec refuses an empty list)
    const filters = Object.fromEntries(
      Object.entries(query).filter(([, value]) => value),
    );
    return body(this.api.getFleet({ query: filters }));
  }

  async getChoices(): Promise<DeliveryChoices> {
    return body(this.api.getChoices());
  }
}

function entityPath(entity: CompoundEntityRef) {
  const { namespace, kind, name } = entity;
  return { namespace, kind, name };
}

async function body<T>(request: Promise<TypedResponse<T>>): Promise<T> {
  const response = await request;
  if (!response.ok) {
    throw await ResponseError.fromResponse(response as Response);
  }
  return response.json();
}
