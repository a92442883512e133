import type { CacheService } from '@backstage/backend-plugin-api';
import type { JsonValue } from '@backstage/types';
import {
  createCoalescingCache,
  type CoalescingCache,
  type CoalescingCacheLayer,
} from '@gitops-delivery/backstage-plugin-delivery-node';

/** Caches upstream reads and coalesces identical concurrent ones. @public */
export interface SignalCache {
  /**
   * Returns the cached value of `key`, else loads it once, however many
   * callers ask at the same time. Failures are remembered only as briefly
   * as the cache's layer says (see CoalescingCacheLayer). `T` must be
   * plain JSON data (no NaN, Infinity, Date or undefined values that matter).
   */
  getOrLoad<T>(key: string, ttlMs: number, load: () => Promise<T>): Promise<T>;
}

function isCoalescingCache(
  cache: CacheService | CoalescingCache,
): cache is CoalescingCache {
  return 'load' in cache && typeof cache.load === 'function';
}

/**
 * The signal services' view of the plugin's one cache primitive,
 * {@link createCoalescingCache}: on Backstage's CacheService (memory,
 * Redis, ...), or only coalescing without one. The in-flight map is per
 * process: another replica may load the same key once more, which the
 * short TTLs tolerate.
 */
export function createSignalCache(
  cache?: CacheService | CoalescingCache,
  layer?: CoalescingCacheLayer,
): SignalCache {
  const coalescing =
    cache && isCoalescingCache(cache)
      ? cache
      : createCoalescingCache(cache, undefined, layer);
  return {
    getOrLoad<T>(key: string, ttlMs: number, load: () => Promise<T>) {
      return coalescing.load(key, load as () => Promise<JsonValue>, {
        ttlMs,
      }) as Promise<T>;
    },
  };
}
