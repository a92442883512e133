import type { Config } from '@backstage/config';

/** `delivery.dora`, read once at start-up. */
export interface DoraConfig {
  /** How long a computed DORA response is reused (per caller), ms. */
  cacheTtlMs: number;
  /** How often the recorder task reads every entity's history, ms; 0 = off. */
  recordIntervalMs: number;
}

/** Reads `delivery.dora`; a bad value stops start-up naming the key. */
export function readDoraConfig(config: Config): DoraConfig {
  const dora = config.getOptionalConfig('delivery.dora');
  const ttl = dora?.getOptionalNumber('cacheTtlSeconds') ?? 60;
  const interval = dora?.getOptionalNumber('recordIntervalMinutes') ?? 10;
  if (!Number.isFinite(ttl) || ttl < 0) {
    throw new Error('delivery.dora.cacheTtlSeconds: must be 0 or more');
  }
  if (!Number.isFinite(interval) || interval < 0) {
    throw new Error('delivery.dora.recordIntervalMinutes: must be 0 or more');
  }
  return { cacheTtlMs: ttl * 1000, recordIntervalMs: interval * 60_000 };
}
