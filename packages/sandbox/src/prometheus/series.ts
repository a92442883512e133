import { unitNoise } from '../ids';
import type { RolloutState, TrafficPoint } from '../rollouts/types';
import type { MetricProfile, ServiceScenario } from '../world/types';

/** Labels of one series (including `__name__`). */
export type Labels = Record<string, string>;

/** One simulated series at an instant: its per-second rate and counter value. */
export interface SeriesSample {
  labels: Labels;
  /** Per-second increase (what `rate()` returns). */
  rate: number;
  /** Counter value (what a bare selector returns). */
  value: number;
}

/** Histogram bucket bounds of http_request_duration_seconds. */
export const BUCKETS = [
  0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
];

/** Requests a blue-green preview gets from smoke tests, per second. */
const PREVIEW_RPS = 2;

/** Where the counters start, so bare counter values are plausible. */
const COUNTER_ORIGIN_MS = Date.UTC(2026, 0, 1);

/** The traffic state of a Rollout at a simulated instant. */
export function trafficAt(r: RolloutState, t: number): TrafficPoint {
  let point = r.traffic[0];
  for (const p of r.traffic) {
    if (p.at <= t) point = p;
    else break;
  }
  return point;
}

/** A metric profile with its weight-dependent changes applied. */
export function profileAtWeight(
  profile: MetricProfile,
  weight: number,
): MetricProfile {
  let result: MetricProfile = { ...profile };
  for (const change of [...(profile.fromWeight ?? [])].sort(
    (a, b) => a.weight - b.weight,
  )) {
    if (weight >= change.weight) {
      result = {
        ...result,
        errorRatio: change.errorRatio ?? result.errorRatio,
        p99: change.p99 ?? result.p99,
      };
    }
  }
  return result;
}

/**
 * Cumulative fraction of requests at or below each bucket bound, shaped so
 * that Prometheus' histogram_quantile(0.99) interpolates exactly to `p99`.
 */
export function cumulativeFractions(p99: number): number[] {
  const q = Math.min(
    Math.max(p99, BUCKETS[0] * 1.01),
    BUCKETS[BUCKETS.length - 1] * 0.99,
  );
  const j = BUCKETS.findIndex(b => b >= q);
  const lo = BUCKETS[j - 1];
  const hi = BUCKETS[j];
  const r = (q - lo) / (hi - lo);
  // a narrow band around 0.99 inside bucket j, with room below 1 above it
  const d = Math.min(0.02, 0.009 / (1 - r));
  const a = 0.99 - d * r;
  const c = a + d;
  return BUCKETS.map((_, i) => {
    if (i < j) return (a * (i + 1)) / j;
    if (i === j) return c;
    return c + ((1 - c) * (i - j)) / (BUCKETS.length - j);
  });
}

function jitter(seed: string, t: number, spread: number) {
  return 1 + spread * (unitNoise(`${seed}:${Math.floor(t / 30_000)}`) - 0.5);
}

function podSeries(
  base: Labels,
  profile: MetricProfile,
  rps: number,
  t: number,
): SeriesSample[] {
  const seed = base.rollouts_pod_template_hash;
  const total = rps * jitter(`${seed}:rps`, t, 0.04);
  const errorRatio = Math.min(
    1,
    profile.errorRatio * jitter(`${seed}:err`, t, 0.1),
  );
  const p99 = profile.p99 * jitter(`${seed}:p99`, t, 0.06);
  const seconds = (t - COUNTER_ORIGIN_MS) / 1000;
  const out: SeriesSample[] = [];
  const add = (labels: Labels, rate: number) =>
    out.push({ labels, rate, value: Math.max(0, rate * seconds) });
  add(
    { __name__: 'http_requests_total', ...base, code: '200' },
    total * (1 - errorRatio),
  );
  add(
    { __name__: 'http_requests_total', ...base, code: '500' },
    total * errorRatio,
  );
  const fractions = cumulativeFractions(p99);
  BUCKETS.forEach((le, i) =>
    add(
      {
        __name__: 'http_request_duration_seconds_bucket',
        ...base,
        le: String(le),
      },
      total * fractions[i],
    ),
  );
  add(
    { __name__: 'http_request_duration_seconds_bucket', ...base, le: '+Inf' },
    total,
  );
  add({ __name__: 'http_request_duration_seconds_count', ...base }, total);
  add(
    { __name__: 'http_request_duration_seconds_sum', ...base },
    (total * p99) / 4,
  );
  return out;
}

/** Every simulated series of one production Rollout at a simulated instant. */
export function rolloutSeries(
  r: RolloutState,
  scenario: ServiceScenario,
  t: number,
): SeriesSample[] {
  const point = trafficAt(r, t);
  const rps = scenario.metrics.stable.rps;
  const base = { service: r.service, namespace: r.namespace };
  const promoted = point.canaryHash === point.stableHash;
  const canaryLive =
    !promoted && !point.aborted && (point.canaryWeight > 0 || point.preview);
  const canaryWeight = canaryLive && !point.preview ? point.canaryWeight : 0;
  const out = podSeries(
    { ...base, role: 'stable', rollouts_pod_template_hash: point.stableHash },
    // after promotion the stable pods run the release that was the canary
    promoted &&
      r.promotedAt !== undefined &&
      t >= r.promotedAt &&
      r.canaryHash === point.canaryHash
      ? profileAtWeight(scenario.metrics.canary, 100)
      : scenario.metrics.stable,
    (rps * (100 - canaryWeight)) / 100,
    t,
  );
  if (canaryLive) {
    out.push(
      ...podSeries(
        {
          ...base,
          role: 'canary',
          rollouts_pod_template_hash: point.canaryHash,
        },
        profileAtWeight(scenario.metrics.canary, point.canaryWeight),
        point.preview ? PREVIEW_RPS : (rps * canaryWeight) / 100,
        t,
      ),
    );
  }
  return out;
}
