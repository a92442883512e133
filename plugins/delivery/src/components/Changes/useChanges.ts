import { getCompoundEntityRef, type Entity } from '@backstage/catalog-model';
import { useApi } from '@backstage/core-plugin-api';
import type { ChangesResponse } from '@gitops-delivery/backstage-plugin-delivery-common';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { deliveryApiRef } from '../../api';
import type { FetchState } from '../../hooks';

/**
 * What `to` gets if it takes `from`'s revision (GET .../changes); nothing
 * is asked while either side is missing.
 */
export function useChanges(
  entity: Entity,
  from: string | undefined,
  to: string | undefined,
): FetchState<ChangesResponse> {
  const api = useApi(deliveryApiRef);
  return useAsyncRetry(async () => {
    if (!from || !to) return undefined;
    return api.getChanges(getCompoundEntityRef(entity), { from, to });
  }, [api, entity, from, to]);
}
