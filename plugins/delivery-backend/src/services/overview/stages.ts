import type {
  ApplicationView,
  DeliveryLink,
  PipelineStage,
  RevisionMetadata,
  RolloutView,
  StageName,
  StageStatus,
} from '@gitops-delivery/backstage-plugin-delivery-common';

/** What the stages of one environment are derived from. @public */
export interface EnvironmentFacts {
  name: string;
  applications: ApplicationView[];
  rollouts: RolloutView[];
  /** Metadata of the deployed git revision, when known. */
  commit?: { revision: string; metadata?: RevisionMetadata; url?: string };
}

/** The CI result for the deployed commit, supplied by the CI source. @public */
export interface CiStageInput {
  status: StageStatus;
  message?: string;
  startedAt?: string;
  finishedAt?: string;
  url?: string;
}

/** Input of deriveStages. @public */
export interface StagesInput {
  /** Every environment of the entity, in promotion order. */
  environments: ReadonlyArray<EnvironmentFacts>;
  /** The environment whose stages are derived. */
  environment: string;
  stagingEnvironment?: string;
  productionEnvironment?: string;
  ci?: CiStageInput;
}

type Status = Pick<
  PipelineStage,
  'status' | 'message' | 'startedAt' | 'finishedAt'
>;

const short = (revision: string) => revision.slice(0, 7);

/** Which configured environments play staging and production. */
export function stageEnvironments(configured: ReadonlyArray<string>): {
  staging?: string;
  production?: string;
} {
  const production = configured.includes('production')
    ? 'production'
    : configured[configured.length - 1];
  const index = production ? configured.indexOf(production) : -1;
  let staging: string | undefined;
  if (configured.includes('staging')) staging = 'staging';
  else if (index > 0) staging = configured[index - 1];
  return { staging, production };
}

/** Images an environment rolls out: canary images where a canary runs. */
export function deployedImages(env: EnvironmentFacts): string[] {
  const images = new Set<string>();
  for (const app of env.applications) app.images.forEach(i => images.add(i));
  for (const r of env.rollouts) r.canaryImages.forEach(i => images.add(i));
  return [...images];
}

function targetImages(env: EnvironmentFacts): string[] {
  const rolloutImages = env.rollouts.flatMap(r =>
    r.fullyPromoted ? r.stableImages : r.canaryImages,
  );
  return rolloutImages.length > 0
    ? [...new Set(rolloutImages)]
    : deployedImages(env);
}

function operationTimes(apps: ApplicationView[]) {
  const op = apps.find(a => a.operation)?.operation;
  return { startedAt: op?.startedAt, finishedAt: op?.finishedAt };
}

/** Status of Argo CD's reconciliation of an environment's applications. */
export function reconcileStatus(apps: ApplicationView[]): Status {
  const times = operationTimes(apps);
  if (apps.length === 0) {
    return { status: 'not-configured', message: 'No Argo CD application' };
  }
  const running = apps.find(a => a.operation?.phase === 'Running');
  if (running) {
    return { status: 'running', message: `${running.name}: syncing`, ...times };
  }
  const failed = apps.find(
    a => a.operation?.phase === 'Failed' || a.operation?.phase === 'Error',
  );
  if (failed) {
    return {
      status: 'failed',
      message: `${failed.name}: sync ${failed.operation?.phase}${
        failed.operation?.message ? `: ${failed.operation.message}` : ''
      }`,
      ...times,
    };
  }
  const drifted = apps.find(a => a.sync.status === 'OutOfSync');
  if (drifted) {
    return {
      status: 'waiting',
      message: `${drifted.name}: OutOfSync (live state differs from git)`,
      ...times,
    };
  }
  if (apps.some(a => a.sync.status === 'Unknown')) {
    return { status: 'unknown', message: 'Sync status unknown', ...times };
  }
  return { status: 'succeeded', message: 'Synced', ...times };
}

function rolloutStatus(rollout: RolloutView): Status | undefined {
  const stepInfo =
    rollout.currentStepIndex !== undefined && rollout.steps.length > 0
      ? ` at step ${Math.min(
          rollout.currentStepIndex + 1,
          rollout.steps.length,
        )}/${rollout.steps.length}`
      : '';
  if (rollout.aborted) {
    return {
      status: 'failed',
      message: `${rollout.name}: aborted${
        rollout.message ? `: ${rollout.message}` : ''
      }`,
    };
  }
  if (rollout.health.status === 'Degraded') {
    return {
      status: 'failed',
      message: `${rollout.name}: degraded${
        rollout.message ? `: ${rollout.message}` : ''
      }`,
    };
  }
  if (rollout.fullyPromoted) return undefined;
  if (rollout.pause) {
    return {
      status: 'running',
      message:
        rollout.strategy === 'blueGreen'
          ? `${rollout.name}: preview waiting for promotion`
          : `${rollout.name}: canary paused${stepInfo} (${rollout.canaryWeight}% canary)`,
      startedAt: rollout.pause.startedAt,
    };
  }
  return {
    status: 'running',
    message:
      rollout.strategy === 'blueGreen'
        ? `${rollout.name}: blue-green rollout in progress`
        : `${rollout.name}: canary${stepInfo} (${rollout.canaryWeight}% canary)`,
  };
}

