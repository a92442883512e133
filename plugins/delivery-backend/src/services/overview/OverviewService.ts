import type {
  BackstageCredentials,
  LoggerService,
} from '@backstage/backend-plugin-api';
import type {
  DeliveryOverview,
  EnvironmentView,
  RevisionMetadata,
  RolloutActionView,
  SourceStatus,
} from '@gitops-delivery/backstage-plugin-delivery-common';
import type { JsonObject } from '@backstage/types';
import { ANNOTATION_ARGOCD_INSTANCE_NAME } from '@gitops-delivery/backstage-plugin-delivery-common';
import type {
  DeliveryOverviewObserver,
  ArgoCdClient,
  ArgoCdAppRef,
  ArgoCdApplication,
  ArgoCdApplicationTree,
  ArgoCdResourceAction,
  ArgoCdResourceNode,
  ArgoCdResourceRef,
} from '@gitops-delivery/backstage-plugin-delivery-node';
import { bindingOf } from '../../binding/applicationBinding';
import type { BindingConfig } from '../../binding/readBindingConfig';
import type { DeliveryConfig } from '../../config/readDeliveryConfig';
import type {
  EntityRefParams,
  EntityResolver,
  ResolvedEntity,
} from '../EntityResolver/EntityResolver';
import { runInReadScope } from '@gitops-delivery/backstage-plugin-delivery-node';
import { isRunOfCurrentRevision, toAnalysisRunView } from './analysisRunView';
import { revisionMetadataRequests, toApplicationView } from './applicationView';
import { overviewBudget, withDeadline } from './deadline';
import { detectEnvironment, orderEnvironments } from './environment';
import { commitUrl } from './links';
import { analysisRunNamesInStatus, toRolloutView } from './rolloutView';
import { runContributors, runObservers } from './runContributors';
import type { AnalysisRunObject, RolloutObject } from './rolloutTypes';
import {
  deriveStages,
  stageEnvironments,
  type EnvironmentFacts,
} from './stages';

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
   * Starts, without waiting, Argo CD reads that `contribute` will make for
   * a Rollout, as soon as the Rollout and its Application's tree are read
   * (while its AnalysisRuns are being read). The overview's read scope hands
   * them to `contribute` later, so they overlap instead of adding a round
   * trip. Only for reads `contribute` surely makes: anything else is a
   * wasted upstream call.
   */
  prefetch?(rollout: PrefetchTarget): void;
}

/** A Rollout as soon as it is read, for OverviewContributor.prefetch. @public */
export interface PrefetchTarget {
  instance: string;
  app: ArgoCdAppRef;
  rollout: RolloutObject;
  treeNodes: ArgoCdResourceNode[];
}

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

const ROLLOUT_GROUP = 'argoproj.io';

type LoadedRollout = Omit<LiveRollout, 'view'> & {
  actions: RolloutActionView[];
};

function isNode(
  node: ArgoCdResourceNode,
): node is ArgoCdResourceNode & { kind: string; name: string } {
  return typeof node.kind === 'string' && typeof node.name === 'string';
}

function resourceRef(node: ArgoCdResourceNode): ArgoCdResourceRef {
  return {
    group: node.group ?? '',
    version: node.version ?? 'v1alpha1',
    kind: node.kind ?? '',
    namespace: node.namespace ?? '',
    name: node.name ?? '',
  };
}

type RolloutRead = {
  rollout?: JsonObject;
  actions: ArgoCdResourceAction[];
};

const rolloutKey = (r: ArgoCdResourceRef) => `${r.namespace}/${r.name}`;

/** The Rollouts an Application lists among its managed resources. */
function managedRollouts(application: ArgoCdApplication): ArgoCdResourceRef[] {
  return (application.status?.resources ?? [])
    .filter(
      r =>
        r.kind === 'Rollout' &&
        r.group === ROLLOUT_GROUP &&
        typeof r.name === 'string',
    )
    .map(r => ({
      group: ROLLOUT_GROUP,
      version: r.version ?? 'v1alpha1',
      kind: 'Rollout',
      namespace: r.namespace ?? '',
      name: r.name ?? '',
    }));
}

