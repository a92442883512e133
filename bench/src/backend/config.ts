import type { JsonObject } from '@backstage/types';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse } from 'yaml';
import { REPO_ROOT } from './entities';

/** The sandbox origin the demo's app-config.yaml points at. */
const DEMO_SANDBOX = 'http://127.0.0.1:7171';

/**
 * The demo's `delivery` and `integrations` configuration (app-config.yaml),
 * re-pointed at the benchmark's sandbox, with the live-state cache TTL
 * overridden. Reading the demo's file keeps the benchmark on the same
 * configuration as `npm start` while the signals are being added.
 */
export function deliveryConfig(
  sandboxUrl: string,
  ttlSeconds: number,
  /** `delivery.argocd.watch`; undefined: as app-config.yaml says. */
  watch?: boolean,
): JsonObject {
  const text = readFileSync(resolve(REPO_ROOT, 'app-config.yaml'), 'utf8');
  const all = parse(text.split(DEMO_SANDBOX).join(sandboxUrl)) as JsonObject;
  const delivery = (all.delivery ?? {}) as JsonObject;
  const cache = (delivery.cache ?? {}) as JsonObject;
  const argocd = (delivery.argocd ?? {}) as JsonObject;
  return {
    delivery: {
      ...delivery,
      ...(watch === undefined ? {} : { argocd: { ...argocd, watch } }),
      cache: { ...cache, ttlSeconds },
    },
    integrations: all.integrations ?? {},
  };
}

/**
 * The community Argo CD backend's configuration for the same sandbox: both
 * instances, `main` with the demo token and `nonprod` with the session login,
 * as its README documents (`argocd.appLocatorMethods`).
 */
export function communityConfig(sandboxUrl: string): JsonObject {
  return {
    argocd: {
      username: 'admin',
      password: 'sandbox-password',
      appLocatorMethods: [
        {
          type: 'config',
          instances: [
            {
              name: 'main',
              url: `${sandboxUrl}/argocd/main`,
              token: 'sandbox-demo-token',
            },
            { name: 'nonprod', url: `${sandboxUrl}/argocd/nonprod` },
          ],
        },
      ],
    },
  };
}
