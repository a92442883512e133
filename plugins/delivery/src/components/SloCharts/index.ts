export { SloCharts } from './SloCharts';