/**
 * Whether the Application's resource tree is worth a call: when it manages a
 * Rollout, or when it does not list what it manages (older or trimmed data).
 */
function needsTree(application: ArgoCdApplication): boolean {
  const managed = application.status?.resources;
  return (
    !Array.isArray(managed) ||
    managed.length === 0 ||
    managedRollouts(application).length > 0
  );
}

function causeOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Creates the OverviewService. @public */
export function createOverviewService(
  options: OverviewServiceOptions,
): OverviewService {
  const { config, argocd, entityResolver, logger } = options;
  const now = options.now ?? (() => new Date());
  const bindingConfig: BindingConfig = options.binding ?? {
    required: true,
    ownerProjects: [],
  };
  const contributors: OverviewContributor[] = [];
  const observers: DeliveryOverviewObserver[] = [];

  async function getDeliveryState(
    ref: EntityRefParams,
    credentials: BackstageCredentials,
    overviewOptions: OverviewOptions = {},
  ): Promise<DeliveryState> {
    const entity = await entityResolver.resolve(ref, credentials);
    const generatedAt = now();
    // Each Argo CD instance has its own share of the budget (see
    // overviewBudget); the contributors have theirs after it.
    const budget = overviewBudget(config.overviewTimeoutMs);
    const deadline = Date.now() + budget.argocdMs;
    const fresh = { fresh: overviewOptions.fresh };
    const withContributors =
      overviewOptions.contributors !== false && contributors.length > 0;
    const { annotations } = entity;
    const warnings = [...entity.warnings];
    const overview: DeliveryOverview = {
      entityRef: entity.entityRef,
      generatedAt: generatedAt.toISOString(),
      annotations,
      warnings,
      sources: [],
      environments: [],
    };
    const state: DeliveryState = {
      entity,
      overview,
      applications: [],
      rollouts: [],
      configuredEnvironments: config.environments,
    };

    if (!annotations.appName && !annotations.appSelector) {
      overview.sources.push({
        source: 'argocd',
        status: 'not-configured',
        message:
          'The entity has no valid argocd/app-name or argocd/app-selector annotation',
      });
      return state;
    }
    const configured = argocd.instanceNames;
    // An instance annotation restricts the search even when nothing it
    // names is usable: a name that is unknown must never widen it to all.
    const restricted = Boolean(
      entity.entity.metadata.annotations?.[
        ANNOTATION_ARGOCD_INSTANCE_NAME
      ]?.trim(),
    );
    const unknown = annotations.instances.filter(i => !configured.includes(i));
    if (unknown.length > 0) {
      warnings.push(
        `Annotation ${ANNOTATION_ARGOCD_INSTANCE_NAME} lists ${unknown
          .map(name => `"${name}"`)
          .join(', ')}, which ${
          unknown.length === 1
            ? 'is not a configured Argo CD instance'
            : 'are not configured Argo CD instances'
        }; ${unknown.length === 1 ? 'it is' : 'they are'} not searched.`,
      );
    }
    const instances = restricted
      ? annotations.instances.filter(i => configured.includes(i))
      : configured;
    if (instances.length === 0) {
      overview.sources.push({
        source: 'argocd',
        status: restricted ? 'error' : 'not-configured',
        message: restricted
          ? `Annotation ${ANNOTATION_ARGOCD_INSTANCE_NAME} names no configured Argo CD instance${
              unknown.length > 0
                ? ` (${unknown.map(name => `"${name}"`).join(', ')} unknown)`
                : ''
            }; nothing is searched`
          : 'No configured Argo CD instance to search',
      });
      return state;
    }

    const errors = new Map<string, string[]>(instances.map(i => [i, []]));
    const note = (instance: string, error: unknown) => {
      const list = errors.get(instance) ?? [];
      const cause = causeOf(error);
      if (!list.includes(cause)) list.push(cause);
      errors.set(instance, list);
    };
    const call = <T>(instance: string, what: string, p: Promise<T>) =>
      withDeadline(p, deadline, `Argo CD instance "${instance}": ${what}`);

    // 1. Find the applications on every searched instance, in parallel, and
    // 2. read each one's details as soon as its instance has listed it: an
    // instance that hangs holds up only its own part.
    const details = await Promise.all(
      instances.map(async instance => {
        try {
          const apps = await call(
            instance,
            'listing applications',
            argocd.listApplications(
              instance,
              {
                selector: annotations.appSelector,
                name: annotations.appSelector ? undefined : annotations.appName,
                projects:
                  annotations.projects.length > 0
                    ? annotations.projects
                    : undefined,
                appNamespace: annotations.appNamespace,
              },
              fresh,
            ),
          );
          return await Promise.all(
            apps.map(application => loadApplication(instance, application)),
          );
        } catch (error) {
          note(instance, error);
          return [];
        }
      }),
    ).then(lists => lists.flat());

    if (
      details.length === 0 &&
      [...errors.values()].every(list => list.length === 0)
    ) {
      warnings.push(
        `No Argo CD application matches ${
          annotations.appSelector
            ? `the selector "${annotations.appSelector}"`
            : `the name "${annotations.appName}"`
        } on ${instances.map(i => `"${i}"`).join(', ')}.`,
      );
    }

    // Per application, in parallel: tree, rollouts, revision metadata.
    async function loadApplication(
      instance: string,
      application: ArgoCdApplication,
    ) {
      const appRef: ArgoCdAppRef = {
        name: application.metadata.name,
        appNamespace: application.metadata.namespace,
        project: application.spec?.project,
      };
      const environment = detectEnvironment(application, {
        environments: config.environments,
        label: config.environmentLabel,
      });
      // The tree serves the Rollouts (ReplicaSets, AnalysisRuns, Pods,
      // scan reports): an Application that lists its managed resources
      // and no Rollout among them costs no tree read.
      const incomplete: string[] = [];
      const noteApp = (error: unknown) => {
        note(instance, error);
        if (!incomplete.includes(causeOf(error))) {
          incomplete.push(causeOf(error));
        }
      };
      const treeLoad = needsTree(application)
        ? call(
            instance,
            `resource tree of ${appRef.name}`,
            argocd.getResourceTree(instance, appRef, fresh),
          ).catch(error => {
            noteApp(error);
            return undefined;
          })
        : Promise.resolve(undefined);
      // The Rollouts the Application manages are listed in its status:
      // read them alongside the tree instead of after it.
      const early = new Map(
        managedRollouts(application).map(resource => [
          rolloutKey(resource),
          readRollout(instance, appRef, resource, noteApp),
        ]),
      );
      const [tree, metadata] = await Promise.all([
        treeLoad,
        loadMetadata(instance, appRef, application),
      ]);
      const live: LiveApplication = {
        environment,
        instance,
        ref: appRef,
        application,
        tree,
        incomplete,
      };
      const rollouts = tree
        ? await loadRollouts(live, tree, early, noteApp)
        : [];
      return { live, metadata, rollouts };
    }

    function readRollout(
      instance: string,
      appRef: ArgoCdAppRef,
      resource: ArgoCdResourceRef,
      noteApp: (error: unknown) => void,
    ): Promise<RolloutRead> {
      const what = `Rollout ${resource.namespace}/${resource.name} of ${appRef.name}`;
      return Promise.all([
        call(
          instance,
          what,
          argocd.getResource(instance, appRef, resource, fresh),
        ).catch(error => {
          noteApp(error);
          return undefined;
        }),
        call(
          instance,
          `actions of ${what}`,
          argocd.getResourceActions(instance, appRef, resource, fresh),
        ).catch(error => {
          note(instance, error);
          return [];
        }),
      ]).then(([rollout, actions]) => ({ rollout, actions }));
    }

    async function loadMetadata(
      instance: string,
      appRef: ArgoCdAppRef,
      application: ArgoCdApplication,
    ): Promise<Map<number, RevisionMetadata>> {
      const result = new Map<number, RevisionMetadata>();
      await Promise.all(
        revisionMetadataRequests(
          application,
          config.argocd.revisionMetadataCount,
        ).map(async request => {
          try {
            const m = await call(
              instance,
              `metadata of revision ${request.revision}`,
              argocd.getRevisionMetadata(
                instance,
                appRef,
                request.revision,
                request.sourceIndex !== undefined
                  ? {
                      sourceIndex: request.sourceIndex,
                      versionId: request.versionId,
                    }
                  : undefined,
              ),
            );
            for (const id of request.historyIds) {
              result.set(id, {
                author: m.author,
                date: m.date,
                message: m.message,
                tags: m.tags,
              });
            }
          } catch (error) {
            note(instance, error);
          }
        }),
      );
      return result;
    }

    async function loadRollouts(
      live: LiveApplication,
      tree: ArgoCdApplicationTree,
      early: Map<string, Promise<RolloutRead>>,
      noteApp: (error: unknown) => void,
    ): Promise<LoadedRollout[]> {
      const nodes = (tree.nodes ?? []).filter(isNode);
      const rolloutNodes = nodes.filter(
        n => n.kind === 'Rollout' && n.group === ROLLOUT_GROUP,
      );
      const loaded = await Promise.all(
        rolloutNodes.map(async node => {
          const resource = resourceRef(node);
          const { rollout, actions } = await (early.get(rolloutKey(resource)) ??
            readRollout(live.instance, live.ref, resource, noteApp));
          if (!rollout) return undefined;
          const rolloutObject = rollout as RolloutObject;
          if (withContributors) {
            for (const c of contributors) {
              try {
                c.prefetch?.({
                  instance: live.instance,
                  app: live.ref,
                  rollout: rolloutObject,
                  treeNodes: tree.nodes ?? [],
                });
              } catch (error) {
                logger.warn(
                  `Delivery overview: ${c.source} prefetch: ${causeOf(error)}`,
                );
              }
            }
          }
          const analysisRuns = await loadAnalysisRuns(
            live,
            nodes,
            node,
            rolloutObject,
            noteApp,
          );
          return {
            environment: live.environment,
            instance: live.instance,
            app: live.ref,
            resource,
            rollout: rolloutObject,
            analysisRuns,
            actions: actions.map(a => ({
              name: a.name,
              disabled: Boolean(a.disabled),
            })),
          };
        }),
      );
      return loaded.filter(<T>(r: T | undefined): r is T => r !== undefined);
    }

    async function loadAnalysisRuns(
      live: LiveApplication,
      nodes: Array<ArgoCdResourceNode & { kind: string; name: string }>,
      rolloutNode: ArgoCdResourceNode,
      rollout: RolloutObject,
      noteApp: (error: unknown) => void,
    ): Promise<AnalysisRunObject[]> {
      const hash = rollout.status?.currentPodHash;
      const named = analysisRunNamesInStatus(rollout);
      const name = rolloutNode.name ?? '';
      // Runs are named <rollout>-<pod hash>-<revision>[-<step>]; only the
      // current revision's are fetched.
      const candidates = nodes.filter(
        n =>
          n.kind === 'AnalysisRun' &&
          n.namespace === rolloutNode.namespace &&
          (named.includes(n.name) ||
            (hash !== undefined && n.name.startsWith(`${name}-${hash}-`))),
      );
      const runs = await Promise.all(
        candidates.map(node =>
          call(
            live.instance,
            `AnalysisRun ${node.namespace}/${node.name}`,
            argocd.getResource(
              live.instance,
              live.ref,
              resourceRef(node),
              fresh,
            ),
          ).catch(error => {
            noteApp(error);
            return undefined;
          }),
        ),
      );
      return runs
        .filter((r): r is NonNullable<typeof r> => r !== undefined)
        .map(r => r as AnalysisRunObject)
        .filter(r => isRunOfCurrentRevision(r, hash, named));
    }

    // 3. Assemble the environments in order.
    const byEnvironment = new Map<string, EnvironmentFacts>();
    for (const name of orderEnvironments(
      details.map(d => d.live.environment),
      config.environments,
    )) {
      byEnvironment.set(name, { name, applications: [], rollouts: [] });
    }
    for (const { live, metadata, rollouts } of details) {
      const facts = byEnvironment.get(live.environment)!;
      const links = [
        {
          title: `Argo CD (${live.instance})`,
          url: argocd.applicationUrl(live.instance, live.ref),
        },
      ];
      const view = toApplicationView({
        instance: live.instance,
        app: live.application,
        metadata,
        links,
        binding: bindingOf({
          entity: entity.entity,
          instance: live.instance,
          application: live.application,
          config: bindingConfig,
        }),
      });
      facts.applications.push(view);
      state.applications.push(live);
      const syncRevision = metadata.has(-1)
        ? live.application.status?.sync?.revisions?.find(r =>
            /^[0-9a-f]{7,64}$/.test(r),
          ) ?? live.application.status?.sync?.revision
        : undefined;
      if (!facts.commit && syncRevision) {
        facts.commit = {
          revision: syncRevision,
          metadata: metadata.get(-1),
          url: commitUrl(view.repoURL, syncRevision),
        };
      }
      for (const r of rollouts) {
        const rolloutView = toRolloutView({
          instance: live.instance,
          application: live.ref.name,
          appNamespace: live.ref.appNamespace,
          rollout: r.rollout,
          treeNodes: live.tree?.nodes ?? [],
          analysisRuns: r.analysisRuns.map(toAnalysisRunView),
          actions: r.actions,
          now: generatedAt,
        });
        rolloutView.binding = view.binding;
        facts.rollouts.push(rolloutView);
        const { actions: _actions, ...rest } = r;
        state.rollouts.push({ ...rest, view: rolloutView });
      }
    }
    const facts = [...byEnvironment.values()];
    const { staging, production } = stageEnvironments(config.environments);
    overview.environments = facts.map(
      (f): EnvironmentView => ({
        name: f.name,
        applications: f.applications,
        rollouts: f.rollouts,
        stages: deriveStages({
          environments: facts,
          environment: f.name,
          stagingEnvironment: staging,
          productionEnvironment: production,
        }),
      }),
    );
    for (const instance of instances) {
      const list = errors.get(instance) ?? [];
      overview.sources.push(
        list.length === 0
          ? { source: 'argocd', instance, status: 'ok' }
          : {
              source: 'argocd',
              instance,
              status: 'error',
              message: list.join('; '),
            },
      );
    }

    if (overviewOptions.contributors !== false) {
      const [statuses] = await Promise.all([
        withContributors
          ? runContributors(contributors, state, {
              credentials,
              budgetMs: budget.contributorMs,
              logger,
            })
          : [],
        runObservers(observers, state, {
          budgetMs: budget.contributorMs,
          logger,
        }),
      ]);
      overview.sources.push(...statuses);
    }
    return state;
  }

  // One overview is one read scope: its parts (view, scanners, policy)
  // share the Argo CD reads they have in common, whatever the cache TTL.
  const scoped: typeof getDeliveryState = (...args) =>
    runInReadScope(() => getDeliveryState(...args));

  return {
    getDeliveryState: scoped,
    async getOverview(ref, credentials, overviewOptions) {
      return (await scoped(ref, credentials, overviewOptions)).overview;
    },
    addContributor(contributor) {
      contributors.push(contributor);
    },
    addObserver(observer) {
      observers.push(observer);
    },
  };
}
