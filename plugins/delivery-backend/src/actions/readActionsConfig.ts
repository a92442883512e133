import type { Config } from '@backstage/config';
import {
  readConfigDurationMs,
  readDurationKey,
} from '@gitops-delivery/backstage-plugin-delivery-node';

/** `delivery.actions` and `delivery.guard`, read once at start-up. @public */
export interface ActionsConfig {
  lockTtlMs: number;
  guard: {
    enabled: boolean;
    intervalSeconds: number;
    /** State loads and SLO evaluations in flight at a time. */
    concurrency: number;
    /** Longest wait for one entity's state or one Rollout's evaluation. */
    entityDeadlineMs: number;
  };
}

/**
 * The guard's default per-entity deadline: a third of the interval (a tick
 * waits at most one deadline for the states, one for the evaluations), at
 * least 2 s and at most 60 s.
 */
export function defaultEntityDeadlineMs(intervalSeconds: number): number {
  return Math.min(60_000, Math.max(2_000, (intervalSeconds * 1000) / 3));
}

function readEntityDeadlineMs(config: Config, intervalSeconds: number) {
  const key = 'delivery.guard.entityDeadline';
  const ms = readConfigDurationMs(config, key);
  if (ms === undefined) return defaultEntityDeadlineMs(intervalSeconds);
  if (!(ms >= 100 && ms <= 600_000)) {
    throw new Error(`${key} must be between 100 ms and 10 minutes`);
  }
  return ms;
}

/** Reads `delivery.actions` and `delivery.guard`, with their defaults. */
export function readActionsConfig(config: Config): ActionsConfig {
  // seconds, as the keys' names say, or a duration (`{ minutes: 2 }`, `90s`)
  const secondsOf = (block: string, key: string, fallbackSeconds: number) =>
    readDurationKey(config.getOptionalConfig(block), key, {
      numberUnit: 'seconds',
      fallbackMs: fallbackSeconds * 1000,
      min: 0,
      prefix: block,
    }) / 1000;
  const lockTtlSeconds = secondsOf('delivery.actions', 'lockTtlSeconds', 60);
  if (!(lockTtlSeconds >= 5 && lockTtlSeconds <= 3600)) {
    throw new Error(
      'delivery.actions.lockTtlSeconds must be between 5 and 3600',
    );
  }
  const intervalSeconds = secondsOf('delivery.guard', 'intervalSeconds', 30);
  if (!(intervalSeconds >= 1 && intervalSeconds <= 3600)) {
    throw new Error(
      'delivery.guard.intervalSeconds must be between 1 and 3600',
    );
  }
  const concurrency =
    config.getOptionalNumber('delivery.guard.concurrency') ?? 4;
  if (
    !(Number.isInteger(concurrency) && concurrency >= 1 && concurrency <= 64)
  ) {
    throw new Error(
      'delivery.guard.concurrency must be a whole number between 1 and 64',
    );
  }
  return {
    lockTtlMs: lockTtlSeconds * 1000,
    guard: {
      enabled: config.getOptionalBoolean('delivery.guard.enabled') ?? false,
      intervalSeconds,
      concurrency,
      entityDeadlineMs: readEntityDeadlineMs(config, intervalSeconds),
    },
  };
}
