import type { RevisionMetadata } from '@gitops-delivery/backstage-plugin-delivery-common';
import type { JsonObject } from '@backstage/types';
import type { ResolvedEntity } from '../EntityResolver/EntityResolver';
import type {
  ArgoCdClient,
  ArgoCdAppRef,
  ArgoCdApplication,
  ArgoCdApplicationTree,
  ArgoCdResourceAction,
  ArgoCdResourceNode,
  ArgoCdResourceRef,
} from '@gitops-delivery/backstage-plugin-delivery-node';
import {
  deploymentReads,
  managedDeployments,
  withoutWorkloadRefs,
  type LoadedDeployment,
} from './deploymentResources';
import { revisionMetadataRequests } from './applicationView';
import { withDeadline } from './deadline';
import { detectEnvironment } from './environment';
import type {
  LiveApplication,
  ApplicationReadTarget,
  LoadedRollout,
  RolloutReadTarget,
} from './overviewTypes';
import { readAnalysisRuns } from './readAnalysisRuns';
import { analysisRunNamesInStatus } from './rolloutView';
import {
  isNode,
  keyOf,
  managedRollouts,
  needsTree,
  resourceRef,
  ROLLOUT_GROUP,
  type NamedNode,
} from './rolloutResources';
import type {
  AnalysisRunObject,
  ExperimentObject,
  RolloutObject,
  RouterObject,
} from './rolloutTypes';
import { routerResourceNodes } from './trafficRouting';

/** One Application as read from Argo CD, with what the view needs of it. */
export interface LoadedApplication {
  live: LiveApplication;
  /** Revision metadata by history id (-1: the synced revision). */
  metadata: Map<number, RevisionMetadata>;
  rollouts: LoadedRollout[];
  /** Its plain Deployments (not a Rollout's workloadRef). */
  deployments?: LoadedDeployment[];
}

/** What the Argo CD reads of one overview found, and what failed. */
export interface ArgoCdLoad {
  applications: LoadedApplication[];
  /** Distinct failure causes per searched instance (empty: it answered). */
  errors: Map<string, string[]>;
}

/** Options of loadArgoCdState. */
export interface LoadArgoCdStateOptions {
  argocd: ArgoCdClient;
  annotations: ResolvedEntity['annotations'];
  /** The instances to search (see searchScope). */
  instances: string[];
  /** Epoch ms by which every read must have answered. */
  deadline: number;
  /** Bypass cached upstream state. */
  fresh?: boolean;
  /** How environments are told apart (`delivery.environments`, label). */
  environments: { environments: string[]; label: string };
  /** How many git revisions of the history get their metadata read. */
  revisionMetadataCount: number;
  /** Told of each Rollout as soon as it is read (contributors' prefetch). */
  onRolloutRead?: (target: RolloutReadTarget) => void;
  /** Told of each Application as soon as it is listed (contributors' prefetch). */
  onApplicationRead?: (target: ApplicationReadTarget) => void;
}

/**
 * A Rollout's reads, started as soon as its name is known: the object, its
 * actions, and the AnalysisRuns its status names (started the moment the
 * object is read, alongside the tree instead of after it).
 */
interface RolloutReads {
  rollout: Promise<JsonObject | undefined>;
  actions: Promise<ArgoCdResourceAction[]>;
  /** Reads of the AnalysisRuns its status names, by name; failures not noted yet. */
  analysisRuns: Map<
    string,
    { ref: ArgoCdResourceRef; read: Promise<JsonObject> }
  >;
}

/** The reads of one overview: its client, deadline and error notes. */
interface LoadContext extends LoadArgoCdStateOptions {
  note(instance: string, error: unknown): void;
  call<T>(instance: string, what: string, p: Promise<T>): Promise<T>;
}

/** An Application's reads: its instance, ref and what failed of it. */
interface AppContext {
  instance: string;
  ref: ArgoCdAppRef;
  /** Notes a failure that leaves the Application's part incomplete. */
  noteApp(error: unknown): void;
}

function causeOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Reads the entity's Argo CD part: every searched instance lists the
 * entity's Applications in parallel, and each Application's details (tree,
 * Rollouts, AnalysisRuns, revision metadata) are read as soon as its
 * instance has listed it, so an instance that hangs holds up only its own
 * part. No read outlives the deadline; each failure is noted against its
 * instance and the rest is kept.
 */
export async function loadArgoCdState(
  options: LoadArgoCdStateOptions,
): Promise<ArgoCdLoad> {
  const errors = new Map<string, string[]>(options.instances.map(i => [i, []]));
  const ctx: LoadContext = {
    ...options,
    note(instance, error) {
      const list = errors.get(instance) ?? [];
      const cause = causeOf(error);
      if (!list.includes(cause)) list.push(cause);
      errors.set(instance, list);
    },
    call: (instance, what, p) =>
      withDeadline(
        p,
        options.deadline,
        `Argo CD instance "${instance}": ${what}`,
      ),
  };
  const lists = await Promise.all(
    options.instances.map(instance => loadInstance(ctx, instance)),
  );
  return { applications: lists.flat(), errors };
}

async function loadInstance(
  ctx: LoadContext,
  instance: string,
): Promise<LoadedApplication[]> {
  const { annotations } = ctx;
  try {
    const apps = await ctx.call(
      instance,
      'listing applications',
      ctx.argocd.listApplications(
        instance,
        {
          selector: annotations.appSelector,
          name: annotations.appSelector ? undefined : annotations.appName,
          projects:
            annotations.projects.length > 0 ? annotations.projects : undefined,
          appNamespace: annotations.appNamespace,
        },
        { fresh: ctx.fresh },
      ),
    );
    return await Promise.all(
      apps.map(application => loadApplication(ctx, instance, application)),
    );
  } catch (error) {
    ctx.note(instance, error);
    return [];
  }
}

/** One Application's tree, Rollouts and revision metadata, in parallel. */
async function loadApplication(
  ctx: LoadContext,
  instance: string,
  application: ArgoCdApplication,
): Promise<LoadedApplication> {
  const ref: ArgoCdAppRef = {
    name: application.metadata.name,
    appNamespace: application.metadata.namespace,
    project: application.spec?.project,
  };
  const incomplete: string[] = [];
  const app: AppContext = {
    instance,
    ref,
    noteApp(error) {
      ctx.note(instance, error);
      if (!incomplete.includes(causeOf(error))) incomplete.push(causeOf(error));
    },
  };
  // The tree serves the Rollouts (ReplicaSets, AnalysisRuns, Pods, scan
  // reports) and the Deployments (ReplicaSets, Pods): an Application that
  // lists its managed resources and neither among them costs no tree read.
  const treeLoad =
    needsTree(application) || managedDeployments(application).length > 0
      ? ctx
          .call(
            instance,
            `resource tree of ${ref.name}`,
            ctx.argocd.getResourceTree(instance, ref, { fresh: ctx.fresh }),
          )
          .catch(error => {
            app.noteApp(error);
            return undefined;
          })
      : Promise.resolve(undefined);
  // The Rollouts the Application manages are listed in its status: read
  // them alongside the tree instead of after it.
  const early = new Map(
    managedRollouts(application).map(resource => [
      keyOf(resource),
      readRollout(ctx, app, resource),
    ]),
  );
  // Its Deployments, like its Rollouts, are read alongside the tree.
  const deployments = deploymentReads(application, resource =>
    ctx
      .call(
        instance,
        `Deployment ${resource.namespace}/${resource.name} of ${ref.name}`,
        ctx.argocd.getResource(instance, ref, resource, { fresh: ctx.fresh }),
      )
      .catch(error => {
        app.noteApp(error);
        return undefined;
      }),
  );
  // the Rollouts' reads do not wait for the revision metadata either
  const metadataLoad = loadMetadata(ctx, app, application);
  const environment = detectEnvironment(application, ctx.environments);
  ctx.onApplicationRead?.({ instance, environment, application });
  const tree = await treeLoad;
  const live: LiveApplication = {
    environment,
    instance,
    ref,
    application,
    tree,
    incomplete,
  };
  const [rollouts, plain, metadata] = await Promise.all([
    tree ? loadRollouts(ctx, app, live, tree, early) : [],
    deployments.all(tree?.nodes ?? []),
    metadataLoad,
  ]);
  return {
    live,
    metadata,
    rollouts,
    deployments: withoutWorkloadRefs(
      plain,
      rollouts.map(r => r.rollout),
    ),
  };
}

