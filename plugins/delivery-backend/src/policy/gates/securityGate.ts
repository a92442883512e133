import {
  SECURITY_LAYERS,
  SEVERITIES,
  type GateEvidence,
  type SecurityGateDefinition,
  type SecurityLayerBudget,
  type SecurityLayerView,
  type VulnerabilityFinding,
} from '@gitops-delivery/backstage-plugin-delivery-common';
import { unknown, type GateVerdict, type PolicyInput } from '../PolicyInput';

/** How many findings the evidence names per layer; the rest are counted. */
const NAMED_FINDINGS = 5;

type LayerVerdict = {
  layer: string;
  outcome: 'pass' | 'fail' | 'unknown';
  reason: string;
  evidence: GateEvidence[];
};

function findingText(f: VulnerabilityFinding): string {
  const where = f.location ?? f.packageName;
  const times = f.occurrences && f.occurrences > 1 ? ` ×${f.occurrences}` : '';
  // the rule or check by its id, then what it is (Falco's rule is both)
  const what = f.title && f.title !== f.id ? `${f.id} ${f.title}` : f.id;
  return `${f.severity} ${what} (${where})${times}`;
}

/** One layer against its budget. */
export function judgeLayer(
  budget: SecurityLayerBudget,
  view: SecurityLayerView | undefined,
): LayerVerdict {
  const layer = view?.layer ?? 'layer';
  const missing =
    !view ||
    view.sources.length === 0 ||
    view.sources.every(s => s.status === 'not-configured');
  if (missing && view?.state !== 'findings') {
    const reason = `${layer}: ${view?.message ?? 'no source is configured'}`;
    return budget.onMissing === 'pass'
      ? { layer, outcome: 'pass', reason, evidence: [] }
      : { layer, outcome: 'unknown', reason, evidence: [] };
  }
  const findings = budget.newOnly ? view!.newInCanary : view!.findings;
  const counts = budget.newOnly ? view!.newInCanaryCounts : view!.counts;
  const which = budget.newOnly ? 'new ' : '';
  const evidence: GateEvidence[] = [];
  const over: string[] = [];
  for (const severity of SEVERITIES) {
    const max = budget.max[severity];
    if (max === undefined) continue;
    evidence.push({
      label: `${layer}: ${which}${severity} findings`,
      value: counts[severity],
      threshold: max,
    });
    if (counts[severity] > max) {
      over.push(`${counts[severity]} ${which}${severity} (allowed ${max})`);
    }
  }
  const limited = findings.filter(f => budget.max[f.severity] !== undefined);
  for (const f of limited.slice(0, NAMED_FINDINGS)) {
    evidence.push({ label: `${layer} finding`, value: findingText(f) });
  }
  if (limited.length > NAMED_FINDINGS) {
    evidence.push({
      label: `${layer} findings not listed`,
      value: limited.length - NAMED_FINDINGS,
    });
  }
  // findings over the budget fail even when another source of the layer failed
  if (over.length > 0) {
    const named = limited
      .filter(f => counts[f.severity] > (budget.max[f.severity] ?? Infinity))
      .slice(0, 3)
      .map(findingText);
    return {
      layer,
      outcome: 'fail',
      reason: `${layer} has ${over.join(', ')}: ${named.join('; ')}`,
      evidence,
    };
  }
  // within budget, but a failed source may hide more: no evidence of passing
  if (
    view!.state === 'source-error' ||
    view!.state === 'unknown' ||
    view!.sources.some(s => s.status === 'error')
  ) {
    return {
      layer,
      outcome: 'unknown',
      reason: `${layer}: ${view!.message ?? view!.state}`,
      evidence,
    };
  }
  return {
    layer,
    outcome: 'pass',
    reason: `${layer} is within its budget`,
    evidence,
  };
}

/**
 * Per-layer budgets over the rollout's security layers: fails when a layer
 * is over budget, unknown when a budgeted layer could not be judged (its
 * source missing, failed or without a report), passes otherwise.
 */
export function securityGate(
  gate: SecurityGateDefinition,
  input: PolicyInput,
): GateVerdict {
  if (!input.security) {
    return unknown(
      `No security layers for the rollout being promoted${
        input.securityError ? `: ${input.securityError}` : ''
      }`,
    );
  }
  const verdicts = SECURITY_LAYERS.flatMap(layer => {
    const budget = gate.layers[layer];
    if (!budget) return [];
    const view = input.security!.find(v => v.layer === layer);
    return [{ ...judgeLayer(budget, view), layer }];
  });
  const evidence = verdicts.flatMap(v => v.evidence);
  const failed = verdicts.filter(v => v.outcome === 'fail');
  if (failed.length > 0) {
    return {
      outcome: 'fail',
      reason: failed.map(v => v.reason).join('; '),
      evidence,
    };
  }
  const unknownLayers = verdicts.filter(v => v.outcome === 'unknown');
  if (unknownLayers.length > 0) {
    return unknown(unknownLayers.map(v => v.reason).join('; '), evidence);
  }
  return {
    outcome: 'pass',
    reason: `${verdicts.map(v => v.layer).join(', ')} within budget`,
    evidence,
  };
}
