import {
  SEVERITIES,
  type SecurityLayerState,
  type SecurityLayerSummary,
} from '@gitops-delivery/backstage-plugin-delivery-common';
import { StatusLabel, type StatusTone } from '../common/StatusLabel';
import { LAYER_TITLES, STATE_TEXT } from './SecurityLayers';

const TONES: Record<SecurityLayerState, StatusTone> = {
  clean: 'ok',
  findings: 'error',
  unknown: 'pending',
  'source-error': 'warning',
};

/** The overview's security column: the worst layer, its state and worst counts. */
export function WorstLayerCell(props: { worst?: SecurityLayerSummary }) {
  const { worst } = props;
  if (!worst) return <>—</>;
  const counts = SEVERITIES.filter(s => worst.counts[s] > 0)
    .slice(0, 2)
    .map(s => `${worst.counts[s]} ${s}`)
    .join(', ');
  const title = LAYER_TITLES[worst.layer].title;
  return (
    <StatusLabel tone={TONES[worst.state]}>
      {worst.state === 'clean'
        ? 'all layers clean'
        : `${title}: ${STATE_TEXT[worst.state]}${
            worst.state === 'findings' && counts ? ` (${counts})` : ''
          }`}
    </StatusLabel>
  );
}
