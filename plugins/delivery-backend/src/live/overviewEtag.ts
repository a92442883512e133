import { createHash } from 'node:crypto';

/** JSON with object keys sorted, so equal views hash equally on every replica. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) {
    return `[${value.map(v => canonicalJson(v ?? null)).join(',')}]`;
  }
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      // code-unit order, the same under every locale
      .sort(([a], [b]) => Number(a > b) - Number(a < b));
    return `{${entries
      .map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`)
      .join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/**
 * The overview's entity tag: a hash of the view without `generatedAt`, the
 * one part that differs between two computations of an unchanged view.
 * Weak (`W/`), since the bodies of two equal views differ in that time; the
 * same view gives the same tag on every replica.
 */
export function overviewEtag(overview: { generatedAt?: string }): string {
  const { generatedAt: _generatedAt, ...rest } = overview;
  const digest = createHash('sha256')
    .update(canonicalJson(rest))
    .digest('base64url')
    .slice(0, 32);
  return `W/"${digest}"`;
}

/**
 * Whether an `If-None-Match` header names the tag (weak comparison, as
 * RFC 9110 prescribes for If-None-Match; `*` matches any current view).
 */
export function ifNoneMatchHits(
  header: string | undefined,
  etag: string,
): boolean {
  if (!header) return false;
  const opaque = (tag: string) => tag.trim().replace(/^W\//, '');
  const wanted = opaque(etag);
  return header
    .split(',')
    .map(t => t.trim())
    .some(t => t === '*' || opaque(t) === wanted);
}
