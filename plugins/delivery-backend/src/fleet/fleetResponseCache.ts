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

/** How many answers a replica keeps in process (beside the shared cache). */
const LOCAL_ANSWERS = 200;

/**
 * Keeps each caller's answer to a query for `ttlMs` (the live-state TTL:
 * the Argo CD state under it is that old anyway) when `keep` allows, and
 * gives concurrent identical requests one computation. A kept answer is
 * also held in process until the same expiry, so a warm refresh returns the
 * same object without reading and parsing the shared cache's copy (and the
 * route serves that object's serialized body again: fleetResponseBody).
 */
export function cachedPerCaller(
  compute: GetFleet,
  cache: CacheService | undefined,
  ttlMs: number,
  /** Whether an answer may be kept (default: every answer). */
  keep: (response: FleetResponse) => boolean = () => true,
  now: () => number = Date.now,
): GetFleet {
  const inFlight = new Map<string, Promise<FleetResponse>>();
  const local = new Map<string, { response: FleetResponse; until: number }>();
  const remember = (key: string, response: FleetResponse, until: number) => {
    local.delete(key);
    if (local.size >= LOCAL_ANSWERS) {
      // the oldest entry (a Map iterates in insertion order)
      local.delete(local.keys().next().value!);
    }
    local.set(key, { response, until });
  };
  return async (query, credentials) => {
    const key = `fleet:v1:${callerKey(credentials)}:${JSON.stringify(query)}`;
    if (cache && ttlMs > 0) {
      const held = local.get(key);
      if (held && held.until > now()) return held.response;
      if (held) local.delete(key);
      const hit = (await cache.get(key)) as FleetResponse | undefined;
      if (hit) {
        // another replica's answer: held here no longer than its TTL from
        // when it was computed
        const until = Date.parse(hit.generatedAt) + ttlMs;
        if (until > now()) remember(key, hit, until);
        return hit;
      }
    }
    const running = inFlight.get(key);
    if (running) return running;
    const startedAt = now();
    const promise = compute(query, credentials).then(async response => {
      if (cache && ttlMs > 0 && keep(response)) {
        await cache.set(key, response as any, { ttl: ttlMs });
        remember(key, response, startedAt + ttlMs);
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
