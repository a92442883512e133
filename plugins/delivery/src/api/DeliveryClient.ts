import type { CompoundEntityRef } from '@backstage/catalog-model';
import type { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import type {
  AuditPage,
  DeliveryChoices,
  DeliveryOverview,
  FleetResponse,
  MetricsResponse,
  PolicyResponse,
  RolloutActionRequest,
  RolloutActionResponse,
  VulnerabilitiesResponse,
} from '@gitops-delivery/backstage-plugin-delivery-common';
import type {
  AuditQuery,
  DeliveryApi,
  EntityAnnotationsResponse,
  FleetQuery,
  MetricsQuery,
} from './DeliveryApi';

/** Calls the Delivery backend with the user's Backstage credentials. @public */
export class DeliveryClient implements DeliveryApi {
  private readonly discoveryApi: DiscoveryApi;
  private readonly fetchApi: FetchApi;

  constructor(options: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    this.discoveryApi = options.discoveryApi;
    this.fetchApi = options.fetchApi;
  }

  async getAnnotations(
    entity: CompoundEntityRef,
  ): Promise<EntityAnnotationsResponse> {
    return this.request(`${entityPath(entity)}/annotations`);
  }

  async getOverview(entity: CompoundEntityRef): Promise<DeliveryOverview> {
    return this.request(`${entityPath(entity)}/overview`);
  }

  async getMetrics(
    entity: CompoundEntityRef,
    query: MetricsQuery,
  ): Promise<MetricsResponse> {
    return this.request(
      `${entityPath(entity)}/metrics${queryString({
        environment: query.environment,
        range: query.rangeSeconds,
      })}`,
    );
  }

  async getVulnerabilities(
    entity: CompoundEntityRef,
    query: { environment: string },
  ): Promise<VulnerabilitiesResponse> {
    return this.request(
      `${entityPath(entity)}/vulnerabilities${queryString(query)}`,
    );
  }

  async getPolicy(
    entity: CompoundEntityRef,
    query: { environment: string },
  ): Promise<PolicyResponse> {
    return this.request(`${entityPath(entity)}/policy${queryString(query)}`);
  }

  async postAction(
    entity: CompoundEntityRef,
    request: RolloutActionRequest,
  ): Promise<RolloutActionResponse> {
    return this.request(`${entityPath(entity)}/actions`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(request),
    });
  }

  async getAudit(
    entity: CompoundEntityRef,
    query: AuditQuery = {},
  ): Promise<AuditPage> {
    return this.request(
      `${entityPath(entity)}/audit${queryString({
        cursor: query.cursor,
        limit: query.limit,
      })}`,
    );
  }

  async getFleet(query: FleetQuery = {}): Promise<FleetResponse> {
    return this.request(`fleet${queryString({ ...query })}`);
  }

  async getChoices(): Promise<DeliveryChoices> {
    return this.request('choices');
  }

  private async request<T>(path: string, init?: RequestInit): Promise<T> {
    const baseUrl = await this.discoveryApi.getBaseUrl('delivery');
    const response = await this.fetchApi.fetch(`${baseUrl}/v1/${path}`, init);
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return (await response.json()) as T;
  }
}

function entityPath(entity: CompoundEntityRef): string {
  return ['entities', entity.namespace, entity.kind, entity.name]
    .map(encodeURIComponent)
    .join('/');
}

function queryString(
  params: Record<string, string | number | undefined>,
): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== '') search.set(key, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}
