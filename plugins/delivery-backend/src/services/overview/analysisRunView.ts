import type { AnalysisRunView } from '@gitops-delivery/backstage-plugin-delivery-common';
import type { AnalysisRunObject } from './rolloutTypes';

/** Builds the view of one AnalysisRun: every measurement with its conditions. */
export function toAnalysisRunView(run: AnalysisRunObject): AnalysisRunView {
  const labels = run.metadata?.labels ?? {};
  const specs = run.spec?.metrics ?? run.spec?.analysisSpec?.metrics ?? [];
  const results = run.status?.metricResults ?? [];
  const names = [
    ...specs.map(m => m.name),
    ...results.map(r => r.name).filter(n => !specs.some(m => m.name === n)),
  ].filter((n): n is string => typeof n === 'string');
  const stepIndex = Number(labels['step-index']);
  return {
    name: run.metadata?.name ?? '',
    phase: run.status?.phase ?? 'Pending',
    message: run.status?.message,
    type: labels['rollout-type'],
    stepIndex: Number.isInteger(stepIndex) ? stepIndex : undefined,
    podTemplateHash: labels['rollouts-pod-template-hash'],
    startedAt: run.status?.startedAt,
    completedAt: run.status?.completedAt,
    metrics: names.map(name => {
      const spec = specs.find(m => m.name === name);
      const result = results.find(r => r.name === name);
      return {
        name,
        phase: result?.phase ?? 'Pending',
        message: result?.message,
        successCondition: spec?.successCondition,
        failureCondition: spec?.failureCondition,
        query: spec?.provider?.prometheus?.query?.trim(),
        measurements: (result?.measurements ?? []).map(m => ({
          phase: m.phase ?? 'Pending',
          value: m.value,
          startedAt: m.startedAt,
          finishedAt: m.finishedAt,
          message: m.message,
        })),
      };
    }),
  };
}

/**
 * True when the run belongs to the rollout's current revision: its
 * `rollouts-pod-template-hash` label is the canary hash, or (for objects
 * without the label) the rollout status names it.
 */
export function isRunOfCurrentRevision(
  run: AnalysisRunObject,
  currentPodHash: string | undefined,
  namedInStatus: ReadonlyArray<string>,
): boolean {
  const hash = run.metadata?.labels?.['rollouts-pod-template-hash'];
  if (hash && currentPodHash) return hash === currentPodHash;
  return namedInStatus.includes(run.metadata?.name ?? '');
}
