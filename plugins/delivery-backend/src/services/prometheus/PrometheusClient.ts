import type { MetricsService } from '@backstage/backend-plugin-api/alpha';
import {
  callUpstream,
  createSecretRedactor,
  createUpstreamCallMetrics,
  UpstreamTransportError,
  type SecretRedactor,
} from '@gitops-delivery/backstage-plugin-delivery-node';
import { PrometheusError, toPrometheusErrorType } from './PrometheusError';
import { parseSampleValue } from './sampleValue';

/** One configured Prometheus instance. @public */
export interface PrometheusInstanceConfig {
  name: string;
  /** Base URL; the API is under `<url>/api/v1`. */
  url: string;
  /** Extra request headers, e.g. Authorization (secret). */
  headers: Record<string, string>;
  /** Timeout of one call, in milliseconds. */
  timeoutMs: number;
  /** Argo CD instances whose rollouts this Prometheus watches; empty = all. */
  argocdInstances: string[];
}

/** One sample of an instant query; `value` may be NaN or ±Infinity. @public */
export interface PrometheusSample {
  metric: Record<string, string>;
  /** Unix time in seconds. */
  t: number;
  value: number;
}

/** One series of a range query. @public */
export interface PrometheusSeries {
  metric: Record<string, string>;
  points: Array<{ t: number; value: number }>;
}

/** Result of an instant query, scalars normalised to one unlabelled sample. @public */
export interface InstantQueryResult {
  resultType: 'vector' | 'scalar';
  samples: PrometheusSample[];
}

/** Reads from one Prometheus instance over its HTTP API. @public */
export interface PrometheusClient {
  readonly instance: string;
  /** `GET /api/v1/query` at `time` (unix seconds; default now). */
  query(promql: string, time?: number): Promise<InstantQueryResult>;
  /** `GET /api/v1/query_range`; times and step in seconds. */
  queryRange(
    promql: string,
    start: number,
    end: number,
    step: number,
  ): Promise<PrometheusSeries[]>;
}

type ApiBody = {
  status?: unknown;
  errorType?: unknown;
  error?: unknown;
  data?: { resultType?: unknown; result?: unknown };
};

/** Creates a client of one configured Prometheus instance. @public */
export function createPrometheusClient(
  config: PrometheusInstanceConfig,
  options: {
    fetch?: typeof fetch;
    /** Learns the configured header values; redacts every error text. */
    redactor?: SecretRedactor;
    /** Counts and times the calls (`delivery.prometheus.calls`). */
    metrics?: MetricsService;
  } = {},
): PrometheusClient {
  const calls = createUpstreamCallMetrics(options.metrics, 'prometheus');
  const base = config.url.replace(/\/+$/, '');
  const redactor = options.redactor ?? createSecretRedactor();
  for (const [header, value] of Object.entries(config.headers)) {
    redactor.register(value, {
      what: `the ${header} header of Prometheus "${config.name}"`,
    });
  }

  async function call(
    path: string,
    params: Record<string, string>,
  ): Promise<{ resultType: string; result: unknown }> {
    // Prometheus stops evaluating at `timeout`; our own abort is a little
    // later so that its clearer timeout error normally wins.
    const serverTimeout = Math.max(1, Math.floor(config.timeoutMs * 0.9));
    const query = new URLSearchParams({
      ...params,
      timeout: `${serverTimeout}ms`,
    });
    let response;
    try {
      response = await callUpstream({
        what: `Prometheus "${config.name}"`,
        url: `${base}${path}?${query}`,
        headers: { accept: 'application/json', ...config.headers },
        timeoutMs: config.timeoutMs,
        fetch: options.fetch,
        redactor,
        metrics: calls,
        route: `GET ${path}`,
        instance: config.name,
      });
    } catch (error) {
      if (!(error instanceof UpstreamTransportError)) throw error;
      throw new PrometheusError(
        config.name,
        error.kind === 'timeout' ? 'timeout' : 'unavailable',
        error.kind === 'timeout'
          ? `no answer within ${config.timeoutMs} ms`
          : error.detail,
      );
    }
    const text = response.text;
    let body: ApiBody | undefined;
    try {
      body = JSON.parse(text) as ApiBody;
    } catch {
      body = undefined;
    }
    if (!body || typeof body !== 'object') {
      // e.g. 404/405 of an unknown path, or a proxy's HTML error page
      const type = toPrometheusErrorType(undefined, response.status);
      throw new PrometheusError(
        config.name,
        type === 'bad_response' && response.ok ? 'bad_response' : type,
        // redacted before it is cut, so no part of a secret is left
        redactor.redact(text).slice(0, 200).trim(),
        response.status,
      );
    }
    if (body.status !== 'success') {
      throw new PrometheusError(
        config.name,
        toPrometheusErrorType(body.errorType, response.status),
        typeof body.error === 'string' ? redactor.redact(body.error) : '',
        response.status,
      );
    }
    const data = body.data;
    if (!data || typeof data.resultType !== 'string') {
      throw new PrometheusError(
        config.name,
        'bad_response',
        'data.resultType is missing',
        response.status,
      );
    }
    return { resultType: data.resultType, result: data.result };
  }

  return {
    instance: config.name,

    async query(promql, time) {
      const params: Record<string, string> = { query: promql };
      if (time !== undefined) params.time = String(time);
      const { resultType, result } = await call('/api/v1/query', params);
      if (resultType === 'scalar') {
        const [t, value] = asPair(result);
        return {
          resultType,
          samples: t === undefined ? [] : [{ metric: {}, t, value }],
        };
      }
      if (resultType !== 'vector') {
        throw new PrometheusError(
          config.name,
          'bad_response',
          `expected a vector or scalar result, got ${resultType}`,
        );
      }
      const samples = (Array.isArray(result) ? result : []).flatMap(item => {
        const [t, value] = asPair(item?.value);
        return t === undefined
          ? []
          : [{ metric: asLabels(item?.metric), t, value }];
      });
      return { resultType, samples };
    },

    async queryRange(promql, start, end, step) {
      const { resultType, result } = await call('/api/v1/query_range', {
        query: promql,
        start: String(start),
        end: String(end),
        step: String(step),
      });
      if (resultType !== 'matrix') {
        throw new PrometheusError(
          config.name,
          'bad_response',
          `expected a matrix result, got ${resultType}`,
        );
      }
      return (Array.isArray(result) ? result : []).map(item => ({
        metric: asLabels(item?.metric),
        points: (Array.isArray(item?.values) ? item.values : []).flatMap(
          (pair: unknown) => {
            const [t, value] = asPair(pair);
            return t === undefined ? [] : [{ t, value }];
          },
        ),
      }));
    },
  };
}

function asPair(pair: unknown): [number | undefined, number] {
  if (!Array.isArray(pair) || pair.length < 2 || typeof pair[0] !== 'number') {
    return [undefined, Number.NaN];
  }
  return [pair[0], parseSampleValue(pair[1])];
}

function asLabels(metric: unknown): Record<string, string> {
  if (!metric || typeof metric !== 'object') return {};
  return Object.fromEntries(
    Object.entries(metric).filter(([, v]) => typeof v === 'string'),
  ) as Record<string, string>;
}
