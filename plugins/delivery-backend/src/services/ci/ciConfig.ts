import type { Config } from '@backstage/config';

/** `delivery.github`; hosts and credentials are in `integrations.github`. @public */
export interface CiConfig {
  enabled: boolean;
  timeoutMs: number;
}

/** Reads `delivery.github`. @public */
export function readCiConfig(config: Config): CiConfig {
  const github = config.getOptionalConfig('delivery.github');
  return {
    enabled: github?.getOptionalBoolean('enabled') ?? true,
    timeoutMs: github?.getOptionalNumber('timeoutMs') ?? 10_000,
  };
}

/** `delivery.gitlab`; hosts and tokens are in `integrations.gitlab`. @public */
export interface GitlabCiConfig {
  enabled: boolean;
  timeoutMs: number;
  /** The `integrations.gitlab` host the entities' annotations refer to. */
  host: string;
}

/** Reads `delivery.gitlab`. @public */
export function readGitlabCiConfig(config: Config): GitlabCiConfig {
  const gitlab = config.getOptionalConfig('delivery.gitlab');
  return {
    enabled: gitlab?.getOptionalBoolean('enabled') ?? true,
    timeoutMs: gitlab?.getOptionalNumber('timeoutMs') ?? 10_000,
    host: gitlab?.getOptionalString('host') ?? 'gitlab.com',
  };
}
