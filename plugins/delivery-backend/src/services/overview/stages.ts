import type {
  ApplicationView,
  DeliveryLink,
  DeploymentView,
  PipelineStage,
  RevisionMetadata,
  RolloutView,
  StageName,
  StageStatus,
} from '@gitops-delivery/backstage-plugin-delivery-common';
import {
  environmentStatus,
  reconcileStatus,
  rolloutStatus,
  type EnvironmentStatus,
} from './environmentStatus';

/** What the stages of one environment are derived from. @public */
export interface EnvironmentFacts {
  name: string;
  applications: ApplicationView[];
  rollouts: RolloutView[];
  /** Its plain Deployments (rolling update or recreate), when it has any. */
  deployments?: DeploymentView[];
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

type Status = EnvironmentStatus;

const short = (revision: string) => revision.slice(0, 7);

export { environmentStatus, reconcileStatus } from './environmentStatus';

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

type StageStatusWithLinks = Status & {
  links: DeliveryLink[];
  environment?: string;
};

const imageList = (images: string[]) =>
  images.length > 0 ? images.join(', ') : 'no known image';

/**
 * Where this change (the images `mine`) is in another environment that runs
 * it: its canary there, or its state when it is the environment's stable
 * (or only) version.
 */
function changeIn(target: EnvironmentFacts, mine: string[]): Status {
  const canary = target.rollouts.find(
    r => !r.fullyPromoted && mine.every(i => r.canaryImages.includes(i)),
  );
  if (canary) {
    const state = rolloutStatus(canary);
    if (state?.status === 'failed') {
      return { ...state, message: `In ${target.name}: ${state.message}` };
    }
    const step =
      canary.currentStepIndex !== undefined && canary.steps.length > 0
        ? ` at step ${Math.min(
            canary.currentStepIndex + 1,
            canary.steps.length,
          )}/${canary.steps.length}`
        : '';
    if (canary.strategy === 'blueGreen') {
      return {
        status: 'running',
        message: `Preview in ${target.name}, waiting for promotion`,
        startedAt: canary.pause?.startedAt,
      };
    }
    return {
      status: 'running',
      message: `Canary in ${target.name}: ${canary.canaryWeight}%${step}${
        canary.pause ? ', paused' : ''
      }`,
      startedAt: canary.pause?.startedAt,
    };
  }
  const state = environmentStatus(target);
  if (state.status === 'succeeded') {
    return { ...state, message: `Runs in ${target.name}, healthy` };
  }
  return {
    ...state,
    message: `In ${target.name}: ${state.message ?? state.status}`,
  };
}

/**
 * The `staging` or `production` stage of one environment's row. For the
 * environment that plays that role, it is the environment's own rollout and
 * health. For any other environment it says where this row's change (the
 * same images) is in the role's environment: rolling out, running, failed,
 * or not reached; `environment` names the environment it reports on.
 */
function promotionStage(
  input: StagesInput,
  self: EnvironmentFacts,
  targetName: string | undefined,
): StageStatusWithLinks {
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
  const about = { environment: target.name, links };
  const order = input.environments.map(e => e.name);
  const mine = targetImages(self);
  if (mine.length === 0) {
    return {
      status: 'unknown',
      message: `No image known to compare with ${target.name}`,
      ...about,
    };
  }
  const theirs = deployedImages(target);
  if (mine.every(i => theirs.includes(i))) {
    return { ...changeIn(target, mine), ...about };
  }
  if (order.indexOf(self.name) > order.indexOf(target.name)) {
    return {
      status: 'succeeded',
      message: `Passed; ${target.name} now runs ${imageList(theirs)}`,
      ...about,
    };
  }
  return {
    status: 'waiting',
    message: `Not reached: ${target.name} runs ${imageList(theirs)}`,
    ...about,
  };
}

/**
 * Derives the seven pipeline stages of one environment from what Argo CD,
 * the Rollouts and (when given) the CI source report. Every stage describes
 * this environment: its own sync, health and rollout, and, in the staging
 * and production stages of other environments' rows, where its change is.
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

  const ownStage =
    self.name === input.stagingEnvironment ||
    self.name === input.productionEnvironment;
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
    // An environment without a stage of its own (e.g. dev) shows its health
    // and rollout here; staging and production show theirs in their stage.
    stage(
      'reconcile',
      ownStage ? reconcileStatus(apps) : environmentStatus(self),
      { revision, links },
    ),
    stage('staging', promotionStage(input, self, input.stagingEnvironment)),
    stage(
      'production',
      promotionStage(input, self, input.productionEnvironment),
    ),
  ];
}
