/** Hashes of the series in the backfill fixture. @public */
export const FIXTURE_STABLE_HASH = '6b566f47b7';
/** The fixture's canary: about 8% 5xx, breaching the error-rate SLO. @public */
export const FIXTURE_CANARY_HASH = '7d5979db69';
/** A canary derived from the fixture's one that keeps both SLOs. @public */
export const HEALTHY_CANARY_HASH = '5c4b8f9d77';

const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)\{([^}]*)\} (\S+) (\d+(?:\.\d+)?)$/;

/**
 * Rewrites the OpenMetrics backfill fixture for promtool:
 * - every timestamp is shifted so that the newest sample lies `lagSeconds`
 *   before `nowSeconds` (promtool wants seconds; the fixture's are absolute);
 * - a healthy canary is added under HEALTHY_CANARY_HASH, copied from the
 *   breaching one with 1% of its 5xx responses and every request faster
 *   than the 0.25 s bucket;
 * - the text ends with `# EOF`, without which promtool refuses the file.
 */
export function prepareBackfill(
  fixture: string,
  nowSeconds: number,
  lagSeconds = 20,
): string {
  const lines = fixture.split('\n').filter(l => l.trim() !== '');
  const timestamps = lines
    .map(l => SAMPLE.exec(l))
    .filter((m): m is RegExpExecArray => !!m)
    .map(m => Number(m[4]));
  if (timestamps.length === 0) {
    throw new Error('The backfill fixture has no samples with timestamps');
  }
  const shift = Math.floor(nowSeconds - lagSeconds - Math.max(...timestamps));
  const out: string[] = [];
  const healthy: string[] = [];
  // +Inf bucket count of the healthy canary per timestamp, so that its
  // 0.25 s bucket can be set to the same value (all requests fast).
  const infCount = new Map<number, string>();
  for (const line of lines) {
    if (line === '# EOF') continue;
    const m = SAMPLE.exec(line);
    if (!m) {
      out.push(line);
      continue;
    }
    const [, name, labels, value, ts] = m;
    const t = Number(ts) + shift;
    out.push(`${name}{${labels}} ${value} ${t}`);
    if (
      !labels.includes(`rollouts_pod_template_hash="${FIXTURE_CANARY_HASH}"`)
    ) {
      continue;
    }
    const healthyLabels = labels.replace(
      FIXTURE_CANARY_HASH,
      HEALTHY_CANARY_HASH,
    );
    let healthyValue = value;
    if (name === 'http_requests_total' && /code="5\d\d"/.test(labels)) {
      healthyValue = (Number(value) * 0.01).toFixed(3);
    }
    if (
      name === 'http_request_duration_seconds_bucket' &&
      labels.includes('le="+Inf"')
    ) {
      infCount.set(t, value);
    }
    healthy.push(`${name}{${healthyLabels}} ${healthyValue} ${t}`);
  }
  const healthyFast = healthy.map(line => {
    const m = SAMPLE.exec(line)!;
    if (
      m[1] === 'http_request_duration_seconds_bucket' &&
      m[2].includes('le="0.25"')
    ) {
      return `${m[1]}{${m[2]}} ${infCount.get(Number(m[4])) ?? m[3]} ${m[4]}`;
    }
    if (m[1] === 'http_request_duration_seconds_sum') {
      // consistent with every request taking 0.1 s
      const count = infCount.get(Number(m[4]));
      return count
        ? `${m[1]}{${m[2]}} ${(Number(count) * 0.1).toFixed(3)} ${m[4]}`
        : line;
    }
    return line;
  });
  return insertIntoFamilies(out, healthyFast).concat('# EOF', '').join('\n');
}

// OpenMetrics wants all samples of a metric family together, after its
// # TYPE line: put each healthy sample right after its family's last sample.
function insertIntoFamilies(base: string[], extra: string[]): string[] {
  const family = (line: string) =>
    (SAMPLE.exec(line)?.[1] ?? '').replace(/_(bucket|count|sum|total)$/, '');
  const result = [...base];
  for (const line of extra) {
    const f = family(line);
    let index = -1;
    result.forEach((l, i) => {
      if (family(l) === f) index = i;
    });
    result.splice(index + 1, 0, line);
  }
  return result;
}
