import type { Config } from '@backstage/config';

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
  argocd: { instances: ArgoCdInstanceConfig[]; timeoutMs: number };
  environments: string[];
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
  return {
    argocd: {
      instances,
      timeoutMs: argocd?.getOptionalNumber('timeoutMs') ?? 10_000,
    },
    environments:
      delivery?.getOptionalStringArray('environments') ?? DEFAULT_ENVIRONMENTS,
  };
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
