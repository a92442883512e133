import { AsyncLocalStorage } from 'node:async_hooks';

/** One read of a scope: its result and whether it bypassed the cache. */
interface ScopedRead {
  promise: Promise<unknown>;
  fresh: boolean;
}

/** A scope's reads, and the values its first callers computed. */
interface Scope {
  reads: Map<string, ScopedRead>;
  values: Map<string, unknown>;
}

const storage = new AsyncLocalStorage<Scope>();

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
  return storage.getStore()
    ? fn()
    : storage.run({ reads: new Map(), values: new Map() }, fn);
}

/**
 * The value of `key` in the current read scope: the scope's first call
 * computes it, the others get the same value. Outside a scope it just
 * computes. For what one view must see alike in all its parts, such as the
 * instant its time windows end: the SLO queries an overview starts early
 * and the ones its summary and policy make a second later then read the
 * same window, also across a window boundary, and share their queries.
 *
 * @public
 */
export function scopedValue<T>(key: string, compute: () => T): T {
  const values = storage.getStore()?.values;
  if (!values) return compute();
  if (!values.has(key)) values.set(key, compute());
  return values.get(key) as T;
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
  const scope = storage.getStore()?.reads;
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
  storage.getStore()?.reads.delete(key);
}
