export { EntityDoraCard, isDoraAvailable } from './DoraCard';
export type { EntityDoraCardProps } from './DoraCard';
