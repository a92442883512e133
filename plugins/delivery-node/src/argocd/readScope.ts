import { AsyncLocalStorage } from 'node:async_hooks';

/** One read of a scope: its result and whether it bypassed the cache. */
interface ScopedRead {
  promise: Promise<unknown>;
  fresh: boolean;
}

const storage = new AsyncLocalStorage<Map<string, ScopedRead>>();

/**
 * Runs `fn` in a read scope: within it, the Argo CD client answers a read
 * of a resource it has already read in the same scope from that read, even
 * when the cache stores nothing (TTL 0) or the first read has finished. One
 * overview is one scope, so the parts that read the same tree or manifest
 * (the view, the scanners, the policy) cost one upstream call together.
 * Nested scopes share the outer one.
 *
 * @public
 */
export function runInReadScope<T>(fn: () => Promise<T>): Promise<T> {
  return storage.getStore() ? fn() : storage.run(new Map(), fn);
}

/**
 * Reads `key` through the current scope: reuses the scope's read of it (a
 * fresh read only reuses a fresh one), else starts `load` and remembers it.
 * Outside a scope it just loads.
 */
export function scopedRead<T>(
  key: string,
  fresh: boolean,
  load: () => Promise<T>,
): Promise<T> {
  const scope = storage.getStore();
  if (!scope) return load();
  const existing = scope.get(key);
  if (existing && (existing.fresh || !fresh)) {
    return existing.promise as Promise<T>;
  }
  const promise = load();
  scope.set(key, { promise, fresh });
  return promise;
}

/** Forgets the current scope's read of `key` (after an action changed it). */
export function forgetScopedRead(key: string): void {
  storage.getStore()?.delete(key);
}
