/**
 * The Delivery frontend plugin: pipeline stages, canary progress, signals,
 * policy gates and actions on the entity page.
 *
 * @packageDocumentation
 */

export {
  deliveryPlugin,
  EntityDeliveryContent,
  EntityDeliveryOverviewCard,
} from './plugin';
export type { EntityDeliveryContentProps } from './components/EntityDeliveryContent';
export { isDeliveryAvailable } from '@gitops-delivery/backstage-plugin-delivery-common';
export * from './api';
