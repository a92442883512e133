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
