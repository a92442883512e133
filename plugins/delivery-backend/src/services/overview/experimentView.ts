import type { ExperimentView } from '@gitops-delivery/backstage-plugin-delivery-common';
import { parseRolloutDuration } from '@gitops-delivery/backstage-plugin-delivery-node';
import type { ExperimentObject } from './rolloutTypes';

/**
 * The view of a live Experiment: its templates (ReplicaSets) with their
 * replicas and images, and its analyses with the runs they started.
 */
export function toExperimentView(experiment: ExperimentObject): ExperimentView {
  const status = experiment.status ?? {};
  const durationSeconds = parseRolloutDuration(experiment.spec?.duration);
  const progressing = (status.conditions ?? []).find(
    c => c.type === 'Progressing',
  );
  const view: ExperimentView = {
    name: experiment.metadata?.name ?? '',
    phase: status.phase ?? 'Pending',
    message: status.message ?? progressing?.message,
    availableAt: status.availableAt,
    templates: (experiment.spec?.templates ?? []).map(template => {
      const live = (status.templateStatuses ?? []).find(
        t => t.name === template.name,
      );
      return {
        name: template.name ?? '',
        // an experiment template runs one replica unless it says otherwise
        replicas: live?.replicas ?? template.replicas ?? 1,
        readyReplicas: live?.readyReplicas,
        availableReplicas: live?.availableReplicas,
        status: live?.status,
        images: (template.template?.spec?.containers ?? [])
          .map(c => c.image)
          .filter((i): i is string => typeof i === 'string'),
      };
    }),
    analyses: (experiment.spec?.analyses ?? []).map(analysis => {
      const run = (status.analysisRuns ?? []).find(
        r => r.name === analysis.name,
      );
      return {
        name: analysis.name ?? '',
        templateName: analysis.templateName,
        phase: run?.phase,
        analysisRun: run?.analysisRun,
        message: run?.message,
      };
    }),
  };
  if (durationSeconds !== undefined) view.durationSeconds = durationSeconds;
  return view;
}
