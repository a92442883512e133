import type { Config } from '@backstage/config';
import { readDurationKey } from '@gitops-delivery/backstage-plugin-delivery-node';

/** `delivery.live.signals`: how changes are pushed to open tabs. */
export interface LiveSignalsConfig {
  /** Whether changes are published as Backstage signals (default true). */
  enabled: boolean;
  /** Shortest time between two signals of one entity. */
  coalesceMs: number;
  /** How long the catalog's delivery entities are used before a re-read. */
  entityRefreshMs: number;
}

/** Reads `delivery.live.signals`; a bad value stops start-up naming its key. */
export function readLiveSignalsConfig(root: Config): LiveSignalsConfig {
  const block = root.getOptionalConfig('delivery.live.signals');
  const prefix = 'delivery.live.signals';
  return {
    enabled: block?.getOptionalBoolean('enabled') ?? true,
    coalesceMs: readDurationKey(block, 'coalesce', {
      numberUnit: 'milliseconds',
      fallbackMs: 500,
      min: 0,
      prefix,
    }),
    entityRefreshMs: readDurationKey(block, 'entityRefresh', {
      numberUnit: 'seconds',
      fallbackMs: 60_000,
      prefix,
    }),
  };
}
