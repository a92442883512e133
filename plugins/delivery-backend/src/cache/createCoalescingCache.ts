import type { CacheService } from '@backstage/backend-plugin-api';
import type { MetricsService } from '@backstage/backend-plugin-api/alpha';
import type { JsonValue } from '@backstage/types';

/** Options of one cached load. @public */
export interface CachedLoadOptions {
  /** Time to live of the stored value, in milliseconds; 0 = do not store. */
  ttlMs: number;
  /** Skip the stored value (still coalesced with other fresh loads). */
  fresh?: boolean;
}

/**
 * Loads values through Backstage's CacheService and coalesces concurrent
 * loads of the same key into one call of the loader. Failures are shared by
 * the coalesced callers but never stored.
 *
 * @public
 */
export interface CoalescingCache {
  load<T extends JsonValue>(
    key: string,
    loader: () => Promise<T>,
    options: CachedLoadOptions,
  ): Promise<T>;
  /** Forgets a stored value, e.g. after an action changed the resource. */
  invalidate(key: string): Promise<void>;
}

/**
 * Creates a CoalescingCache over a CacheService; without one it only
 * coalesces concurrent loads. This is the plugin's one cache primitive:
 * the Argo CD client and the signal services (Prometheus, scanners, CI)
 * all load through it. @public
 */
export function createCoalescingCache(
  cache?: CacheService,
  metrics?: MetricsService,
  layer: { memoryTtlMs?: number } = {},
): CoalescingCache {
  const inFlight = new Map<string, Promise<JsonValue>>();
  // A short in-process layer in front of the CacheService: a view reads a
  // few dozen entries, and decoding them from the store (a JSON copy per
  // read) is most of a warm overview's work. Kept briefly (1 s by default)
  // so that a change another replica made is seen as soon as it would be
  // through the store; values are frozen because readers share them.
  const memoryTtlMs = layer.memoryTtlMs ?? 1000;
  const memory = new Map<string, { value: JsonValue; expires: number }>();
  const remember = (key: string, value: JsonValue, ttlMs: number) => {
    if (memoryTtlMs <= 0) return;
    const now = Date.now();
    if (memory.size >= 1000) {
      for (const [k, e] of memory) if (e.expires <= now) memory.delete(k);
    }
    memory.set(key, {
      value: deepFreeze(value),
      expires: now + Math.min(ttlMs, memoryTtlMs),
    });
  };
  const recall = (key: string): JsonValue | undefined => {
    const entry = memory.get(key);
    if (!entry) return undefined;
    if (entry.expires > Date.now()) return entry.value;
    memory.delete(key);
    return undefined;
  };
  const lookups = metrics?.createCounter('delivery.cache.lookups', {
    description:
      'Upstream reads served from the cache, joined to a call in flight, or loaded',
  });
  // The first segment of a key names the upstream, e.g. `argocd:main:...`.
  const count = (key: string, result: string) =>
    lookups?.add(1, { upstream: key.split(':')[0], result });
  return {
    load<T extends JsonValue>(
      key: string,
      loader: () => Promise<T>,
      options: CachedLoadOptions,
    ): Promise<T> {
      // The in-flight map is checked and filled synchronously, before any
      // await, so that callers arriving in the same tick share one load.
      const store = cache !== undefined && options.ttlMs > 0;
      if (store && !options.fresh) {
        const known = recall(key);
        if (known !== undefined) {
          count(key, 'hit');
          return Promise.resolve(known as T);
        }
      }
      const flightKey = options.fresh ? `fresh:${key}` : key;
      const existing = inFlight.get(flightKey);
      if (existing) {
        count(key, 'coalesced');
        return existing as Promise<T>;
      }
      const promise = (async () => {
        if (!options.fresh && store) {
          const hit = await Promise.resolve()
            .then(() => cache?.get<T>(key))
            .catch(() => undefined);
          if (hit !== undefined) {
            count(key, 'hit');
            remember(key, hit, options.ttlMs);
            return hit;
          }
        }
        count(key, 'miss');
        const value = await loader();
        if (store) remember(key, value, options.ttlMs);
        // A cache outage must not fail the call that produced the value.
        if (store) {
          await Promise.resolve()
            .then(() => cache?.set(key, value, { ttl: options.ttlMs }))
            .catch(() => {});
        }
        return value;
      })().finally(() => inFlight.delete(flightKey));
      inFlight.set(flightKey, promise);
      return promise;
    },
    async invalidate(key) {
      memory.delete(key);
      await Promise.resolve()
        .then(() => cache?.delete(key))
        .catch(() => {});
    },
  };
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
