import { createHash } from 'node:crypto';
import type { LoggerService } from '@backstage/backend-plugin-api';
import type {
  AuditRecord,
  MetricsResponse,
  RolloutMetricsView,
  RolloutView,
  SeriesPoint,
  SloMetricView,
  SloSideView,
  SourceStatus,
} from '@gitops-delivery/backstage-plugin-delivery-common';
import type { SignalCache } from '../signals/SignalCache';
import {
  createPrometheusClient,
  type PrometheusClient,
  type PrometheusInstanceConfig,
} from './PrometheusClient';
import {
  prometheusInstanceFor,
  type PrometheusConfig,
} from './prometheusConfig';
import { fillPromqlTemplate } from './promqlTemplate';
import { queryWindow, type QueryWindow } from './queryWindow';
import { finiteOrNull } from './sampleValue';
import type { SloDefinition } from './sloDefinitions';
import { sloStatus, worstSlo, type WorstSlo } from './sloStatus';
import {
  deriveStepChanges,
  type StepAction,
  type StepFacts,
} from './stepChanges';

/**
 * What the metrics service needs to know of a rollout; the step facts,
 * when given, mark the charts' step changes.
 * @public
 */
export type RolloutTarget = Pick<
  RolloutView,
  | 'instance'
  | 'application'
  | 'namespace'
  | 'name'
  | 'canaryPodHash'
  | 'stablePodHash'
> &
  StepFacts;

/** A recorded action on one rollout, for its step changes. @public */
export type RolloutStepAction = StepAction &
  Pick<AuditRecord, 'rollout'> &
  Partial<Pick<AuditRecord, 'instance'>>;

/** Input of MetricsService.getMetrics. @public */
export interface MetricsRequest {
  entityRef: string;
  environment: string;
  /** The entity's `prometheus.io/service-name`; the rollout name otherwise. */
  serviceName?: string;
  rollouts: RolloutTarget[];
  rangeSeconds: number;
  /** The environment's recorded actions (audit trail) within the range. */
  actions?: ReadonlyArray<RolloutStepAction>;
}

/** SLO series and current values of rollouts, canary vs stable. @public */
export interface MetricsService {
  getMetrics(request: MetricsRequest): Promise<MetricsResponse>;
  /** The canary's worst SLO of an environment, from instant queries only. */
  summarize(
    request: Omit<MetricsRequest, 'rangeSeconds' | 'entityRef'>,
  ): Promise<{ slo: WorstSlo; sources: SourceStatus[] }>;
}

const CACHE_TTL_MS = 15_000;

