import { getCompoundEntityRef, type Entity } from '@backstage/catalog-model';
import { configApiRef, useApi } from '@backstage/core-plugin-api';
import type { DeliveryOverview } from '@gitops-delivery/backstage-plugin-delivery-common';
import { deliveryApiRef } from '../api';
import { shouldPollOverview } from '../lib/rollout';
import { usePolling, type PolledState } from './usePolling';

/** Default refresh interval while a rollout progresses. */
export const DEFAULT_POLL_INTERVAL_MS = 15_000;

/**
 * The entity's delivery overview, refreshed on an interval while one of its
 * rollouts is progressing. The interval is the prop, else
 * `delivery.ui.pollIntervalSeconds`, else 15 s.
 */
export function useDeliveryOverview(
  entity: Entity,
  options: { pollIntervalMs?: number } = {},
): PolledState<DeliveryOverview> {
  const api = useApi(deliveryApiRef);
  const configured = useApi(configApiRef).getOptionalNumber(
    'delivery.ui.pollIntervalSeconds',
  );
  const ref = getCompoundEntityRef(entity);
  return usePolling(
    () => api.getOverview(ref),
    {
      intervalMs:
        options.pollIntervalMs ??
        (configured && configured > 0 ? configured * 1000 : undefined) ??
        DEFAULT_POLL_INTERVAL_MS,
      shouldPoll: shouldPollOverview,
    },
    [api, ref.kind, ref.namespace, ref.name],
  );
}
