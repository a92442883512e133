import type { Config } from '@backstage/config';
import { readDurationKey } from '@gitops-delivery/backstage-plugin-delivery-node';
import type { PrometheusInstanceConfig } from './PrometheusClient';
import { assertValidTemplate } from './promqlTemplate';
import { DEFAULT_SLOS, type SloDefinition } from './sloDefinitions';

/** `delivery.prometheus` and `delivery.slos`, read once at start-up. @public */
export interface PrometheusConfig {
  instances: PrometheusInstanceConfig[];
  slos: SloDefinition[];
  /** Which metrics provider answers the SLOs (`delivery.metrics`); Prometheus when absent. */
  metrics?: MetricsSelection;
}

/** `delivery.metrics`: the default metrics provider and per Argo CD instance ones. @public */
export interface MetricsSelection {
  /** Id of the default provider; `prometheus` unless configured. */
  provider: string;
  /** Provider id by Argo CD instance name. */
  argocdInstances: Record<string, string>;
}

const DEFAULT_TIMEOUT_MS = 10_000;
const HEADER_NAME = /^[A-Za-z0-9-]+$/;

/**
 * Reads the Prometheus instances and the SLO definitions. Without
 * `delivery.slos`, the two default SLOs (error-rate, latency-p99) apply.
 * Throws on a malformed entry so that a typo fails at start-up.
 */
export function readPrometheusConfig(config: Config): PrometheusConfig {
  const delivery = config.getOptionalConfig('delivery');
  const prometheus = delivery?.getOptionalConfig('prometheus');
  // milliseconds, or a duration (`{ seconds: 5 }`, `5s`)
  const timeoutOf = (from: Config | undefined, fallbackMs: number) =>
    readDurationKey(from, 'timeoutMs', {
      numberUnit: 'milliseconds',
      fallbackMs,
      min: 0,
      prefix: 'delivery.prometheus',
    });
  const defaultTimeout = timeoutOf(prometheus, DEFAULT_TIMEOUT_MS);
  const names = new Set<string>();
  const instances = (prometheus?.getOptionalConfigArray('instances') ?? []).map(
    c => {
      const name = c.getString('name');
      if (names.has(name)) {
        throw new Error(
          `delivery.prometheus.instances: the name "${name}" is used twice`,
        );
      }
      names.add(name);
      const url = c.getString('url').replace(/\/+$/, '');
      if (!/^https?:\/\//.test(url)) {
        throw new Error(
          `delivery.prometheus.instances: the url of "${name}" must start with http:// or https://`,
        );
      }
      const headersConfig = c.getOptionalConfig('headers');
      const headers: Record<string, string> = {};
      for (const key of headersConfig?.keys() ?? []) {
        if (!HEADER_NAME.test(key)) {
          throw new Error(
            `delivery.prometheus.instances: "${name}" has an invalid header name`,
          );
        }
        headers[key] = headersConfig!.getString(key);
      }
      const timeoutMs = timeoutOf(c, defaultTimeout);
      if (!(timeoutMs > 0)) {
        throw new Error(
          `delivery.prometheus.instances: the timeoutMs of "${name}" must be positive`,
        );
      }
      return {
        name,
        url,
        headers,
        timeoutMs,
        argocdInstances: c.getOptionalStringArray('argocdInstances') ?? [],
      };
    },
  );

  const metricsConfig = delivery?.getOptionalConfig('metrics');
  const byInstance = metricsConfig?.getOptionalConfig('argocdInstances');
  const metrics: MetricsSelection = {
    provider: metricsConfig?.getOptionalString('provider') ?? 'prometheus',
    argocdInstances: Object.fromEntries(
      (byInstance?.keys() ?? []).map(k => [k, byInstance!.getString(k)]),
    ),
  };
  const slosConfig = delivery?.getOptionalConfig('slos');
  const slos = slosConfig
    ? slosConfig.keys().map(name => {
        const c = slosConfig.getConfig(name);
        const query = c.getString('query');
        const provider = c.getOptionalString('provider');
        // another provider's query is its own language, checked by it
        if ((provider ?? metrics.provider) === 'prometheus') {
          assertValidTemplate(query, `delivery.slos.${name}.query`);
        }
        const comparison = c.getOptionalString('comparison') ?? 'below';
        if (comparison !== 'below' && comparison !== 'above') {
          throw new Error(
            `delivery.slos.${name}.comparison must be "below" or "above"`,
          );
        }
        return {
          name,
          description: c.getOptionalString('description'),
          query,
          threshold: c.getNumber('threshold'),
          comparison,
          unit: c.getOptionalString('unit'),
          ...(provider ? { provider } : {}),
        } satisfies SloDefinition;
      })
    : DEFAULT_SLOS;
  return { instances, slos, metrics };
}

/** The Prometheus instance that watches rollouts of an Argo CD instance. @public */
export function prometheusInstanceFor(
  instances: PrometheusInstanceConfig[],
  argocdInstance: string,
): PrometheusInstanceConfig | undefined {
  return (
    instances.find(i => i.argocdInstances.includes(argocdInstance)) ??
    instances.find(i => i.argocdInstances.length === 0)
  );
}