/** The state of an environment as a whole: apps plus rollouts. */
export function environmentStatus(env: EnvironmentFacts): Status {
  const reconcile = reconcileStatus(env.applications);
  if (reconcile.status === 'not-configured') return reconcile;
  for (const rollout of env.rollouts) {
    const s = rolloutStatus(rollout);
    if (s?.status === 'failed') return s;
  }
  for (const rollout of env.rollouts) {
    const s = rolloutStatus(rollout);
    if (s) return s;
  }
  if (reconcile.status === 'failed' || reconcile.status === 'running') {
    return reconcile;
  }
  const unhealthy = env.applications.find(
    a => a.health.status === 'Degraded' || a.health.status === 'Missing',
  );
  if (unhealthy) {
    return {
      status: 'failed',
      message: `${unhealthy.name}: ${unhealthy.health.status}${
        unhealthy.health.message ? `: ${unhealthy.health.message}` : ''
      }`,
      ...operationTimes(env.applications),
    };
  }
  const progressing = env.applications.find(
    a => a.health.status === 'Progressing' || a.health.status === 'Suspended',
  );
  if (progressing) {
    return {
      status: 'running',
      message: `${progressing.name}: ${progressing.health.status}`,
      ...operationTimes(env.applications),
    };
  }
  if (reconcile.status === 'waiting') return reconcile;
  if (env.applications.every(a => a.health.status === 'Healthy')) {
    return { ...reconcile, status: 'succeeded', message: 'Synced and healthy' };
  }
  return { status: 'unknown', message: 'Health unknown' };
}

function manifestStatus(
  revision: string | undefined,
  apps: ApplicationView[],
): Status {
  if (revision) {
    return { status: 'succeeded', message: `Manifests at ${short(revision)}` };
  }
  if (apps.length === 0) {
    return { status: 'not-configured', message: 'No Argo CD application' };
  }
  return { status: 'unknown', message: 'No revision reported' };
}

function appLinks(apps: ApplicationView[]): DeliveryLink[] {
  return apps.flatMap(a => a.links);
}

function promotionStage(
  input: StagesInput,
  self: EnvironmentFacts,
  targetName: string | undefined,
): Status & { links: DeliveryLink[] } {
  const target = input.environments.find(e => e.name === targetName);
  if (!targetName || !target || target.applications.length === 0) {
    return {
      status: 'not-configured',
      message: targetName
        ? `No ${targetName} application for this entity`
        : 'No such environment is configured',
      links: [],
    };
  }
  const links = appLinks(target.applications);
  if (target.name === self.name) {
    return { ...environmentStatus(target), links };
  }
  const order = input.environments.map(e => e.name);
  const mine = targetImages(self);
  const theirs = new Set(deployedImages(target));
  const arrived = mine.length > 0 && mine.every(i => theirs.has(i));
  if (arrived) return { ...environmentStatus(target), links };
  if (order.indexOf(self.name) > order.indexOf(target.name)) {
    return {
      status: 'succeeded',
      message: `${target.name} now runs other images`,
      links,
    };
  }
  return {
    status: mine.length > 0 ? 'waiting' : 'unknown',
    message:
      mine.length > 0
        ? `Not yet in ${target.name}`
        : `No image known to compare with ${target.name}`,
    links,
  };
}

/**
 * Derives the seven pipeline stages of one environment from what Argo CD,
 * the Rollouts and (when given) the CI source report.
 */
export function deriveStages(input: StagesInput): PipelineStage[] {
  const self = input.environments.find(e => e.name === input.environment);
  if (!self) return [];
  const apps = self.applications;
  const links = appLinks(apps);
  const commit = self.commit;
  const revision =
    commit?.revision ?? apps.find(a => a.sync.revision)?.sync.revision;
  const images = deployedImages(self);
  const stage = (
    name: StageName,
    s: Status,
    extra: Partial<PipelineStage> = {},
  ): PipelineStage => ({ name, links: [], ...s, ...extra });

  const nonGit =
    apps.length > 0 &&
    apps.every(a => a.sourceType === 'helm' || a.sourceType === 'oci');
  return [
    stage(
      'commit',
      commit
        ? {
            status: 'succeeded',
            message: commit.metadata?.message?.split('\n')[0],
            finishedAt: commit.metadata?.date,
          }
        : {
            status: nonGit ? 'not-configured' : 'unknown',
            message: nonGit
              ? 'The application deploys a chart, not a git revision'
              : 'No git revision metadata',
          },
      {
        revision: commit?.revision,
        author: commit?.metadata?.author,
        commitMessage: commit?.metadata?.message,
        links: commit?.url ? [{ title: 'Commit', url: commit.url }] : [],
      },
    ),
    stage(
      'ci',
      input.ci
        ? {
            status: input.ci.status,
            message: input.ci.message,
            startedAt: input.ci.startedAt,
            finishedAt: input.ci.finishedAt,
          }
        : { status: 'not-configured', message: 'No CI source configured' },
      {
        revision: commit?.revision,
        links: input.ci?.url ? [{ title: 'CI run', url: input.ci.url }] : [],
      },
    ),
    stage(
      'image',
      images.length > 0
        ? { status: 'succeeded', message: images.join(', ') }
        : { status: 'unknown', message: 'Argo CD reports no images' },
    ),
    stage('manifest', manifestStatus(revision, apps), { revision, links }),
    stage('reconcile', reconcileStatus(apps), { revision, links }),
    stage('staging', promotionStage(input, self, input.stagingEnvironment)),
    stage(
      'production',
      promotionStage(input, self, input.productionEnvironment),
    ),
  ];
}
