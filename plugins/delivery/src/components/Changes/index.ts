export { PromotionChanges, useChanges } from './PromotionChanges';