/** Creates the MetricsService over the configured Prometheus instances. @public */
export function createMetricsService(options: {
  config: PrometheusConfig;
  cache: SignalCache;
  logger: LoggerService;
  /**
   * The live-state TTL (delivery.cache.ttlSeconds): when longer than 15 s,
   * SLO reads are kept that long and query windows end on its multiples,
   * so that every view within one TTL shares them.
   */
  liveTtlMs?: number;
  now?: () => number;
  fetch?: typeof fetch;
}): MetricsService {
  const { config, cache, logger } = options;
  const ttlMs = Math.max(CACHE_TTL_MS, options.liveTtlMs ?? 0);
  const now = options.now ?? Date.now;
  // Query windows end on multiples of the TTL, so views within one share them.
  const windowNow =
    ttlMs > CACHE_TTL_MS ? () => Math.floor(now() / ttlMs) * ttlMs : now;
  const clients = new Map<string, PrometheusClient>(
    config.instances.map(i => [
      i.name,
      createPrometheusClient(i, { fetch: options.fetch }),
    ]),
  );

  type Side = Omit<SloSideView, 'podTemplateHash'>;

  async function readSide(
    instance: PrometheusInstanceConfig,
    query: string,
    window: QueryWindow,
    withSeries: boolean,
  ): Promise<Side> {
    const client = clients.get(instance.name)!;
    const digest = createHash('sha256').update(query).digest('hex');
    const key = `prometheus:${instance.name}:${digest}:${window.end}:${
      withSeries ? `${window.start}:${window.stepSeconds}` : 'instant'
    }`;
    return cache.getOrLoad(key, ttlMs, async () => {
      const [instant, range] = await Promise.all([
        client.query(query, window.end),
        withSeries
          ? client.queryRange(
              query,
              window.start,
              window.end,
              window.stepSeconds,
            )
          : Promise.resolve([]),
      ]);
      const series: SeriesPoint[] = (range[0]?.points ?? []).map(p => ({
        t: p.t,
        value: finiteOrNull(p.value),
      }));
      const side: Side = {
        current: finiteOrNull(instant.samples[0]?.value),
        series,
      };
      if (instant.samples.length === 0) {
        side.message = 'No data: the query returned an empty result';
      } else if (side.current === null) {
        side.message = `No finite value: Prometheus returned ${String(
          instant.samples[0].value,
        )}`;
      } else if (instant.samples.length > 1) {
        side.message = `The query returned ${instant.samples.length} series; showing the first`;
      }
      return side;
    });
  }

  async function rolloutMetrics(
    request: Omit<MetricsRequest, 'rangeSeconds' | 'entityRef'>,
    rollout: RolloutTarget,
    window: QueryWindow,
    withSeries: boolean,
    sources: Map<string, SourceStatus>,
  ): Promise<RolloutMetricsView> {
    const instance = prometheusInstanceFor(config.instances, rollout.instance);
    const slos = await Promise.all(
      config.slos.map(async (slo): Promise<SloMetricView> => {
        const side = async (
          podTemplateHash: string | undefined,
          label: string,
        ): Promise<SloSideView> => {
          if (!instance) {
            return {
              podTemplateHash,
              current: null,
              series: [],
              message: 'No Prometheus instance is configured',
            };
          }
          if (!podTemplateHash) {
            return {
              podTemplateHash,
              current: null,
              series: [],
              message: `The rollout reports no ${label} pod template hash`,
            };
          }
          try {
            const query = fillPromqlTemplate(slo.query, {
              namespace: rollout.namespace,
              service: request.serviceName ?? rollout.name,
              podTemplateHash,
              environment: request.environment,
            });
            const result = await readSide(instance, query, window, withSeries);
            if (!sources.has(instance.name)) {
              sources.set(instance.name, {
                source: 'prometheus',
                instance: instance.name,
                status: 'ok',
              });
            }
            return { podTemplateHash, ...result };
          } catch (error) {
            const message = (error as Error).message;
            logger.warn(
              `SLO ${slo.name} of rollout ${rollout.namespace}/${rollout.name} (${label}): ${message}`,
            );
            sources.set(instance.name, {
              source: 'prometheus',
              instance: instance.name,
              status: 'error',
              message,
            });
            return { podTemplateHash, current: null, series: [], message };
          }
        };
        const [canary, stable] = await Promise.all([
          side(rollout.canaryPodHash, 'canary'),
          side(rollout.stablePodHash, 'stable'),
        ]);
        return toView(slo, canary, stable);
      }),
    );
    return {
      instance: rollout.instance,
      application: rollout.application,
      namespace: rollout.namespace,
      rollout: rollout.name,
      slos,
      stepChanges: withSeries
        ? deriveStepChanges(
            rollout,
            (request.actions ?? []).filter(
              a =>
                a.rollout === rollout.name &&
                (!a.instance || a.instance === rollout.instance),
            ),
            // up to now: the window's end is aligned down to 15 s
            { start: window.start, end: Math.ceil(now() / 1000) },
          )
        : [],
    };
  }

  function notConfigured(): SourceStatus[] {
    return config.instances.length === 0
      ? [{ source: 'prometheus', status: 'not-configured' }]
      : [];
  }

  return {
    async getMetrics(request) {
      const window = queryWindow(request.rangeSeconds, windowNow());
      const sources = new Map<string, SourceStatus>();
      const rollouts = await Promise.all(
        request.rollouts.map(r =>
          rolloutMetrics(request, r, window, true, sources),
        ),
      );
      return {
        entityRef: request.entityRef,
        environment: request.environment,
        rangeSeconds: window.rangeSeconds,
        stepSeconds: window.stepSeconds,
        start: window.start,
        end: window.end,
        rollouts,
        sources: [...sources.values(), ...notConfigured()],
      };
    },

    async summarize(request) {
      if (config.instances.length === 0 || request.rollouts.length === 0) {
        return { slo: { status: 'unknown' }, sources: notConfigured() };
      }
      const window = queryWindow(300, windowNow());
      const sources = new Map<string, SourceStatus>();
      const rollouts = await Promise.all(
        request.rollouts.map(r =>
          rolloutMetrics(request, r, window, false, sources),
        ),
      );
      const slo = worstSlo(
        rollouts.flatMap(r =>
          r.slos.map(s => ({
            name: s.name,
            value: s.canary.current,
            threshold: s.threshold,
            comparison: s.comparison,
          })),
        ),
      );
      return { slo, sources: [...sources.values()] };
    },
  };
}

function toView(
  slo: SloDefinition,
  canary: SloSideView,
  stable: SloSideView,
): SloMetricView {
  return {
    name: slo.name,
    description: slo.description,
    unit: slo.unit,
    threshold: slo.threshold,
    comparison: slo.comparison,
    canary,
    stable,
    status: sloStatus(canary.current, slo),
  };
}
