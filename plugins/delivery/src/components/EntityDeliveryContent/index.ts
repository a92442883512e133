export { EntityDeliveryContent } from './EntityDeliveryContent';
export type { EntityDeliveryContentProps } from './EntityDeliveryContent';
