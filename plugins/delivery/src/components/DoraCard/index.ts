export { EntityDoraCard, isDoraAvailable } from './DoraCard';
export type { EntityDoraCardProps } from './DoraCard';
export { DoraClient, doraApiRef } from './DoraApi';
export type { DoraApi, DoraQuery } from './DoraApi';
