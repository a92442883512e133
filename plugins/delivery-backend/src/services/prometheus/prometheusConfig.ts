import type { Config } from '@backstage/config';
import type { PrometheusInstanceConfig } from './PrometheusClient';
import { assertValidTemplate } from './promqlTemplate';
import { DEFAULT_SLOS, type SloDefinition } from './sloDefinitions';

/** `delivery.prometheus` and `delivery.slos`, read once at start-up. @public */
export interface PrometheusConfig {
  instances: PrometheusInstanceConfig[];
  slos: SloDefinition[];
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
  const defaultTimeout =
    prometheus?.getOptionalNumber('timeoutMs') ?? DEFAULT_TIMEOUT_MS;
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
      const timeoutMs = c.getOptionalNumber('timeoutMs') ?? defaultTimeout;
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

  const slosConfig = delivery?.getOptionalConfig('slos');
  const slos = slosConfig
    ? slosConfig.keys().map(name => {
        const c = slosConfig.getConfig(name);
        const query = c.getString('query');
        assertValidTemplate(query, `delivery.slos.${name}.query`);
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
        } satisfies SloDefinition;
      })
    : DEFAULT_SLOS;
  return { instances, slos };
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
