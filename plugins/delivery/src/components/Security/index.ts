export { SecurityLayers, SecurityLayerTile } from './SecurityLayers';
export { worstLayerOf } from './worstLayer';
export { WorstLayerCell } from './WorstLayerCell';
