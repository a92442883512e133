import type { CanaryStep } from '../world/types';

/** Parses a Go/Rollouts duration ("30s", "10m", "1h", or seconds as a number). */
export function parseDuration(
  value: string | number | undefined,
): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'number') return value * 1000;
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(value.trim());
  if (!m) throw new Error(`invalid duration "${value}"`);
  const n = Number(m[1]);
  const unit = m[2] ?? 's';
  return n * { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[unit]!;
}

/** The metric templates of a service's `<service>-slo` AnalysisTemplate. */
export interface AnalysisMetricTemplate {
  name: string;
  interval: string;
  count: number;
  failureLimit: number;
  successCondition: string;
  query: string;
}

/** The SLO analysis metrics: the two default SLO queries of the product. */
export const SLO_ANALYSIS_METRICS: AnalysisMetricTemplate[] = [
  {
    name: 'error-rate',
    interval: '1m',
    count: 3,
    failureLimit: 0,
    successCondition: 'result[0] < 0.001',
    query:
      'sum(rate(http_requests_total{namespace="{{args.namespace}}",service="{{args.service-name}}",rollouts_pod_template_hash="{{args.canary-hash}}",code=~"5.."}[5m])) / sum(rate(http_requests_total{namespace="{{args.namespace}}",service="{{args.service-name}}",rollouts_pod_template_hash="{{args.canary-hash}}"}[5m]))',
  },
  {
    name: 'latency-p99',
    interval: '1m',
    count: 3,
    failureLimit: 0,
    successCondition: 'result[0] < 0.5',
    query:
      'histogram_quantile(0.99, sum by (le) (rate(http_request_duration_seconds_bucket{namespace="{{args.namespace}}",service="{{args.service-name}}",rollouts_pod_template_hash="{{args.canary-hash}}"}[5m])))',
  },
];

/** The product's canary steps: 5% → pause 10m → analysis → 25% → pause → 100%. */
export function defaultCanarySteps(service: string): CanaryStep[] {
  return [
    { setWeight: 5 },
    { pause: { duration: '10m' } },
    {
      analysis: {
        templates: [{ templateName: `${service}-slo` }],
        args: [
          { name: 'service-name', value: service },
          { name: 'namespace', value: service },
          {
            name: 'canary-hash',
            valueFrom: { podTemplateHashValue: 'Latest' },
          },
        ],
      },
    },
    { setWeight: 25 },
    { pause: {} },
    { setWeight: 100 },
  ];
}

/** Fills `{{args.x}}` placeholders. */
export function fillArgs(query: string, args: Record<string, string>): string {
  return query.replace(/\{\{\s*args\.([a-z0-9-]+)\s*\}\}/g, (_, name) => {
    if (!(name in args)) throw new Error(`args.${name} was not resolved`);
    return args[name];
  });
}

/**
 * Evaluates a success condition of the form `result[0] <op> <number>` like
 * the Rollouts expression evaluator would for a vector result.
 */
export function evaluateCondition(
  condition: string,
  result: number[],
): boolean {
  const m = /^result\[0\]\s*(<=|>=|<|>|==)\s*(-?[\d.eE+-]+)$/.exec(
    condition.trim(),
  );
  if (!m) throw new Error(`unsupported condition "${condition}"`);
  if (result.length === 0) {
    throw new Error('reflect: slice index out of range');
  }
  const v = result[0];
  const x = Number(m[2]);
  switch (m[1]) {
    case '<':
      return v < x;
    case '<=':
      return v <= x;
    case '>':
      return v > x;
    case '>=':
      return v >= x;
    default:
      return v === x;
  }
}

/** Prints a float list the way the Rollouts Prometheus provider stores it. */
export function formatResult(values: number[]): string {
  return `[${values
    .map(v => (Number.isNaN(v) ? 'NaN' : String(v)))
    .join(' ')}]`;
}
