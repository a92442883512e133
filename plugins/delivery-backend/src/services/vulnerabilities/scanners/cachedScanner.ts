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
    // the layer decides how its findings are grouped, counted and judged
    ...(scanner.layer ? { layer: scanner.layer } : {}),
    scan: target =>
      cache.getOrLoad(
        // a scanner of another layer reads the side's Pods or commit, not the image
        `scanner:${scanner.id}:${target.entity.entityRef}:${
          (scanner.layer ?? 'image') === 'image'
            ? target.image.digest ?? target.image.reference
            : `${target.rollout.instance}/${target.rollout.namespace}/${
                target.rollout.name
              }@${target.podTemplateHash}:${target.revision ?? ''}`
        }`,
        REPORT_TTL_MS,
        () => scanner.scan(target),
      ),
  };
}
