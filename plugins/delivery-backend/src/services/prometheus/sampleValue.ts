/**
 * Parses a Prometheus sample value. Prometheus sends every sample value as a
 * string, including the special values `NaN`, `+Inf` and `-Inf`.
 */
export function parseSampleValue(value: unknown): number {
  if (typeof value !== 'string') return Number.NaN;
  switch (value) {
    case '+Inf':
    case 'Inf':
      return Number.POSITIVE_INFINITY;
    case '-Inf':
      return Number.NEGATIVE_INFINITY;
    case 'NaN':
      return Number.NaN;
    default: {
      // Number('') is 0, which would turn a malformed sample into a value
      if (value.trim() === '') return Number.NaN;
      const n = Number(value);
      return n;
    }
  }
}

/** A value fit for JSON and display: null for NaN, ±Inf or a missing sample. */
export function finiteOrNull(value: number | undefined): number | null {
  return value !== undefined && Number.isFinite(value) ? value : null;
}
