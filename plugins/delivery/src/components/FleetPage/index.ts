export { FleetPage, FleetContent } from './FleetPage';
export { FleetMatrix } from './FleetMatrix';
export { useFleet, type FleetRequest } from './useFleet';
