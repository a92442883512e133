/**
 * The Backstage signals channel on which the Delivery backend says that an
 * entity's delivery view changed (a sync, health, a canary step, a weight,
 * an analysis result, a new audit record). The message carries no data: a
 * subscriber refetches the view through the permission-checked routes.
 *
 * Entity refs compare case-insensitively, as in the catalog, so the channel
 * uses the ref in lower case (`delivery:entity:component:default/checkout`).
 *
 * @public
 */
export function deliveryEntityChannel(entityRef: string): string {
  return `delivery:entity:${entityRef.trim().toLocaleLowerCase('en-US')}`;
}

/**
 * The message of a {@link deliveryEntityChannel} signal: only that the view
 * of the entity changed, never what it shows.
 *
 * @public
 */
export type DeliveryChangedSignal = {
  type: 'changed';
  /** The entity whose view changed (lower-case full ref). */
  entityRef: string;
};
