import { getCompoundEntityRef, type Entity } from '@backstage/catalog-model';
import { useApi } from '@backstage/core-plugin-api';
import type {
  AuditPage,
  MetricsResponse,
  PolicyResponse,
  VulnerabilitiesResponse,
} from '@gitops-delivery/backstage-plugin-delivery-common';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { deliveryApiRef } from '../api';

/** Result of a one-shot fetch that can be retried. */
export interface FetchState<T> {
  value?: T;
  error?: Error;
  loading: boolean;
  retry: () => void;
}

/**
 * The SLO series of an environment; `refreshKey` (the overview's
 * generatedAt) refetches them whenever the overview refreshes.
 */
export function useMetrics(
  entity: Entity,
  environment: string | undefined,
  refreshKey?: string,
  rangeSeconds?: number,
): FetchState<MetricsResponse> {
  const api = useApi(deliveryApiRef);
  return useAsyncRetry(async () => {
    if (!environment) return undefined;
    return api.getMetrics(getCompoundEntityRef(entity), {
      environment,
      rangeSeconds,
    });
  }, [api, entity, environment, refreshKey, rangeSeconds]);
}

/** The vulnerabilities of an environment's images. */
export function useVulnerabilities(
  entity: Entity,
  environment: string | undefined,
  refreshKey?: string,
): FetchState<VulnerabilitiesResponse> {
  const api = useApi(deliveryApiRef);
  return useAsyncRetry(async () => {
    if (!environment) return undefined;
    return api.getVulnerabilities(getCompoundEntityRef(entity), {
      environment,
    });
  }, [api, entity, environment, refreshKey]);
}

/** The promotion policy evaluation of an environment. */
export function usePolicy(
  entity: Entity,
  environment: string | undefined,
  refreshKey?: string,
): FetchState<PolicyResponse> {
  const api = useApi(deliveryApiRef);
  return useAsyncRetry(async () => {
    if (!environment) return undefined;
    return api.getPolicy(getCompoundEntityRef(entity), { environment });
  }, [api, entity, environment, refreshKey]);
}

/** One page of the entity's audit trail. */
export function useAudit(
  entity: Entity,
  cursor?: string,
  refreshKey?: string,
): FetchState<AuditPage> {
  const api = useApi(deliveryApiRef);
  return useAsyncRetry(
    async () => api.getAudit(getCompoundEntityRef(entity), { cursor }),
    [api, entity, cursor, refreshKey],
  );
}
