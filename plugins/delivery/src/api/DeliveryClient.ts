import type { CompoundEntityRef } from '@backstage/catalog-model';
import type { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import type { DeliveryApi, EntityAnnotationsResponse } from './DeliveryApi';

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
    return this.get(`${entityPath(entity)}/annotations`);
  }

  private async get<T>(path: string): Promise<T> {
    const baseUrl = await this.discoveryApi.getBaseUrl('delivery');
    const response = await this.fetchApi.fetch(`${baseUrl}/v1/${path}`);
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
