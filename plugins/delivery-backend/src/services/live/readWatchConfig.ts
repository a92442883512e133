import type { Config } from '@backstage/config';
import {
  readDurationKey,
  type ArgoCdWatchOptions,
  type ArgoCdWatchQuery,
} from '@gitops-delivery/backstage-plugin-delivery-node';

/** `delivery.argocd.watch`, read once at start-up. */
export type WatchConfig = Omit<ArgoCdWatchOptions, 'onChange'>;

const PREFIX = 'delivery.argocd.watch';

/**
 * Reads `delivery.argocd.watch`: `true` / `false`, or a block with
 * `enabled` (default true), `pollIntervalSeconds` (the fallback's list
 * interval, default 10), `streamRetrySeconds` (while polling, how long
 * until streaming is tried again, default 300), `viewInterestSeconds`
 * (how long a resource-tree stream stays open after a view, default 300),
 * `syncTimeoutSeconds` (how long a new stream may take to send what a list
 * finds before it counts as failed, default 10) and per instance the
 * stream's `selector`, `projects` and `appNamespace`. A bad value stops
 * start-up naming its key.
 */
export function readWatchConfig(config: Config): WatchConfig {
  const key = 'delivery.argocd.watch';
  if (!config.has(key)) return { enabled: true };
  const value = config.getOptional(key);
  if (typeof value === 'boolean') return { enabled: value };
  const watch = config.getConfig(key);
  const seconds = (name: string, fallbackSeconds: number) =>
    readDurationKey(watch, name, {
      numberUnit: 'seconds',
      fallbackMs: fallbackSeconds * 1000,
      prefix: PREFIX,
    });
  const queries: Record<string, ArgoCdWatchQuery> = {};
  const instances = watch.getOptionalConfig('instances');
  for (const name of instances?.keys() ?? []) {
    const c = instances!.getConfig(name);
    queries[name] = {
      selector: c.getOptionalString('selector'),
      projects: c.getOptionalStringArray('projects'),
      appNamespace: c.getOptionalString('appNamespace'),
    };
  }
  return {
    enabled: watch.getOptionalBoolean('enabled') ?? true,
    queries,
    timing: {
      pollIntervalMs: seconds('pollIntervalSeconds', 10),
      streamRetryMs: seconds('streamRetrySeconds', 300),
      viewInterestMs: seconds('viewInterestSeconds', 300),
      syncTimeoutMs: seconds('syncTimeoutSeconds', 10),
    },
  };
}
