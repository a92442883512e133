import type {
  BackstageCredentials,
  CacheService,
} from '@backstage/backend-plugin-api';
import type { FleetResponse } from '@gitops-delivery/backstage-plugin-delivery-common';
import type { FleetQuery } from './fleetQuery';
import { callerKey } from '../cache/callerKey';

type GetFleet = (
  query: FleetQuery,
  credentials: BackstageCredentials,
) => Promise<FleetResponse>;

/**
 * Keeps each caller's answer to a query for `ttlMs` (the live-state TTL:
 * the Argo CD state under it is that old anyway) when `keep` allows, and
 * gives concurrent identical requests one computation.
 */
export function cachedPerCaller(
  compute: GetFleet,
  cache: CacheService | undefined,
  ttlMs: number,
  /** Whether an answer may be kept (default: every answer). */
  keep: (response: FleetResponse) => boolean = () => true,
): GetFleet {
  const inFlight = new Map<string, Promise<FleetResponse>>();
  return async (query, credentials) => {
    const key = `fleet:v1:${callerKey(credentials)}:${JSON.stringify(query)}`;
    if (cache && ttlMs > 0) {
      const hit = (await cache.get(key)) as FleetResponse | undefined;
      if (hit) return hit;
    }
    const running = inFlight.get(key);
    if (running) return running;
    const promise = compute(query, credentials).then(async response => {
      if (cache && ttlMs > 0 && keep(response)) {
        await cache.set(key, response as any, { ttl: ttlMs });
      }
      return response;
    });
    inFlight.set(key, promise);
    try {
      return await promise;
    } finally {
      inFlight.delete(key);
    }
  };
}
