import type { CacheService } from '@backstage/backend-plugin-api';

/**
 * A minimal in-memory CacheService for unit tests (TTL in ms).
 *
 * @public
 */
export function memoryCache(): CacheService {
  const store = new Map<string, { value: any; expires: number }>();
  const cache: CacheService = {
    async get(key) {
      const entry = store.get(key);
      if (!entry || entry.expires < Date.now()) return undefined;
      return entry.value;
    },
    async set(key, value, options) {
      const ttl = typeof options?.ttl === 'number' ? options.ttl : 60_000;
      store.set(key, { value, expires: Date.now() + ttl });
    },
    async delete(key) {
      store.delete(key);
    },
    withOptions: () => cache,
  };
  return cache;
}
