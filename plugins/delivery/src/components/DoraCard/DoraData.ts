import { getCompoundEntityRef, type Entity } from '@backstage/catalog-model';
import { useApi } from '@backstage/core-plugin-api';
import type {
  DoraResponse,
  DoraWindowDays,
} from '@gitops-delivery/backstage-plugin-delivery-common';
import useAsync from 'react-use/esm/useAsync';
import { deliveryApiRef } from '../../api';

/** The entity's DORA figures over the window (every environment). */
export function useDora(entity: Entity, windowDays: DoraWindowDays) {
  const api = useApi(deliveryApiRef);
  const ref = getCompoundEntityRef(entity);
  return useAsync(
    (): Promise<DoraResponse> => api.getDora(ref, { windowDays }),
    [api, ref.kind, ref.namespace, ref.name, windowDays],
  );
}
