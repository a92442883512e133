/**
 * The Delivery frontend plugin: pipeline stages, canary progress, signals,
 * policy gates and actions on the entity page.
 *
 * @packageDocumentation
 */

export {
  deliveryPlugin,
  DeliveryChoicePickerFieldExtension,
  DeliveryFleetPage,
  EntityFleetCard,
  EntityDeliveryContent,
  EntityDeliveryOverviewCard,
  EntityDoraCard,
} from './plugin';
export { isDoraAvailable } from './components/DoraCard/DoraCard';
export { isFleetCardAvailable } from './components/FleetCard/isFleetCardAvailable';
export { fleetRouteRef } from './components/FleetPage/routes';
export type { EntityDoraCardProps } from './components/DoraCard/DoraCard';
export * from './scaffolder';
export type { EntityDeliveryContentProps } from './components/EntityDeliveryContent';
export { isDeliveryAvailable } from '@gitops-delivery/backstage-plugin-delivery-common';
export * from './api';
