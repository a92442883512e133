import type { Config } from '@backstage/config';
import { readDurationKey } from '@gitops-delivery/backstage-plugin-delivery-node';

/** `delivery.dora`, read once at start-up. */
export interface DoraConfig {
  /** How long a computed DORA response is reused (per caller), ms. */
  cacheTtlMs: number;
  /** How often the recorder task reads every entity's history, ms; 0 = off. */
  recordIntervalMs: number;
}

/**
 * Reads `delivery.dora`; each key is a number in the unit its name says
 * (the older form) or a duration (`{ minutes: 5 }`, `PT5M`, `5m`). A bad
 * value stops start-up naming the key.
 */
export function readDoraConfig(config: Config): DoraConfig {
  const dora = config.getOptionalConfig('delivery.dora');
  const prefix = 'delivery.dora';
  return {
    cacheTtlMs: readDurationKey(dora, 'cacheTtlSeconds', {
      numberUnit: 'seconds',
      fallbackMs: 60_000,
      min: 0,
      prefix,
    }),
    recordIntervalMs: readDurationKey(dora, 'recordIntervalMinutes', {
      numberUnit: 'minutes',
      fallbackMs: 10 * 60_000,
      min: 0,
      prefix,
    }),
  };
}
