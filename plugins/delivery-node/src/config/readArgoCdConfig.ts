import type { LoggerService } from '@backstage/backend-plugin-api';
import type { Config } from '@backstage/config';
import { readConfigNumber } from './readConfigNumber';
import { readDurationKey } from '../duration';

/** One configured Argo CD instance. @public */
export interface ArgoCdInstanceConfig {
  name: string;
  /** Base URL of the Argo CD API server, without a trailing slash. */
  url: string;
  token?: string;
  username?: string;
  password?: string;
  /** Base URL of the Argo CD UI, for links; defaults to `url`. */
  frontendUrl?: string;
}

/** The Argo CD part of the configuration. @public */
export interface ArgoCdConfig {
  /** The instances, in configuration order; names are unique. */
  instances: ArgoCdInstanceConfig[];
  /** Timeout of one Argo CD call. */
  timeoutMs: number;
  /** How many of the newest history entries get revision metadata. */
  revisionMetadataCount: number;
}

const trimSlash = (url: string) => url.replace(/\/+$/, '');

function readInstance(
  c: Config,
  defaults: { username?: string; password?: string } = {},
): ArgoCdInstanceConfig {
  const frontendUrl = c.getOptionalString('frontendUrl');
  return {
    name: c.getString('name'),
    url: trimSlash(c.getString('url')),
    token: c.getOptionalString('token'),
    username: c.getOptionalString('username') ?? defaults.username,
    password: c.getOptionalString('password') ?? defaults.password,
    ...(frontendUrl ? { frontendUrl: trimSlash(frontendUrl) } : {}),
  };
}

/**
 * The instances of the `argocd:` block of the Roadie and community Argo CD
 * plugins (`argocd.appLocatorMethods[].instances[]`, with the block's
 * username/password as the default credentials).
 */
function readLegacyInstances(config: Config): ArgoCdInstanceConfig[] {
  const legacy = config.getOptionalConfig('argocd');
  if (!legacy) return [];
  const defaults = {
    username: legacy.getOptionalString('username'),
    password: legacy.getOptionalString('password'),
  };
  return (legacy.getOptionalConfigArray('appLocatorMethods') ?? []).flatMap(
    method =>
      (method.getOptionalConfigArray('instances') ?? []).map(c =>
        readInstance(c, defaults),
      ),
  );
}

/** The ignored `argocd:` block's instances, as far as they can be read. */
function ignoredLegacyInstances(config: Config): ArgoCdInstanceConfig[] {
  try {
    return readLegacyInstances(config);
  } catch {
    return [];
  }
}

const listNames = (instances: ArgoCdInstanceConfig[]) =>
  instances.map(i => i.name).join(', ') || 'none';

function logSource(
  logger: Pick<LoggerService, 'info' | 'warn'>,
  read: 'delivery.argocd' | 'argocd',
  instances: ArgoCdInstanceConfig[],
  ignored: ArgoCdInstanceConfig[] | undefined,
) {
  if (read === 'delivery.argocd') {
    logger.info(
      `Delivery reads its Argo CD instances from delivery.argocd: ${listNames(
        instances,
      )}`,
    );
    if (ignored) {
      logger.warn(
        `Delivery ignores the argocd: block (instances: ${listNames(
          ignored,
        )}) because delivery.argocd is configured; instances only argocd: names are not shown. Move them to delivery.argocd.instances, or remove delivery.argocd to use argocd: alone`,
      );
    }
  } else if (instances.length) {
    logger.info(
      `Delivery reads its Argo CD instances from the argocd: block of the Roadie / community Argo CD plugin (delivery.argocd is not configured): ${listNames(
        instances,
      )}`,
    );
  } else {
    logger.warn(
      'Delivery has no Argo CD instance: neither delivery.argocd.instances nor argocd.appLocatorMethods[].instances is configured',
    );
  }
}

/**
 * Reads `delivery.argocd`; when it is absent, falls back to the `argocd:`
 * block of the Roadie and community Argo CD plugins, so an existing
 * installation needs no new configuration. Instance names must be unique
 * and URLs http(s); anything else stops start-up with a message naming the
 * key. With a logger it says which block it read, and warns when both
 * exist (`argocd:` is then ignored).
 *
 * @public
 */
export function readArgoCdConfig(
  config: Config,
  options: {
    /**
     * Told at start-up which block the instances were read from, and warned
     * when both `delivery.argocd` and `argocd:` exist and one is ignored.
     */
    logger?: Pick<LoggerService, 'info' | 'warn'>;
  } = {},
): ArgoCdConfig {
  const argocd = config.getOptionalConfig('delivery.argocd');
  const instances = argocd
    ? argocd.getConfigArray('instances').map(c => readInstance(c))
    : readLegacyInstances(config);
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
  if (options.logger) {
    logSource(
      options.logger,
      argocd ? 'delivery.argocd' : 'argocd',
      instances,
      argocd && config.has('argocd')
        ? ignoredLegacyInstances(config)
        : undefined,
    );
  }
  return {
    instances,
    timeoutMs: readDurationKey(argocd, 'timeoutMs', {
      numberUnit: 'milliseconds',
      fallbackMs: 10_000,
      prefix: 'delivery.argocd',
    }),
    revisionMetadataCount: readConfigNumber(argocd, 'revisionMetadataCount', {
      fallback: 5,
      min: 0,
      prefix: 'delivery.argocd',
    }),
  };
}
