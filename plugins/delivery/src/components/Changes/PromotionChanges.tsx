import type { Entity } from '@backstage/catalog-model';
import { ChangesSection } from './ChangesView';
import { useChanges } from './useChanges';

/**
 * What a promotion changes, from the environment before into this one:
 * commits, images, vulnerability delta and manifest diff, each part with
 * its own error (one failing upstream leaves the others shown).
 */
export function PromotionChanges(props: {
  entity: Entity;
  /** What would be promoted, e.g. `staging` or `staging@12`. */
  from?: string;
  /** Where, e.g. `production` or `production/main:checkout-production`. */
  to: string;
}) {
  const state = useChanges(props.entity, props.from, props.to);
  if (!props.from) return null;
  return <ChangesSection title="What this promotion changes" state={state} />;
}
