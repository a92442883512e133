export { ChangesSection, ChangesView } from './ChangesView';
export { HistoryChanges } from './HistoryChanges';
export { PromotionChanges } from './PromotionChanges';
export { applicationSelector, historySelector } from './selectors';
export { useChanges } from './useChanges';
