import { createExtensionPoint } from '@backstage/backend-plugin-api';
import type { SeriesPoint } from '@gitops-delivery/backstage-plugin-delivery-common';
import type { RolloutIdentity, RolloutSide } from './entity';

/** A configured SLO (`delivery.slos.<name>`), as a metrics provider reads it. @public */
export interface SloSpec {
  name: string;
  /** The provider's query template, from config only (never from an entity). */
  query: string;
  threshold: number;
  /** `below`: healthy while value <= threshold; `above`: while value >= threshold. */
  comparison: 'below' | 'above';
  unit?: string;
  /** Id of the metrics provider that answers it, when the SLO names one. */
  provider?: string;
}

/** One SLO of one side of a rollout, over a window. @public */
export interface SloQuery {
  slo: SloSpec;
  rollout: RolloutIdentity;
  side: RolloutSide;
  /** Argo Rollouts pod template hash of the side. */
  podTemplateHash: string;
  environment: string;
  /** The entity's `prometheus.io/service-name`; the rollout's name otherwise. */
  service: string;
  /**
   * The provider's instance chosen by `instanceFor`, when the provider has
   * several.
   */
  instance?: string;
  /** Unix seconds; `end` is the time of the current value. */
  window: { start: number; end: number; stepSeconds: number };
  /** Charts want the series over the window; summaries only the current value. */
  withSeries: boolean;
}

/** The answer to one SloQuery. @public */
export interface SloSideValues {
  /** The value at `window.end`; null where there is no finite value. */
  current: number | null;
  /** Points over the window (empty unless `withSeries`). */
  series: SeriesPoint[];
  /** Why `current` is null, or a caveat. */
  message?: string;
}

/**
 * Answers the SLO queries of rollouts. Prometheus is the default; an SLO
 * (`delivery.slos.<name>.provider`) or an Argo CD instance
 * (`delivery.metrics.argocdInstances.<instance>`) can select another.
 *
 * @public
 */
export interface DeliveryMetricsProvider {
  /** Source name in responses, e.g. `datadog`; unique among providers. */
  id: string;
  /** Human name in messages; the id otherwise. */
  title?: string;
  /** False when the provider is registered but has nothing configured. */
  configured?: boolean;
  /**
   * The provider's instance that measures rollouts of an Argo CD instance;
   * undefined when none does. Omit it for a provider with one endpoint.
   */
  instanceFor?(argocdInstance: string): string | undefined;
  /** Answers one SLO for one side; throws when the upstream fails. */
  querySlo(query: SloQuery): Promise<SloSideValues>;
}

/** The interface of {@link deliveryMetricsProvidersExtensionPoint}. @public */
export interface DeliveryMetricsProvidersExtensionPoint {
  addMetricsProvider(provider: DeliveryMetricsProvider): void;
}

/**
 * Adds metrics providers (Datadog, New Relic, Victoria Metrics...) to the
 * Delivery backend. Prometheus is registered through it too.
 *
 * @public
 */
export const deliveryMetricsProvidersExtensionPoint =
  createExtensionPoint<DeliveryMetricsProvidersExtensionPoint>({
    id: 'delivery.metrics-providers',
  });