function readRollout(
  ctx: LoadContext,
  app: AppContext,
  resource: ArgoCdResourceRef,
): RolloutReads {
  const { instance, ref } = app;
  const what = `Rollout ${resource.namespace}/${resource.name} of ${ref.name}`;
  const fresh = { fresh: ctx.fresh };
  const analysisRuns: RolloutReads['analysisRuns'] = new Map();
  const rollout = ctx
    .call(
      instance,
      what,
      ctx.argocd.getResource(instance, ref, resource, fresh),
    )
    .then(object => {
      // Its AnalysisRuns' names are in its status: read them now, while
      // the tree (which confirms them) may still be on its way.
      for (const name of analysisRunNamesInStatus(object as RolloutObject)) {
        const run: ArgoCdResourceRef = {
          group: ROLLOUT_GROUP,
          version: 'v1alpha1',
          kind: 'AnalysisRun',
          namespace: resource.namespace,
          name,
        };
        const read = ctx.call(
          instance,
          `AnalysisRun ${run.namespace}/${run.name}`,
          ctx.argocd.getResource(instance, ref, run, fresh),
        );
        // noted by loadAnalysisRuns when the tree lists it, else unused
        read.catch(() => {});
        analysisRuns.set(name, { ref: run, read });
      }
      return object;
    })
    .catch(error => {
      app.noteApp(error);
      return undefined;
    });
  const actions = ctx
    .call(
      instance,
      `actions of ${what}`,
      ctx.argocd.getResourceActions(instance, ref, resource, fresh),
    )
    .catch((error): ArgoCdResourceAction[] => {
      ctx.note(instance, error);
      return [];
    });
  return { rollout, actions, analysisRuns };
}

