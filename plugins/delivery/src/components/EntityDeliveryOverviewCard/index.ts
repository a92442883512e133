export { EntityDeliveryOverviewCard } from './EntityDeliveryOverviewCard';
