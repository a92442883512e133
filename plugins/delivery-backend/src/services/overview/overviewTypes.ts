import type {
  BackstageCredentials,
  LoggerService,
} from '@backstage/backend-plugin-api';
import type {
  DeliveryOverview,
  RolloutActionView,
  RolloutView,
  SourceStatus,
} from '@gitops-delivery/backstage-plugin-delivery-common';
import type {
  DeliveryOverviewObserver,
  ArgoCdClient,
  ArgoCdAppRef,
  ArgoCdApplication,
  ArgoCdApplicationTree,
  ArgoCdResourceNode,
  ArgoCdResourceRef,
} from '@gitops-delivery/backstage-plugin-delivery-node';
import type { BindingConfig } from '../../binding/readBindingConfig';
import type { DeliveryConfig } from '../../config/readDeliveryConfig';
import type {
  EntityRefParams,
  EntityResolver,
  ResolvedEntity,
} from '../EntityResolver/EntityResolver';
import type {
  AnalysisRunObject,
  ExperimentObject,
  RolloutObject,
  RouterObject,
} from './rolloutTypes';

/** One Argo CD Application of the entity with its live state. @public */
export interface LiveApplication {
  environment: string;
  instance: string;
  ref: ArgoCdAppRef;
  application: ArgoCdApplication;
  /**
   * Absent when the resource tree could not be read, or was not read
   * because the Application manages no Rollout.
   */
  tree?: ArgoCdApplicationTree;
  /**
   * Why its part of the view is incomplete: reads of its tree, Rollouts or
   * AnalysisRuns that failed (empty when none did).
   */
  incomplete?: string[];
}

/** One Rollout of the entity with its live objects. @public */
export interface LiveRollout {
  environment: string;
  instance: string;
  /** The Application the Rollout belongs to (for resource actions). */
  app: ArgoCdAppRef;
  /** The Rollout as a resource of that Application. */
  resource: ArgoCdResourceRef;
  /** The live Rollout object. */
  rollout: RolloutObject;
  /** Live AnalysisRuns of the current revision. */
  analysisRuns: AnalysisRunObject[];
  /** The live Experiment of the current experiment step, when there is one. */
  experiment?: ExperimentObject;
  /** Its traffic routers' resources, read live (VirtualService, Ingress, ...). */
  routerObjects?: RouterObject[];
  /** The same Rollout as it appears in the overview. */
  view: DeliveryOverview['environments'][number]['rollouts'][number];
}

/** The overview plus the live objects it was built from. @public */
export interface DeliveryState {
  entity: ResolvedEntity;
  overview: DeliveryOverview;
  applications: LiveApplication[];
  rollouts: LiveRollout[];
  /** The configured environment names in promotion order (`delivery.environments`). */
  configuredEnvironments?: string[];
}

/** Options of one overview computation. @public */
export interface OverviewOptions {
  /** Bypass cached upstream state (e.g. right before an action). */
  fresh?: boolean;
  /** Run the registered contributors (default true). */
  contributors?: boolean;
}

/**
 * Adds a part of the view from another source (CI, SLOs, scans, policy).
 * Runs after the Argo CD part, in parallel with the other contributors and
 * on its own share of the overview's time budget; it may edit its
 * environments' `summary` and `stages` (replacing them, not mutating them
 * in place: it is given its own copy of each environment, applied to the
 * view only when it finishes in time) and returns its source statuses.
 *
 * @public
 */
export interface OverviewContributor {
  /** Name of the source, used when the contributor itself fails. */
  source: string;
  contribute(
    state: DeliveryState,
    context: { credentials: BackstageCredentials; deadline: number },
  ): Promise<SourceStatus[]>;
  /**
   * Starts, without waiting, reads that `contribute` will make for a
   * Rollout (Argo CD's through the overview's read scope, the signal
   * sources' through their caches), as soon as the Rollout and its
   * Application's tree are read (while its AnalysisRuns are being read),
   * so they overlap instead of adding round trips. Only for reads
   * `contribute` surely makes: anything else is a wasted upstream call.
   */
  prefetch?(rollout: PrefetchTarget): void;
  /**
   * Like `prefetch`, for what an Application says as soon as it is listed
   * (e.g. the commit it deploys), while its tree and Rollouts are read.
   */
  prefetchApplication?(application: ApplicationPrefetchTarget): void;
}

/** A Rollout as soon as it is read, for OverviewContributor.prefetch. @public */
export interface PrefetchTarget {
  instance: string;
  app: ArgoCdAppRef;
  rollout: RolloutObject;
  treeNodes: ArgoCdResourceNode[];
  /** The environment the Rollout's Application is in. */
  environment: string;
  /** Its Application as read, with its tree. */
  application: LiveApplication;
  /** The entity of the overview. */
  entity: ResolvedEntity;
  /**
   * The Rollout as the overview will show it, but for what its
   * AnalysisRuns, Experiment, traffic routers and actions add.
   */
  view: RolloutView;
}

/** A Rollout as loadArgoCdState tells of it (the service adds the rest). */
export type RolloutReadTarget = Omit<PrefetchTarget, 'entity' | 'view'>;

/**
 * An Application as soon as it is listed, for
 * OverviewContributor.prefetchApplication. @public
 */
export interface ApplicationPrefetchTarget {
  instance: string;
  /** The environment the Application is in. */
  environment: string;
  application: ArgoCdApplication;
  /** The entity of the overview. */
  entity: ResolvedEntity;
}

/** An Application as loadArgoCdState tells of it. */
export type ApplicationReadTarget = Omit<ApplicationPrefetchTarget, 'entity'>;

/** Builds the delivery view of catalog entities. @public */
export interface OverviewService {
  /** The delivery view of one entity, as the caller may see it. */
  getOverview(
    ref: EntityRefParams,
    credentials: BackstageCredentials,
    options?: OverviewOptions,
  ): Promise<DeliveryOverview>;
  /** The view plus the live Applications, Rollouts and AnalysisRuns. */
  getDeliveryState(
    ref: EntityRefParams,
    credentials: BackstageCredentials,
    options?: OverviewOptions,
  ): Promise<DeliveryState>;
  /** Registers a contributor (call at plugin start-up). */
  addContributor(contributor: OverviewContributor): void;
  /** Registers an observer of every overview people open (call at plugin start-up). */
  addObserver(observer: DeliveryOverviewObserver): void;
}

/** Options of createOverviewService. @public */
export interface OverviewServiceOptions {
  config: DeliveryConfig;
  argocd: ArgoCdClient;
  entityResolver: EntityResolver;
  logger: LoggerService;
  /** What binds an Application to an entity for actions; default: required, no owner rules. */
  binding?: BindingConfig;
  now?: () => Date;
}

/** A Rollout as read from Argo CD, before it is modelled for the view. */
export type LoadedRollout = Omit<LiveRollout, 'view'> & {
  actions: RolloutActionView[];
};
