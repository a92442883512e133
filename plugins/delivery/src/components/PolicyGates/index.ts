export { PolicyGates } from './PolicyGates';
export { GateList } from './GateList';
