/**
 * A field-level diff of two Kubernetes objects: each changed leaf as a
 * path (`spec.template.spec.containers[0].image`) with the value on either
 * side as short YAML-like text. Pure.
 */

/** One field that differs. */
export interface FieldChange {
  path: string;
  /** The value on the `from` side, absent when the field is not set there. */
  before?: string;
  /** The value on the `to` side, absent when the field is not set there. */
  after?: string;
}

type Obj = Record<string, unknown>;

const isObject = (v: unknown): v is Obj =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Fields that are the cluster's bookkeeping, never something Git sets:
 * left out of every diff (Argo CD's own diff ignores them too).
 */
const IGNORED = new Set([
  'status',
  'metadata.managedFields',
  'metadata.resourceVersion',
  'metadata.uid',
  'metadata.generation',
  'metadata.creationTimestamp',
  'metadata.selfLink',
]);

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_-]*$/;

function join(path: string, key: string) {
  const part = IDENTIFIER.test(key) ? key : `"${key.replace(/"/g, '\\"')}"`;
  return path ? `${path}.${part}` : part;
}

/** A value as one line of text: strings bare, the rest as JSON. */
export function showValue(value: unknown): string {
  if (typeof value === 'string') return value;
  return JSON.stringify(value);
}

/** Options of diffObjects. */
export interface DiffOptions {
  /**
   * Compare only what `after` sets (a plain target manifest against the
   * live object, where the live side carries defaults Git never wrote).
   */
  onlyAfterFields?: boolean;
  /** At most this many changes (default 200). */
  limit?: number;
}

/** The changes from `before` to `after`, in document order. */
export function diffObjects(
  before: unknown,
  after: unknown,
  options: DiffOptions = {},
): FieldChange[] {
  const out: FieldChange[] = [];
  const limit = options.limit ?? 200;
  const walk = (a: unknown, b: unknown, path: string) => {
    if (out.length >= limit || IGNORED.has(path)) return;
    if (isObject(a) && isObject(b)) {
      const keys = [...Object.keys(a)];
      for (const k of Object.keys(b)) if (!(k in a)) keys.push(k);
      for (const key of keys) {
        if (out.length >= limit) return;
        if (options.onlyAfterFields && !(key in b)) continue;
        const inA = key in a && a[key] !== undefined;
        const inB = key in b && b[key] !== undefined;
        const child = join(path, key);
        if (IGNORED.has(child)) continue;
        if (inA && inB) walk(a[key], b[key], child);
        else if (inA) out.push({ path: child, before: showValue(a[key]) });
        else if (inB) out.push({ path: child, after: showValue(b[key]) });
      }
      return;
    }
    if (Array.isArray(a) && Array.isArray(b)) {
      const n = Math.max(a.length, b.length);
      for (let i = 0; i < n; i++) {
        const child = `${path}[${i}]`;
        if (i >= a.length) out.push({ path: child, after: showValue(b[i]) });
        else if (i >= b.length)
          out.push({ path: child, before: showValue(a[i]) });
        else walk(a[i], b[i], child);
        if (out.length >= limit) return;
      }
      return;
    }
    if (JSON.stringify(a) !== JSON.stringify(b)) {
      out.push({ path, before: showValue(a), after: showValue(b) });
    }
  };
  walk(before, after, '');
  return out;
}
