import {
  formatAgainstThreshold,
  formatQuantity,
  type GateEvidence,
  type SloGateDefinition,
} from '@gitops-delivery/backstage-plugin-delivery-common';
import {
  noCanaryReason,
  notApplicable,
  unknown,
  type GateVerdict,
  type PolicyInput,
} from '../PolicyInput';

/** A configured SLO of the canary against its threshold, optionally against stable. */
export function sloGate(
  gate: SloGateDefinition,
  input: PolicyInput,
): GateVerdict {
  if (!input.rollout) {
    return notApplicable(noCanaryReason(input, 'to measure'));
  }
  if (!input.slos) {
    return unknown(
      `SLO values are not available${
        input.slosError ? `: ${input.slosError}` : ''
      }`,
    );
  }
  const slo = input.slos.find(s => s.name === gate.slo);
  if (!slo) {
    return unknown(`The SLO "${gate.slo}" was not measured for this rollout`);
  }
  const threshold = gate.threshold ?? slo.threshold;
  const comparison = gate.comparison ?? slo.comparison;
  const canary = slo.canary.current;
  const stable = slo.stable.current;
  const unit = slo.unit;
  const show = (value: number | null) => formatQuantity(value, unit);
  const evidence: GateEvidence[] = [
    {
      label: `${gate.slo} (canary)`,
      value: canary,
      threshold,
      comparison,
      unit,
    },
    { label: `${gate.slo} (stable)`, value: stable, unit },
  ];
  if (canary === null) {
    return unknown(
      `No ${gate.slo} value for the canary${
        slo.canary.message ? `: ${slo.canary.message}` : ''
      }`,
      evidence,
    );
  }
  const healthy =
    comparison === 'below' ? canary <= threshold : canary >= threshold;
  if (!healthy) {
    return {
      outcome: 'fail',
      reason: `Canary ${gate.slo} is ${show(canary)}, ${
        comparison === 'below' ? 'above' : 'below'
      } the threshold: ${formatAgainstThreshold(
        canary,
        threshold,
        comparison,
        unit,
      )}`,
      evidence,
    };
  }
  if (gate.maxWorseThanStable !== undefined) {
    evidence.push({
      label: `${gate.slo} canary worse than stable by`,
      value: stable === null ? null : worseBy(canary, stable, comparison),
      threshold: gate.maxWorseThanStable,
      comparison: 'below',
      unit,
    });
    if (stable === null) {
      return unknown(
        `No ${gate.slo} value for stable to compare the canary with`,
        evidence,
      );
    }
    const delta = worseBy(canary, stable, comparison);
    if (delta > gate.maxWorseThanStable) {
      return {
        outcome: 'fail',
        reason: `Canary ${gate.slo} (${show(
          canary,
        )}) is worse than stable (${show(stable)}) by ${show(
          delta,
        )}, more than ${show(gate.maxWorseThanStable)}`,
        evidence,
      };
    }
  }
  return {
    outcome: 'pass',
    reason: `Canary ${
      gate.slo
    } is within its threshold: ${formatAgainstThreshold(
      canary,
      threshold,
      comparison,
      unit,
    )}`,
    evidence,
  };
}

function worseBy(
  canary: number,
  stable: number,
  comparison: 'below' | 'above',
) {
  return comparison === 'below' ? canary - stable : stable - canary;
}
