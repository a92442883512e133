import { createHash } from 'node:crypto';
import type {
  DeliveryMetricsProvider,
  SloSideValues,
} from '@gitops-delivery/backstage-plugin-delivery-node';
import type { SignalCache } from '../signals/SignalCache';
import type { MetricsSelection } from './prometheusConfig';
import type { SloDefinition } from './sloDefinitions';

/**
 * Picks the provider of an SLO for a rollout: the SLO's own
 * (`delivery.slos.<name>.provider`), else its Argo CD instance's
 * (`delivery.metrics.argocdInstances`), else the default
 * (`delivery.metrics.provider`, Prometheus). A provider no module
 * registered fails start-up with a message naming the key.
 */
export function metricsProviderSelector(options: {
  providers: ReadonlyArray<DeliveryMetricsProvider>;
  slos: ReadonlyArray<SloDefinition>;
  selection: MetricsSelection;
}): (slo: SloDefinition, argocdInstance: string) => DeliveryMetricsProvider {
  const byId = new Map(options.providers.map(p => [p.id, p]));
  const known = [...byId.keys()].join(', ');
  const check = (id: string, key: string) => {
    if (!byId.has(id)) {
      throw new Error(
        `${key}: no metrics provider "${id}" is registered (registered: ${known})`,
      );
    }
  };
  const { selection } = options;
  check(selection.provider, 'delivery.metrics.provider');
  for (const [instance, id] of Object.entries(selection.argocdInstances)) {
    check(id, `delivery.metrics.argocdInstances.${instance}`);
  }
  for (const slo of options.slos) {
    if (slo.provider) check(slo.provider, `delivery.slos.${slo.name}.provider`);
  }
  return (slo, argocdInstance) =>
    byId.get(
      slo.provider ??
        selection.argocdInstances[argocdInstance] ??
        selection.provider,
    )!;
}

/**
 * A provider added by a module, its answers kept like Prometheus's (per
 * query, side and window end) so that views within one TTL share them.
 */
export function cachedMetricsProvider(
  provider: DeliveryMetricsProvider,
  cache: SignalCache,
  ttlMs: number,
): DeliveryMetricsProvider {
  return {
    ...provider,
    querySlo(query) {
      const digest = createHash('sha256')
        .update(
          JSON.stringify([
            query.slo,
            query.rollout,
            query.podTemplateHash,
            query.environment,
            query.service,
            query.instance ?? null,
            query.withSeries,
          ]),
        )
        .digest('hex');
      const window = query.withSeries
        ? `${query.window.start}:${query.window.end}:${query.window.stepSeconds}`
        : `${query.window.end}:instant`;
      return cache.getOrLoad<SloSideValues>(
        `metrics:${provider.id}:${digest}:${window}`,
        ttlMs,
        () => provider.querySlo(query),
      );
    },
  };
}
