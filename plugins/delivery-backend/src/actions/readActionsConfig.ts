import type { Config } from '@backstage/config';

/** `delivery.actions` and `delivery.guard`, read once at start-up. @public */
export interface ActionsConfig {
  lockTtlMs: number;
  guard: { enabled: boolean; intervalSeconds: number };
}

/** Reads `delivery.actions` and `delivery.guard`, with their defaults. */
export function readActionsConfig(config: Config): ActionsConfig {
  const lockTtlSeconds =
    config.getOptionalNumber('delivery.actions.lockTtlSeconds') ?? 60;
  if (!(lockTtlSeconds >= 5 && lockTtlSeconds <= 3600)) {
    throw new Error(
      'delivery.actions.lockTtlSeconds must be between 5 and 3600',
    );
  }
  const intervalSeconds =
    config.getOptionalNumber('delivery.guard.intervalSeconds') ?? 30;
  if (!(intervalSeconds >= 1 && intervalSeconds <= 3600)) {
    throw new Error(
      'delivery.guard.intervalSeconds must be between 1 and 3600',
    );
  }
  return {
    lockTtlMs: lockTtlSeconds * 1000,
    guard: {
      enabled: config.getOptionalBoolean('delivery.guard.enabled') ?? false,
      intervalSeconds,
    },
  };
}
