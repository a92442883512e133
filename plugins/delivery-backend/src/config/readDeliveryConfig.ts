import { readDurationFromConfig, type Config } from '@backstage/config';
import { durationToMilliseconds } from '@backstage/types';

/** One configured Argo CD instance. @public */
export interface ArgoCdInstanceConfig {
  name: string;
  url: string;
  token?: string;
  username?: string;
  password?: string;
  frontendUrl?: string;
}

/** The plugin's configuration, read once at start-up. @public */
export interface DeliveryConfig {
  argocd: {
    instances: ArgoCdInstanceConfig[];
    /** Timeout of one Argo CD call. */
    timeoutMs: number;
    /** How many of the newest history entries get revision metadata. */
    revisionMetadataCount: number;
  };
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
 * Reads `delivery:`; when `delivery.argocd` is absent, falls back to the
 * `argocd:` block of the Roadie and community Argo CD plugins so existing
 * instances need no new configuration.
 */
export function readDeliveryConfig(config: Config): DeliveryConfig {
  const delivery = config.getOptionalConfig('delivery');
  const argocd = delivery?.getOptionalConfig('argocd');
  const instances = argocd
    ? argocd.getConfigArray('instances').map(c => ({
        name: c.getString('name'),
        url: c.getString('url').replace(/\/+$/, ''),
        token: c.getOptionalString('token'),
        username: c.getOptionalString('username'),
        password: c.getOptionalString('password'),
        frontendUrl: c.getOptionalString('frontendUrl'),
      }))
    : readLegacyArgoCdConfig(config);
  const names = new Set<string>();
  for (const instance of instances) {
    if (names.has(instance.name)) {
      throw new Error(
        `delivery.argocd.instances: the instance name "${instance.name}" is used twice`,
      );
    }
    names.add(instance.name);
    if (!/^https?:\/\//.test(instance.url)) {
      throw new Error(
        `delivery.argocd.instances: the url of "${instance.name}" must start with http:// or https://`,
      );
    }
  }
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
  return {
    argocd: {
      instances,
      timeoutMs: positive(argocd, 'timeoutMs', 10_000),
      revisionMetadataCount: positive(argocd, 'revisionMetadataCount', 5, 0),
    },
    overviewTimeoutMs: positive(delivery, 'overviewTimeoutMs', 15_000),
    environments,
    environmentLabel:
      delivery?.getOptionalString('environmentLabel') ?? 'environment',
    cache: {
      liveTtlMs: positive(cache, 'ttlSeconds', 10, 0) * 1000,
      revisionMetadataTtlMs:
        positive(cache, 'revisionMetadataTtlSeconds', 7 * 24 * 3600) * 1000,
      failureTtlMs: duration(cache, 'failureTtl', 5_000),
      notFoundTtlMs: duration(cache, 'notFoundTtl', 10 * 60_000),
    },
  };
}

function positive(
  config: Config | undefined,
  key: string,
  fallback: number,
  min = 1,
): number {
  const value = config?.getOptionalNumber(key);
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value < min) {
    throw new Error(`delivery: ${key} must be a number >= ${min}`);
  }
  return value;
}

/**
 * A duration in milliseconds: a number of seconds, or a duration as
 * Backstage reads them elsewhere (`{ minutes: 10 }`, `PT10M`, `10m`).
 */
function duration(
  config: Config | undefined,
  key: string,
  fallbackMs: number,
): number {
  if (!config?.has(key)) return fallbackMs;
  const value = config.get(key);
  let ms: number;
  if (typeof value === 'number') {
    ms = value * 1000;
  } else {
    try {
      ms = durationToMilliseconds(readDurationFromConfig(config, { key }));
    } catch (error) {
      throw new Error(
        `delivery.cache.${key} must be a number of seconds or a duration such as { minutes: 10 }, PT10M or 10m: ${
          (error as Error).message
        }`,
      );
    }
  }
  if (!Number.isFinite(ms) || ms < 0) {
    throw new Error(`delivery.cache.${key} must not be negative`);
  }
  return ms;
}

function readLegacyArgoCdConfig(config: Config): ArgoCdInstanceConfig[] {
  const legacy = config.getOptionalConfig('argocd');
  if (!legacy) return [];
  const username = legacy.getOptionalString('username');
  const password = legacy.getOptionalString('password');
  return (legacy.getOptionalConfigArray('appLocatorMethods') ?? []).flatMap(
    method =>
      (method.getOptionalConfigArray('instances') ?? []).map(c => ({
        name: c.getString('name'),
        url: c.getString('url').replace(/\/+$/, ''),
        token: c.getOptionalString('token'),
        username: c.getOptionalString('username') ?? username,
        password: c.getOptionalString('password') ?? password,
      })),
  );
}
