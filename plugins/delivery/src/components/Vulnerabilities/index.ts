export { VulnerabilitySummary } from './VulnerabilitySummary';
