/**
 * Compares the shape of a value with a recorded fixture: same JSON types and
 * only keys the fixture has (for arrays, each element against the fixture's
 * elements merged). Objects whose keys are data (label sets) are compared by
 * value type only. Returns the differences; empty when the shapes agree.
 */
export function shapeDiff(
  actual: unknown,
  fixture: unknown,
  path = '$',
  dataKeys = new Set(['metric', 'labels', 'annotations']),
): string[] {
  const type = (v: unknown) => {
    if (v === null) return 'null';
    return Array.isArray(v) ? 'array' : typeof v;
  };
  if (type(actual) !== type(fixture)) {
    return [`${path}: ${type(actual)} where the fixture has ${type(fixture)}`];
  }
  if (Array.isArray(actual) && Array.isArray(fixture)) {
    if (fixture.length === 0) return [];
    if (fixture.every(f => f && typeof f === 'object' && !Array.isArray(f))) {
      const merged = Object.assign({}, ...fixture);
      return actual.flatMap((a, i) =>
        shapeDiff(a, merged, `${path}[${i}]`, dataKeys),
      );
    }
    // tuples such as [timestamp, "value"]: element-wise
    return actual.flatMap((a, i) =>
      shapeDiff(
        a,
        fixture[Math.min(i, fixture.length - 1)],
        `${path}[${i}]`,
        dataKeys,
      ),
    );
  }
  if (actual && typeof actual === 'object') {
    const a = actual as Record<string, unknown>;
    const f = fixture as Record<string, unknown>;
    const key = path.split('.').pop() ?? '';
    if (dataKeys.has(key)) {
      return Object.entries(a).flatMap(([k, v]) =>
        typeof v === 'string'
          ? []
          : [`${path}.${k}: label value is not a string`],
      );
    }
    return Object.keys(a).flatMap(k =>
      k in f
        ? shapeDiff(a[k], f[k], `${path}.${k}`, dataKeys)
        : [`${path}.${k}: key not in the fixture`],
    );
  }
  return [];
}
