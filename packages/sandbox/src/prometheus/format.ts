/** Formats a float like Go's strconv.FormatFloat(v, 'f', -1, 64), as Prometheus does for samples. */
export function formatSampleValue(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  const s = String(v);
  const m = /^(-?)(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(s);
  if (!m) return s;
  const [, sign, int, frac = '', expText] = m;
  const exp = Number(expText);
  const digits = int + frac;
  if (exp < 0) return `${sign}0.${'0'.repeat(-exp - 1)}${digits}`;
  const point = 1 + exp;
  return point >= digits.length
    ? `${sign}${digits}${'0'.repeat(point - digits.length)}`
    : `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
}

/** Formats a float like Go's strconv.FormatFloat(v, 'e', -1, 64) (alert values). */
export function formatAlertValue(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (!Number.isFinite(v)) return v > 0 ? '+Inf' : '-Inf';
  return v.toExponential().replace(/e([+-])(\d)$/, 'e$10$2');
}

/** Parses a Prometheus timestamp parameter (RFC 3339 or Unix seconds) into ms. */
export function parseTimeParam(text: string): number | undefined {
  if (/^-?\d+(\.\d+)?$/.test(text)) return Number(text) * 1000;
  const ms = Date.parse(text);
  return /^\d{4}-\d{2}-\d{2}T/.test(text) && !Number.isNaN(ms) ? ms : undefined;
}

/** Parses a duration parameter (Prometheus duration or float seconds) into ms. */
export function parseDurationParam(
  text: string,
  parse: (t: string) => number | undefined,
): number | undefined {
  if (/^\d+(\.\d+)?$/.test(text)) return Number(text) * 1000;
  return parse(text);
}
