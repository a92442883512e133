import type { Config } from '@backstage/config';
import {
  readArgoCdConfig,
  readConfigDurationMs,
  readDurationKey,
  type ArgoCdConfig,
} from '@gitops-delivery/backstage-plugin-delivery-node';

// Read by the Argo CD client of delivery-node; re-exported for the backend's
// own modules.
export type { ArgoCdInstanceConfig } from '@gitops-delivery/backstage-plugin-delivery-node';

/** The plugin's configuration, read once at start-up. @public */
export interface DeliveryConfig {
  /** Instances (delivery.argocd or the legacy argocd: block) and limits. */
  argocd: ArgoCdConfig;
  /** Time budget of one overview, whatever the upstreams do. */
  overviewTimeoutMs: number;
  /** Environment names in promotion order. */
  environments: string[];
  /** Label of an Argo CD Application that names its environment. */
  environmentLabel: string;
  cache: {
    /** TTL of live upstream state (applications, trees, manifests). */
    liveTtlMs: number;
    /** TTL of git revision metadata (immutable per SHA). */
    revisionMetadataTtlMs: number;
    /** How long a failed upstream read is remembered (not retried). */
    failureTtlMs: number;
    /** How long a 404 of immutable data (revision metadata) is remembered. */
    notFoundTtlMs: number;
  };
}

const DEFAULT_ENVIRONMENTS = ['dev', 'staging', 'production'];

/**
 * Reads `delivery:`. The Argo CD instances come from delivery-node's
 * readArgoCdConfig (with its fallback to the legacy `argocd:` block).
 */
export function readDeliveryConfig(
  config: Config,
  options: Parameters<typeof readArgoCdConfig>[1] = {},
): DeliveryConfig {
  const delivery = config.getOptionalConfig('delivery');
  const environments =
    delivery?.getOptionalStringArray('environments') ?? DEFAULT_ENVIRONMENTS;
  for (const env of environments) {
    if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(env)) {
      throw new Error(
        `delivery.environments: "${env}" is not a valid environment name (lower-case letters, digits and dashes)`,
      );
    }
  }
  const cache = delivery?.getOptionalConfig('cache');
  // each key keeps its older form, a number in the unit its name says
  const ms = (from: Config | undefined, key: string, fallbackMs: number) =>
    readDurationKey(from, key, {
      numberUnit: 'milliseconds',
      fallbackMs,
      prefix: 'delivery',
    });
  const seconds = (key: string, fallbackMs: number, min = 1) =>
    readDurationKey(cache, key, {
      numberUnit: 'seconds',
      fallbackMs,
      min,
      prefix: 'delivery.cache',
    });
  return {
    argocd: readArgoCdConfig(config, options),
    overviewTimeoutMs: ms(delivery, 'overviewTimeoutMs', 15_000),
    environments,
    environmentLabel:
      delivery?.getOptionalString('environmentLabel') ?? 'environment',
    cache: {
      liveTtlMs: seconds('ttlSeconds', 10_000, 0),
      revisionMetadataTtlMs: seconds(
        'revisionMetadataTtlSeconds',
        7 * 24 * 3600_000,
      ),
      failureTtlMs: duration(cache, 'failureTtl', 5_000),
      notFoundTtlMs: duration(cache, 'notFoundTtl', 10 * 60_000),
    },
  };
}

/** `delivery.cache.<key>`: a number of seconds or a Backstage duration. */
function duration(
  config: Config | undefined,
  key: string,
  fallbackMs: number,
): number {
  if (!config) return fallbackMs;
  return (
    readConfigDurationMs(config, key, {
      name: `delivery.cache.${key}`,
      allowSeconds: true,
    }) ?? fallbackMs
  );
}
