import {
  STAGE_NAMES,
  type EnvironmentView,
  type PipelineStage,
  type StageName,
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
 * The stage the environment's change is at: the first one not yet
 * succeeded, or the last succeeded one when all are done.
 */
export function currentStage(env: EnvironmentView): PipelineStage | undefined {
  const stages = orderedStages(env).filter(
    stage => stage.status !== 'not-configured',
  );
  return (
    stages.find(stage => stage.status !== 'succeeded') ??
    stages[stages.length - 1]
  );
}
