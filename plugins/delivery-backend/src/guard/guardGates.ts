import type { PolicyGate } from '@gitops-delivery/backstage-plugin-delivery-node';

/**
 * The gates the canary guard judges during the soak: the SLO gates, and
 * each `security` gate narrowed to its runtime layer (a Falco detection
 * over budget in the canary's pods aborts it like an SLO breach). Other
 * layers are known before the rollout starts and only block promotion.
 */
export function guardGates(gates: ReadonlyArray<PolicyGate>): PolicyGate[] {
  return gates.flatMap(gate => {
    if (gate.kind === 'slo') return [gate];
    if (gate.kind !== 'security') return [];
    const layers = (gate as PolicyGate & { layers?: Record<string, unknown> })
      .layers;
    if (!layers?.runtime) return [];
    return [{ ...gate, layers: { runtime: layers.runtime } } as PolicyGate];
  });
}
