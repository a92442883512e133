export { EntityFleetCard } from './EntityFleetCard';
export { isFleetCardAvailable } from './isFleetCardAvailable';
