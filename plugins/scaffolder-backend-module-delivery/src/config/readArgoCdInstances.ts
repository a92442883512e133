import type { Config } from '@backstage/config';

/** One configured Argo CD instance, as the actions need it. @public */
export interface ArgoCdInstance {
  name: string;
  /** Base URL of the Argo CD API server, without a trailing slash. */
  url: string;
  token?: string;
  username?: string;
  password?: string;
  /** Base URL of the Argo CD UI, for links; defaults to `url`. */
  frontendUrl?: string;
}

/** The Argo CD part of `delivery:` that the scaffolder actions read. @public */
export interface ArgoCdSettings {
  instances: ArgoCdInstance[];
  /** Timeout of one Argo CD call, in milliseconds. */
  timeoutMs: number;
}

const DEFAULT_TIMEOUT_MS = 10000;

/**
 * Reads `delivery.argocd` (the same keys the Delivery backend reads), so the
 * actions only ever call configured Argo CD instances.
 */
export function readArgoCdSettings(config: Config): ArgoCdSettings {
  const argocd = config.getOptionalConfig('delivery.argocd');
  const instances = (argocd?.getOptionalConfigArray('instances') ?? []).map(
    c => ({
      name: c.getString('name'),
      url: c.getString('url').replace(/\/+$/, ''),
      token: c.getOptionalString('token'),
      username: c.getOptionalString('username'),
      password: c.getOptionalString('password'),
      frontendUrl: c.getOptionalString('frontendUrl')?.replace(/\/+$/, ''),
    }),
  );
  for (const instance of instances) {
    if (!/^https?:\/\//.test(instance.url)) {
      throw new Error(
        `delivery.argocd.instances: the url of "${instance.name}" must start with http:// or https://`,
      );
    }
  }
  return {
    instances,
    timeoutMs: argocd?.getOptionalNumber('timeoutMs') ?? DEFAULT_TIMEOUT_MS,
  };
}
