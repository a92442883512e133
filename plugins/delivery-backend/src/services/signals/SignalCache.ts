import type { CacheService } from '@backstage/backend-plugin-api';
import type { JsonValue } from '@backstage/types';

/** Caches upstream reads and coalesces identical concurrent ones. @public */
export interface SignalCache {
  /**
   * Returns the cached value of `key`, else loads it once, however many
   * callers ask at the same time. Failures are not cached. `T` must be
   * plain JSON data (no NaN, Infinity, Date or undefined values that matter).
   */
  getOrLoad<T>(key: string, ttlMs: number, load: () => Promise<T>): Promise<T>;
}

/**
 * Creates a SignalCache on Backstage's CacheService (memory, Redis, ...);
 * without one it only coalesces. The in-flight map is per process: another
 * replica may load the same key once more, which the short TTLs tolerate.
 */
export function createSignalCache(cache?: CacheService): SignalCache {
  const inFlight = new Map<string, Promise<JsonValue>>();
  return {
    async getOrLoad<T>(
      key: string,
      ttlMs: number,
      load: () => Promise<T>,
    ): Promise<T> {
      const running = inFlight.get(key);
      if (running) return running as Promise<T>;
      const promise = (async () => {
        if (cache) {
          // a broken cache must not break the view: fall through to the load
          const hit = await cache.get(key).catch(() => undefined);
          if (hit !== undefined) return hit as T;
        }
        const value = await load();
        if (cache) {
          await cache
            .set(key, value as unknown as JsonValue, { ttl: ttlMs })
            .catch(() => {});
        }
        return value;
      })();
      inFlight.set(key, promise as Promise<JsonValue>);
      try {
        return await promise;
      } finally {
        inFlight.delete(key);
      }
    },
  };
}
