import type {
  CanaryVsStableGateDefinition,
  GateEvidence,
  SeriesPoint,
} from '@gitops-delivery/backstage-plugin-delivery-common';
import { compareCanaryToStable } from '../../stats/canaryComparison';
import {
  noCanaryReason,
  notApplicable,
  unknown,
  type GateVerdict,
  type PolicyInput,
} from '../PolicyInput';

/** Defaults of the gate's statistics, as documented in config.d.ts. */
export const CANARY_VS_STABLE_DEFAULTS = {
  windowMinutes: 10,
  alpha: 0.05,
  minEffect: 0.3,
  minSamples: 8,
} as const;

function inWindow(series: SeriesPoint[], from: number, to: number) {
  return series.filter(p => p.t >= from && p.t <= to).map(p => p.value);
}

/**
 * "Canary no worse than stable" (what Kayenta does): the canary's and the
 * stable's series of one SLO over the soak window, compared with a
 * one-sided Mann-Whitney U test and a minimum effect size. Unlike the `slo`
 * gate it needs no absolute threshold, so it catches a regression that is
 * still under the threshold. Too few samples on either side is `unknown`.
 */
export function canaryVsStableGate(
  gate: CanaryVsStableGateDefinition,
  input: PolicyInput,
): GateVerdict {
  if (!input.rollout) {
    return notApplicable(noCanaryReason(input, 'to compare with stable'));
  }
  if (!input.slos) {
    return unknown(
      `SLO series are not available${
        input.slosError ? `: ${input.slosError}` : ''
      }`,
    );
  }
  const slo = input.slos.find(s => s.name === gate.slo);
  if (!slo) {
    return unknown(`The SLO "${gate.slo}" was not measured for this rollout`);
  }
  const windowMinutes =
    gate.windowMinutes ?? CANARY_VS_STABLE_DEFAULTS.windowMinutes;
  const to = Math.floor(input.now.getTime() / 1000);
  const from = to - windowMinutes * 60;
  const comparison = compareCanaryToStable(
    inWindow(slo.canary.series, from, to),
    inWindow(slo.stable.series, from, to),
    {
      comparison: slo.comparison,
      alpha: gate.alpha ?? CANARY_VS_STABLE_DEFAULTS.alpha,
      minEffect: gate.minEffect ?? CANARY_VS_STABLE_DEFAULTS.minEffect,
      minSamples: gate.minSamples ?? CANARY_VS_STABLE_DEFAULTS.minSamples,
    },
  );
  const evidence: GateEvidence[] = [
    { label: 'SLO', value: gate.slo },
    { label: 'window (minutes)', value: windowMinutes },
    ...comparison.evidence,
  ];
  return {
    outcome: comparison.outcome,
    reason: `${gate.slo}: ${comparison.reason}`,
    evidence,
  };
}
