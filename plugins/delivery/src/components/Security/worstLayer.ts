import {
  SEVERITIES,
  type SecurityLayerView,
} from '@gitops-delivery/backstage-plugin-delivery-common';

const STATE_RANK = { 'source-error': 3, findings: 2, unknown: 1, clean: 0 };

function badness(view: SecurityLayerView): number {
  if (view.state !== 'findings') return STATE_RANK[view.state];
  const i = SEVERITIES.findIndex(s => view.counts[s] > 0);
  return 10 + (i < 0 ? 0 : SEVERITIES.length - i);
}

/**
 * The worst layer, for the overview: findings of the highest severity,
 * else a source error, else unknown, else clean; layers without any
 * configured source are left out.
 */
export function worstLayerOf(
  layers: SecurityLayerView[] | undefined,
): SecurityLayerView | undefined {
  const configured = (layers ?? []).filter(v =>
    v.sources.some(s => s.status !== 'not-configured'),
  );
  return [...configured].sort((a, b) => badness(b) - badness(a))[0];
}
