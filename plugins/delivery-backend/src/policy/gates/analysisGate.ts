import type {
  AnalysisGateDefinition,
  AnalysisRunView,
} from '@gitops-delivery/backstage-plugin-delivery-common';
import {
  noCanaryReason,
  notApplicable,
  unknown,
  type GateVerdict,
  type PolicyInput,
} from '../PolicyInput';

const FAILED_PHASES = new Set(['Failed', 'Error', 'Inconclusive']);
const UNFINISHED_PHASES = new Set(['Pending', 'Running']);

/** The latest AnalysisRun of the canary's revision is Successful. */
export function analysisGate(
  _gate: AnalysisGateDefinition,
  input: PolicyInput,
): GateVerdict {
  const rollout = input.rollout;
  if (!rollout) {
    return notApplicable(noCanaryReason(input, 'to analyse'));
  }
  const runs = rollout.analysisRuns.filter(
    run =>
      !run.podTemplateHash ||
      !rollout.canaryPodHash ||
      run.podTemplateHash === rollout.canaryPodHash,
  );
  const latest = newest(runs);
  if (!latest) {
    if (!rollout.steps.some(step => step.kind === 'analysis')) {
      return {
        outcome: 'pass',
        reason: 'The rollout defines no analysis step',
        evidence: [],
      };
    }
    return unknown('No AnalysisRun found for the canary revision');
  }
  const evidence = [
    { label: `AnalysisRun ${latest.name}`, value: latest.phase },
    ...latest.metrics.map(m => ({
      label: `metric ${m.name}`,
      value: m.measurements.at(-1)?.value ?? m.phase,
    })),
  ];
  if (latest.phase === 'Successful') {
    return {
      outcome: 'pass',
      reason: `AnalysisRun ${latest.name} is Successful`,
      evidence,
    };
  }
  if (FAILED_PHASES.has(latest.phase) || UNFINISHED_PHASES.has(latest.phase)) {
    return {
      outcome: 'fail',
      reason: `AnalysisRun ${latest.name} is ${latest.phase}${
        latest.message ? `: ${latest.message}` : ''
      }`,
      evidence,
    };
  }
  return unknown(
    `AnalysisRun ${latest.name} has the unknown phase "${latest.phase}"`,
    evidence,
  );
}

function newest(runs: AnalysisRunView[]): AnalysisRunView | undefined {
  // without timestamps, the overview's order (last = newest) decides
  return runs.reduce<AnalysisRunView | undefined>((best, run) => {
    if (!best) return run;
    const a = Date.parse(best.startedAt ?? '');
    const b = Date.parse(run.startedAt ?? '');
    if (Number.isNaN(a) || Number.isNaN(b)) return run;
    return b >= a ? run : best;
  }, undefined);
}
