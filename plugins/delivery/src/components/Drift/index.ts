export { DriftCard, driftedEnvironments, useDrift } from './DriftCard';
export { FieldChangesTable } from './FieldChangesTable';
