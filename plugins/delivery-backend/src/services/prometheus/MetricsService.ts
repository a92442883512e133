import type { MetricsService as UpstreamMetrics } from '@backstage/backend-plugin-api/alpha';
import type { LoggerService } from '@backstage/backend-plugin-api';
import type {
  AuditRecord,
  MetricsResponse,
  RolloutMetricsView,
  RolloutView,
  SloMetricView,
  SloSideView,
  SourceStatus,
} from '@gitops-delivery/backstage-plugin-delivery-common';
import type {
  SecretRedactor,
  DeliveryMetricsProvider,
  RolloutSide,
} from '@gitops-delivery/backstage-plugin-delivery-node';
import { scopedValue } from '@gitops-delivery/backstage-plugin-delivery-node';
import type { SignalCache } from '../signals/SignalCache';
import {
  cachedMetricsProvider,
  metricsProviderSelector,
} from './metricsProviders';
import type { PrometheusConfig } from './prometheusConfig';
import {
  createPrometheusProvider,
  PROMETHEUS_PROVIDER_ID,
} from './prometheusProvider';
import { queryWindow, type QueryWindow } from './queryWindow';
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
  /** The plugin's redactor, handed to every Prometheus client. */
  redactor?: SecretRedactor;
  /** Counts and times the Prometheus calls. */
  upstreamMetrics?: UpstreamMetrics;
  /** Metrics providers modules added (Prometheus is built in). */
  providers?: ReadonlyArray<DeliveryMetricsProvider>;
}): MetricsService {
  const { config, cache, logger } = options;
  const ttlMs = Math.max(CACHE_TTL_MS, options.liveTtlMs ?? 0);
  const now = options.now ?? Date.now;
  // Query windows end on multiples of the TTL, so views within one share them.
  const alignedNow =
    ttlMs > CACHE_TTL_MS ? () => Math.floor(now() / ttlMs) * ttlMs : now;
  // One view (a read scope) reads all its windows at one instant: the SLO
  // queries an overview prefetches, its summary and its policy's gates then
  // share their reads, also when a window boundary passes between them.
  const windowNow = () =>
    scopedValue('delivery:metrics:window-now', alignedNow);
  const selection = config.metrics ?? {
    provider: PROMETHEUS_PROVIDER_ID,
    argocdInstances: {},
  };
  const prometheus = createPrometheusProvider({
    config,
    cache,
    ttlMs,
    fetch: options.fetch,
    redactor: options.redactor,
    upstreamMetrics: options.upstreamMetrics,
  });
  const providerFor = metricsProviderSelector({
    providers: [
      prometheus,
      ...(options.providers ?? []).map(p =>
        cachedMetricsProvider(p, cache, ttlMs),
      ),
    ],
    slos: config.slos,
    selection,
  });

  async function rolloutMetrics(
    request: Omit<MetricsRequest, 'rangeSeconds' | 'entityRef'>,
    rollout: RolloutTarget,
    window: QueryWindow,
    withSeries: boolean,
    sources: Map<string, SourceStatus>,
  ): Promise<RolloutMetricsView> {
    const slos = await Promise.all(
      config.slos.map(async (slo): Promise<SloMetricView> => {
        const provider = providerFor(slo, rollout.instance);
        const instance = provider.instanceFor?.(rollout.instance);
        const sourceKey = `${provider.id}\u0000${instance ?? ''}`;
        const source = (status: SourceStatus['status'], message?: string) =>
          sources.set(sourceKey, {
            source: provider.id,
            ...(instance ? { instance } : {}),
            status,
            ...(message ? { message } : {}),
          });
        const side = async (
          podTemplateHash: string | undefined,
          label: RolloutSide,
        ): Promise<SloSideView> => {
          if (provider.instanceFor && !instance) {
            return {
              podTemplateHash,
              current: null,
              series: [],
              message: `No ${
                provider.title ?? provider.id
              } instance is configured`,
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
            const result = await provider.querySlo({
              slo,
              rollout,
              side: label,
              podTemplateHash,
              environment: request.environment,
              service: request.serviceName ?? rollout.name,
              instance,
              window,
              withSeries,
            });
            if (!sources.has(sourceKey)) source('ok');
            return { podTemplateHash, ...result };
          } catch (error) {
            const message = (error as Error).message;
            logger.warn(
              `SLO ${slo.name} of rollout ${rollout.namespace}/${rollout.name} (${label}): ${message}`,
            );
            source('error', message);
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

  // Prometheus is reported as not configured only while an SLO uses it
  const usesPrometheus = config.slos.some(
    slo =>
      (slo.provider ?? selection.provider) === PROMETHEUS_PROVIDER_ID ||
      Object.values(selection.argocdInstances).includes(PROMETHEUS_PROVIDER_ID),
  );
  const unconfigured = usesPrometheus && !prometheus.configured;

  function notConfigured(): SourceStatus[] {
    return unconfigured
      ? [{ source: PROMETHEUS_PROVIDER_ID, status: 'not-configured' }]
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
      if (
        request.rollouts.length === 0 ||
        (unconfigured && !(options.providers ?? []).length)
      ) {
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
