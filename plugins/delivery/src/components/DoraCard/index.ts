export { EntityDoraCard, isDoraAvailable } from './DoraCard';
export { DoraClient, doraApiRef } from './DoraApi';
export type { DoraApi, DoraQuery } from './DoraApi';
