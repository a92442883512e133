/**
 * Secrets' values never leave the backend: every object a diff is built
 * from passes here first. A Secret's `data` and `stringData` values become
 * markers (a value that differs between the two sides gets a marker per
 * side, so the diff still shows which key changed but not to what), and
 * the last-applied annotation, which holds a copy of the whole object, is
 * replaced on every kind.
 */

/** The annotation kubectl and Argo CD write with the last applied object. */
export const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

/** The marker of a redacted value. */
export const REDACTED = '[redacted]';

type Obj = Record<string, unknown>;

const isObject = (v: unknown): v is Obj =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

const SECRET_FIELDS = ['data', 'stringData'] as const;

function withoutLastApplied(object: Obj): Obj {
  const metadata = object.metadata;
  if (!isObject(metadata) || !isObject(metadata.annotations)) return object;
  if (!(LAST_APPLIED in metadata.annotations)) return object;
  return {
    ...object,
    metadata: {
      ...metadata,
      annotations: { ...metadata.annotations, [LAST_APPLIED]: REDACTED },
    },
  };
}

const isSecret = (object: Obj | undefined) =>
  object !== undefined &&
  object.kind === 'Secret' &&
  (object.apiVersion === undefined || object.apiVersion === 'v1');

/**
 * Redacts a pair of the same resource (live and desired; either may be
 * absent). Returns new objects; the inputs are not changed.
 */
export function redactPair(
  live: Obj | undefined,
  desired: Obj | undefined,
): { live?: Obj; desired?: Obj } {
  let l = live && withoutLastApplied(live);
  let d = desired && withoutLastApplied(desired);
  if (isSecret(l) || isSecret(d)) {
    for (const field of SECRET_FIELDS) {
      const lv = isObject(l?.[field]) ? (l![field] as Obj) : undefined;
      const dv = isObject(d?.[field]) ? (d![field] as Obj) : undefined;
      const mark = (
        own: Obj | undefined,
        other: Obj | undefined,
        side: string,
      ) =>
        own &&
        Object.fromEntries(
          Object.keys(own).map(key => [
            key,
            other && key in other && other[key] === own[key]
              ? REDACTED
              : `[redacted: ${side} value]`,
          ]),
        );
      if (l && field in l)
        l = { ...l, [field]: mark(lv, dv, 'live') ?? REDACTED };
      if (d && field in d)
        d = { ...d, [field]: mark(dv, lv, 'desired') ?? REDACTED };
    }
  }
  return { ...(l ? { live: l } : {}), ...(d ? { desired: d } : {}) };
}

/** Redacts one object on its own (a rendered manifest). */
export function redactObject(object: Obj): Obj {
  return redactPair(object, undefined).live ?? object;
}
