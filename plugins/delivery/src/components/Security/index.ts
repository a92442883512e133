export { SecurityLayers, SecurityLayerTile } from './SecurityLayers';
export { LayerFindingsTable } from './LayerFindingsTable';
export { worstLayerOf } from './worstLayer';
export { WorstLayerCell } from './WorstLayerCell';
