import type { DeliveryScanner } from '@gitops-delivery/backstage-plugin-delivery-node';
import type { SignalCache } from '../../signals/SignalCache';
import { REPORT_TTL_MS } from './reportTtl';

/**
 * A scanner added by a module, its answers kept per entity and image like
 * the built-ins' reports, so that its upstream is not asked on every view.
 */
export function cachedScanner(
  scanner: DeliveryScanner,
  cache: SignalCache,
): DeliveryScanner {
  return {
    id: scanner.id,
    scan: target =>
      cache.getOrLoad(
        `scanner:${scanner.id}:${target.entity.entityRef}:${
          target.image.digest ?? target.image.reference
        }`,
        REPORT_TTL_MS,
        () => scanner.scan(target),
      ),
  };
}
