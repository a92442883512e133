/** A configured SLO: a named PromQL template with a threshold. @public */
export interface SloDefinition {
  name: string;
  description?: string;
  /** PromQL with placeholders such as `{{namespace}}`; from config only. */
  query: string;
  threshold: number;
  /** `below`: healthy while value <= threshold; `above`: while value >= threshold. */
  comparison: 'below' | 'above';
  unit?: string;
  /** The metrics provider that answers it; see `delivery.metrics`. */
  provider?: string;
}

/** The SLOs used when `delivery.slos` is not configured. @public */
export const DEFAULT_SLOS: SloDefinition[] = [
  {
    name: 'error-rate',
    description: 'Share of requests answered with a 5xx status',
    query:
      'sum(rate(http_requests_total{namespace="{{namespace}}",service="{{service}}",rollouts_pod_template_hash="{{podTemplateHash}}",code=~"5.."}[5m])) / sum(rate(http_requests_total{namespace="{{namespace}}",service="{{service}}",rollouts_pod_template_hash="{{podTemplateHash}}"}[5m]))',
    threshold: 0.001,
    comparison: 'below',
    unit: 'ratio',
  },
  {
    name: 'latency-p99',
    description: '99th percentile of the request duration',
    query:
      'histogram_quantile(0.99, sum by (le) (rate(http_request_duration_seconds_bucket{namespace="{{namespace}}",service="{{service}}",rollouts_pod_template_hash="{{podTemplateHash}}"}[5m])))',
    threshold: 0.5,
    comparison: 'below',
    unit: 'seconds',
  },
];