async function loadMetadata(
  ctx: LoadContext,
  app: AppContext,
  application: ArgoCdApplication,
): Promise<Map<number, RevisionMetadata>> {
  const { instance, ref } = app;
  const result = new Map<number, RevisionMetadata>();
  await Promise.all(
    revisionMetadataRequests(application, ctx.revisionMetadataCount).map(
      async request => {
        try {
          const m = await ctx.call(
            instance,
            `metadata of revision ${request.revision}`,
            ctx.argocd.getRevisionMetadata(
              instance,
              ref,
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
          ctx.note(instance, error);
        }
      },
    ),
  );
  return result;
}

async function loadRollouts(
  ctx: LoadContext,
  app: AppContext,
  live: LiveApplication,
  tree: ArgoCdApplicationTree,
  early: Map<string, RolloutReads>,
): Promise<LoadedRollout[]> {
  const nodes = (tree.nodes ?? []).filter(isNode);
  const rolloutNodes = nodes.filter(
    n => n.kind === 'Rollout' && n.group === ROLLOUT_GROUP,
  );
  const loaded = await Promise.all(
    rolloutNodes.map(async (node): Promise<LoadedRollout | undefined> => {
      const resource = resourceRef(node);
      const reads =
        early.get(keyOf(resource)) ?? readRollout(ctx, app, resource);
      const rollout = await reads.rollout;
      if (!rollout) {
        await reads.actions;
        return undefined;
      }
      const rolloutObject = rollout as RolloutObject;
      ctx.onRolloutRead?.({
        instance: live.instance,
        app: live.ref,
        rollout: rolloutObject,
        treeNodes: tree.nodes ?? [],
        environment: live.environment,
        application: live,
      });
      // the reads the tree names do not wait for its actions
      const [analysisRuns, experiment, routerObjects, actions] =
        await Promise.all([
          loadAnalysisRuns(ctx, app, nodes, node, rolloutObject, reads),
          loadExperiment(ctx, app, nodes, node, rolloutObject),
          loadRouterObjects(ctx, app, nodes, node, rolloutObject),
          reads.actions,
        ]);
      return {
        environment: live.environment,
        instance: live.instance,
        app: live.ref,
        resource,
        rollout: rolloutObject,
        analysisRuns,
        ...(experiment ? { experiment } : {}),
        ...(routerObjects.length ? { routerObjects } : {}),
        actions: actions.map(a => ({
          name: a.name,
          disabled: Boolean(a.disabled),
        })),
      };
    }),
  );
  return loaded.filter(<T>(r: T | undefined): r is T => r !== undefined);
}

/** The AnalysisRuns of the Rollout's current revision, read from the tree. */
function loadAnalysisRuns(
  ctx: LoadContext,
  app: AppContext,
  nodes: NamedNode[],
  rolloutNode: ArgoCdResourceNode,
  rollout: RolloutObject,
  reads: Pick<RolloutReads, 'analysisRuns'>,
): Promise<AnalysisRunObject[]> {
  return readAnalysisRuns(nodes, rolloutNode, rollout, node => {
    const ref = resourceRef(node);
    // the read started when the Rollout named it, if it is this one
    const started = reads.analysisRuns.get(node.name);
    return (
      started && sameResource(started.ref, ref)
        ? started.read
        : ctx.call(
            app.instance,
            `AnalysisRun ${node.namespace}/${node.name}`,
            ctx.argocd.getResource(app.instance, app.ref, ref, {
              fresh: ctx.fresh,
            }),
          )
    ).catch(error => {
      app.noteApp(error);
      return undefined;
    });
  });
}

/** Whether two references name the same resource (and read the same URL). */
function sameResource(a: ArgoCdResourceRef, b: ArgoCdResourceRef): boolean {
  return (
    a.group === b.group &&
    a.version === b.version &&
    a.kind === b.kind &&
    a.namespace === b.namespace &&
    a.name === b.name
  );
}

/**
 * The resources the canary's traffic routers write weights to, read live
 * (those the tree has), for the weight each actually routes.
 */
async function loadRouterObjects(
  ctx: LoadContext,
  app: AppContext,
  nodes: NamedNode[],
  rolloutNode: ArgoCdResourceNode,
  rollout: RolloutObject,
): Promise<RouterObject[]> {
  const wanted = routerResourceNodes(
    rollout.spec?.strategy?.canary?.trafficRouting,
    rolloutNode.name ?? '',
    rolloutNode.namespace ?? '',
    nodes,
  );
  const read = await Promise.all(
    wanted.map(node =>
      ctx
        .call(
          app.instance,
          `${node.kind} ${node.namespace}/${node.name}`,
          ctx.argocd.getResource(app.instance, app.ref, resourceRef(node), {
            fresh: ctx.fresh,
          }),
        )
        .then(object => ({
          kind: node.kind ?? '',
          namespace: node.namespace ?? '',
          name: node.name ?? '',
          object,
        }))
        .catch(error => {
          app.noteApp(error);
          return undefined;
        }),
    ),
  );
  return read.filter((r): r is NonNullable<typeof r> => r !== undefined);
}

/**
 * The Experiment of the Rollout's current experiment step
 * (`status.canary.currentExperiment`), read live when the tree has it.
 */
async function loadExperiment(
  ctx: LoadContext,
  app: AppContext,
  nodes: NamedNode[],
  rolloutNode: ArgoCdResourceNode,
  rollout: RolloutObject,
): Promise<ExperimentObject | undefined> {
  const name = rollout.status?.canary?.currentExperiment;
  if (!name) return undefined;
  const node = nodes.find(
    n =>
      n.kind === 'Experiment' &&
      n.group === ROLLOUT_GROUP &&
      n.name === name &&
      n.namespace === rolloutNode.namespace,
  );
  if (!node) return undefined;
  return ctx
    .call(
      app.instance,
      `Experiment ${node.namespace}/${node.name}`,
      ctx.argocd.getResource(app.instance, app.ref, resourceRef(node), {
        fresh: ctx.fresh,
      }),
    )
    .then(e => e as ExperimentObject | undefined)
    .catch(error => {
      app.noteApp(error);
      return undefined;
    });
}
