import type { CompoundEntityRef } from '@backstage/catalog-model';
import {
  createApiRef,
  type DiscoveryApi,
  type FetchApi,
} from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import type {
  DoraResponse,
  DoraWindowDays,
} from '@gitops-delivery/backstage-plugin-delivery-common';

/** Query of the DORA route. @public */
export interface DoraQuery {
  windowDays: DoraWindowDays;
  /** Only this environment; default every environment. */
  environment?: string;
}

/** Client of the Delivery backend's DORA route. @public */
export interface DoraApi {
  getDora(entity: CompoundEntityRef, query: DoraQuery): Promise<DoraResponse>;
}

/** API reference of the DORA client. @public */
export const doraApiRef = createApiRef<DoraApi>({
  id: 'plugin.delivery.dora',
});

/** Calls GET /api/delivery/v1/entities/:ref/dora with the user's credentials. @public */
export class DoraClient implements DoraApi {
  private readonly discoveryApi: DiscoveryApi;
  private readonly fetchApi: FetchApi;

  constructor(options: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    this.discoveryApi = options.discoveryApi;
    this.fetchApi = options.fetchApi;
  }

  async getDora(
    entity: CompoundEntityRef,
    query: DoraQuery,
  ): Promise<DoraResponse> {
    const baseUrl = await this.discoveryApi.getBaseUrl('delivery');
    const path = ['entities', entity.namespace, entity.kind, entity.name]
      .map(encodeURIComponent)
      .join('/');
    const search = new URLSearchParams({ window: `${query.windowDays}d` });
    if (query.environment) search.set('environment', query.environment);
    const response = await this.fetchApi.fetch(
      `${baseUrl}/v1/${path}/dora?${search}`,
    );
    if (!response.ok) throw await ResponseError.fromResponse(response);
    return (await response.json()) as DoraResponse;
  }
}
