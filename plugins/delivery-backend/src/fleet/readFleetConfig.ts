import type { Config } from '@backstage/config';
import { readDurationKey } from '@gitops-delivery/backstage-plugin-delivery-node';

/** The fleet page's settings (`delivery.fleet`), read once at start-up. */
export interface FleetConfig {
  /** How long a request waits for the cells' signals before it answers with a row still computing. */
  signalsWaitMs: number;
  /** How many entities' signals are computed at a time (per backend). */
  signalsConcurrency: number;
  /** How long an entity's last computed signals are shown while newer ones compute. */
  lastSignalsTtlMs: number;
  /** How long an entity's DORA bands are reused. */
  doraTtlMs: number;
}

/** The defaults of `delivery.fleet`. */
export const FLEET_DEFAULTS: FleetConfig = {
  signalsWaitMs: 2_000,
  signalsConcurrency: 8,
  lastSignalsTtlMs: 15 * 60_000,
  doraTtlMs: 60_000,
};

const MAX_CONCURRENCY = 64;

/**
 * Reads `delivery.fleet`; each key falls back to FLEET_DEFAULTS, and a value
 * out of range fails the start with the key's name and what it accepts.
 */
export function readFleetConfig(config: Config): FleetConfig {
  const fleet = config.getOptionalConfig('delivery.fleet');
  const key = (
    name: string,
    numberUnit: 'milliseconds' | 'seconds',
    fallbackMs: number,
    min: number,
  ) =>
    readDurationKey(fleet, name, {
      numberUnit,
      fallbackMs,
      min,
      prefix: 'delivery.fleet',
    });
  // a number, or a numeric string (an environment variable's value)
  const signalsConcurrency =
    fleet?.getOptionalNumber('signalsConcurrency') ??
    FLEET_DEFAULTS.signalsConcurrency;
  if (
    !Number.isInteger(signalsConcurrency) ||
    signalsConcurrency < 1 ||
    signalsConcurrency > MAX_CONCURRENCY
  ) {
    throw new Error(
      `delivery.fleet: signalsConcurrency must be a whole number from 1 to ${MAX_CONCURRENCY}, got ${signalsConcurrency}`,
    );
  }
  return {
    signalsWaitMs: key(
      'signalsWaitMs',
      'milliseconds',
      FLEET_DEFAULTS.signalsWaitMs,
      0,
    ),
    signalsConcurrency,
    lastSignalsTtlMs: key(
      'lastSignalsTtlSeconds',
      'seconds',
      FLEET_DEFAULTS.lastSignalsTtlMs,
      0,
    ),
    doraTtlMs: key('doraTtlSeconds', 'seconds', FLEET_DEFAULTS.doraTtlMs, 0),
  };
}
