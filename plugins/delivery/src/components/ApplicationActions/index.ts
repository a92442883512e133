export { ApplicationActions, ApplicationOperation } from './ApplicationActions';
export { ApplicationsCard } from './ApplicationsCard';
