import { createHash } from 'node:crypto';
import type { MetricsService as UpstreamMetrics } from '@backstage/backend-plugin-api/alpha';
import type { SeriesPoint } from '@gitops-delivery/backstage-plugin-delivery-common';
import type {
  SecretRedactor,
  DeliveryMetricsProvider,
  SloSideValues,
} from '@gitops-delivery/backstage-plugin-delivery-node';
import type { SignalCache } from '../signals/SignalCache';
import {
  createPrometheusClient,
  type PrometheusClient,
  type PrometheusSample,
} from './PrometheusClient';
import {
  prometheusInstanceFor,
  type PrometheusConfig,
} from './prometheusConfig';
import { fillPromqlTemplate } from './promqlTemplate';
import { finiteOrNull } from './sampleValue';

/** Id of the built-in, default metrics provider. */
export const PROMETHEUS_PROVIDER_ID = 'prometheus';

/**
 * The built-in metrics provider: the SLO's PromQL template filled for the
 * side, asked of the Prometheus instance that watches the rollout's Argo CD
 * instance; answers are cached (per query and window end) for `ttlMs`.
 */
export function createPrometheusProvider(options: {
  config: PrometheusConfig;
  cache: SignalCache;
  ttlMs: number;
  fetch?: typeof fetch;
  /** The plugin's redactor, handed to every Prometheus client. */
  redactor?: SecretRedactor;
  /** Counts and times the Prometheus calls. */
  upstreamMetrics?: UpstreamMetrics;
}): DeliveryMetricsProvider {
  const { config, cache, ttlMs } = options;
  const clients = new Map<string, PrometheusClient>(
    config.instances.map(i => [
      i.name,
      createPrometheusClient(i, {
        fetch: options.fetch,
        redactor: options.redactor,
        metrics: options.upstreamMetrics,
      }),
    ]),
  );

  return {
    id: PROMETHEUS_PROVIDER_ID,
    title: 'Prometheus',
    configured: config.instances.length > 0,
    instanceFor: argocdInstance =>
      prometheusInstanceFor(config.instances, argocdInstance)?.name,
    async querySlo({
      slo,
      rollout,
      podTemplateHash,
      environment,
      service,
      instance,
      window,
      withSeries,
    }) {
      const client = clients.get(instance ?? '');
      if (!client) throw new Error(`No Prometheus instance "${instance}"`);
      const query = fillPromqlTemplate(slo.query, {
        namespace: rollout.namespace,
        service,
        podTemplateHash,
        environment,
      });
      const digest = createHash('sha256').update(query).digest('hex');
      const base = `prometheus:${instance}:${digest}:${window.end}`;
      // The current value is one instant query per window end, whether a
      // view asks for it alone (the overview) or with its series (the
      // metrics route): both share that read instead of making it twice.
      const instantRead = () =>
        cache.getOrLoad(`${base}:instant`, ttlMs, async () => {
          const instant = await client.query(query, window.end);
          return instantSide(instant.samples);
        });
      if (!withSeries) return instantRead();
      return cache.getOrLoad(
        `${base}:${window.start}:${window.stepSeconds}`,
        ttlMs,
        async () => {
          const [side, range] = await Promise.all([
            instantRead(),
            client.queryRange(
              query,
              window.start,
              window.end,
              window.stepSeconds,
            ),
          ]);
          const series: SeriesPoint[] = (range[0]?.points ?? []).map(p => ({
            t: p.t,
            value: finiteOrNull(p.value),
          }));
          return { ...side, series };
        },
      );
    },
  };
}

/** The side's current value of an instant query's samples, with a note. */
function instantSide(samples: PrometheusSample[]): SloSideValues {
  const side: SloSideValues = {
    current: finiteOrNull(samples[0]?.value),
    series: [],
  };
  if (samples.length === 0) {
    side.message = 'No data: the query returned an empty result';
  } else if (side.current === null) {
    side.message = `No finite value: Prometheus returned ${String(
      samples[0].value,
    )}`;
  } else if (samples.length > 1) {
    side.message = `The query returned ${samples.length} series; showing the first`;
  }
  return side;
}
