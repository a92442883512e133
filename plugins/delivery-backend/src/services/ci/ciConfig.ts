import type { Config } from '@backstage/config';
import { readDurationKey } from '@gitops-delivery/backstage-plugin-delivery-node';

// milliseconds, or a duration (`{ seconds: 5 }`, `5s`)
const timeoutOf = (config: Config | undefined, prefix: string) =>
  readDurationKey(config, 'timeoutMs', {
    numberUnit: 'milliseconds',
    fallbackMs: 10_000,
    prefix,
  });

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
    timeoutMs: timeoutOf(github, 'delivery.github'),
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
    timeoutMs: timeoutOf(gitlab, 'delivery.gitlab'),
    host: gitlab?.getOptionalString('host') ?? 'gitlab.com',
  };
}
