import type { CacheService } from '@backstage/backend-plugin-api';
import type { MetricsService } from '@backstage/backend-plugin-api/alpha';
import type { JsonValue } from '@backstage/types';

/** Options of one cached load. @public */
export interface CachedLoadOptions {
  /** Time to live of the stored value, in milliseconds; 0 = do not store. */
  ttlMs: number;
  /** Skip the stored value (still coalesced with other fresh loads). */
  fresh?: boolean;
  /**
   * The value never changes once it exists (revision metadata of a SHA):
   * a 404 of it is remembered for the longer `notFoundTtlMs`.
   */
  immutable?: boolean;
}

/** How long the in-process layer keeps values and failures. @public */
export interface CoalescingCacheLayer {
  /** In-process copy of stored values, in milliseconds. Default 1000. */
  memoryTtlMs?: number;
  /**
   * How long a failed load is remembered (and answered again without a
   * call), in milliseconds; never longer than the load's own TTL. Default
   * 0: failures are not remembered.
   */
  failureTtlMs?: number;
  /** How long a 404 of an `immutable` load is remembered. Default `failureTtlMs`. */
  notFoundTtlMs?: number;
}

/**
 * Loads values through Backstage's CacheService and coalesces concurrent
 * loads of the same key into one call of the loader. Failures are shared by
 * the coalesced callers and, when the layer says so, remembered in process
 * for a short while (a 404 of immutable data longer), so that a failing
 * read is not requested again on every view.
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
  layer: CoalescingCacheLayer = {},
): CoalescingCache {
  const inFlight = new Map<string, Promise<JsonValue>>();
  const failures = createFailureMemory(layer);
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
      'Upstream reads served from the cache, joined to a call in flight, loaded, or refused as a recently failed read',
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
      if (!options.fresh) {
        const failed = failures.recall(key);
        if (failed) {
          count(key, 'failure-remembered');
          return Promise.reject(failed.error);
        }
      }
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
        let value: T;
        try {
          value = await loader();
        } catch (error) {
          failures.remember(key, error, options);
          throw error;
        }
        failures.forget(key);
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
      failures.forget(key);
      await Promise.resolve()
        .then(() => cache?.delete(key))
        .catch(() => {});
    },
  };
}

/**
 * Failed loads by key, per process (the error object itself is kept, so a
 * remembered failure is thrown again exactly as it was).
 */
function createFailureMemory(layer: CoalescingCacheLayer) {
  const failureTtlMs = layer.failureTtlMs ?? 0;
  const notFoundTtlMs = layer.notFoundTtlMs ?? failureTtlMs;
  const failed = new Map<string, { error: unknown; expires: number }>();
  return {
    remember(key: string, error: unknown, options: CachedLoadOptions) {
      const ttl = Math.min(
        options.immutable && isNotFound(error) ? notFoundTtlMs : failureTtlMs,
        options.ttlMs,
      );
      if (ttl <= 0) return;
      const now = Date.now();
      if (failed.size >= 1000) {
        for (const [k, e] of failed) if (e.expires <= now) failed.delete(k);
      }
      failed.set(key, { error, expires: now + ttl });
    },
    recall(key: string): { error: unknown } | undefined {
      const entry = failed.get(key);
      if (!entry) return undefined;
      if (entry.expires > Date.now()) return entry;
      failed.delete(key);
      return undefined;
    },
    forget(key: string) {
      failed.delete(key);
    },
  };
}

/** An upstream's "not found": an error carrying HTTP status 404. */
function isNotFound(error: unknown): boolean {
  return (
    typeof error === 'object' &&
    error !== null &&
    (error as { status?: unknown }).status === 404
  );
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
