import {
  STAGE_NAMES,
  type EnvironmentView,
  type PipelineStage,
  type StageName,
  type StageStatus,
} from '@gitops-delivery/backstage-plugin-delivery-common';

/** Human names of the seven pipeline stages. */
export const STAGE_TITLES: Record<StageName, string> = {
  commit: 'Commit',
  ci: 'CI',
  image: 'Image',
  manifest: 'Manifest',
  reconcile: 'Reconcile',
  staging: 'Staging',
  production: 'Production',
};

/** The environment's stages in pipeline order, `unknown` for any missing. */
export function orderedStages(env: EnvironmentView): PipelineStage[] {
  const byName = new Map(env.stages.map(stage => [stage.name, stage]));
  return STAGE_NAMES.map(
    name => byName.get(name) ?? { name, status: 'unknown', links: [] },
  );
}

/**
 * How a stage about another environment (where this row's change is there)
 * reads: the change's position rather than a state of this environment.
 */
const ELSEWHERE_STATUS_TEXT: Record<StageStatus, string> = {
  succeeded: 'reached',
  running: 'rolling out',
  failed: 'failed there',
  waiting: 'not reached',
  unknown: 'unknown',
  'not-configured': 'not configured',
};

/** The status text of a stage, worded for stages about another environment. */
export function stageStatusText(stage: PipelineStage): string {
  return stage.environment ? ELSEWHERE_STATUS_TEXT[stage.status] : stage.status;
}

/**
 * The stage the environment's change is at: the first of the environment's
 * own stages not yet succeeded, or the last succeeded one when all are
 * done. Stages about other environments do not count.
 */
export function currentStage(env: EnvironmentView): PipelineStage | undefined {
  const stages = orderedStages(env).filter(
    stage => stage.status !== 'not-configured' && !stage.environment,
  );
  return (
    stages.find(stage => stage.status !== 'succeeded') ??
    stages[stages.length - 1]
  );
}
