export { ChangesSection, ChangesView } from './ChangesView';
export { HistoryChanges, historySelector } from './HistoryChanges';
export { PromotionChanges } from './PromotionChanges';
export { useChanges } from './useChanges';
