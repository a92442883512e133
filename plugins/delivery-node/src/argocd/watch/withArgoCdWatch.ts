import type { LoggerService } from '@backstage/backend-plugin-api';
import type { JsonObject } from '@backstage/types';
import type { ArgoCdClient } from '../ArgoCdClient';
import type { ArgoCdTransport } from '../transport';
import type {
  ArgoCdAppRef,
  ArgoCdApplication,
  ArgoCdApplicationTree,
  ArgoCdResourceAction,
  ArgoCdResourceRef,
} from '../types';
import {
  ApplicationWatch,
  appKeyOf,
  type ArgoCdWatchMode,
  type ArgoCdWatchQuery,
} from './applicationWatch';
import { DEFAULT_WATCH_TIMING, type ArgoCdWatchTiming } from './timing';
import { TreeWatch } from './treeWatch';

/** The longest a watched live-resource read is kept without a change. */
const RESYNC_MS = 30_000;
/** When each watched live-resource read started. */
const readAt = new WeakMap<Promise<unknown>, number>();

/** One change the watch saw. @public */
export interface ArgoCdWatchChange {
  instance: string;
  application: { name: string; appNamespace?: string; project?: string };
  /** The Application itself changed (or was deleted), or its resource tree. */
  kind: 'application' | 'tree';
}

/** Options of the Argo CD watch (`delivery.argocd.watch`). @public */
export interface ArgoCdWatchOptions {
  /** Off: every read goes to Argo CD through the cache, as without a watch. */
  enabled: boolean;
  /** The stream's query per instance (default: all its Applications). */
  queries?: Record<string, ArgoCdWatchQuery>;
  timing?: Partial<ArgoCdWatchTiming>;
  /** Told of every change the streams (or the polling fallback) see. */
  onChange?: (change: ArgoCdWatchChange) => void;
}

/** The watch's state of one instance, for notes and health. @public */
export interface ArgoCdWatchStatus {
  instance: string;
  mode: ArgoCdWatchMode;
  /** Whether views are served from the watched state. */
  serving: boolean;
  /**
   * Why the Application stream is not current (its last failure), until a
   * stream is current again; never holds a credential.
   */
  problem?: string;
  /** How often the instance is listed while it is polled. */
  pollIntervalMs: number;
  /** Open resource-tree streams, and how many of them are healthy. */
  treeStreams: number;
  healthyTreeStreams: number;
  /**
   * The Applications whose tree stream failed and is not current again,
   * with why (redacted); their trees and live resources are read per view
   * meanwhile.
   */
  brokenTrees?: Array<{ name: string; appNamespace?: string; problem: string }>;
}

const ROLLOUT_GROUP = 'argoproj.io';
const UNSETTLED = new Set(['Progressing', 'Suspended', 'Paused']);

/** Whether the Application manages a Rollout that is not settled. */
function canaryInProgress(app: ArgoCdApplication): boolean {
  const resources = (app.status as { resources?: unknown[] } | undefined)
    ?.resources;
  return (Array.isArray(resources) ? resources : []).some(r => {
    const res = r as {
      kind?: string;
      group?: string;
      health?: { status?: string };
    };
    return (
      res.kind === 'Rollout' &&
      res.group === ROLLOUT_GROUP &&
      UNSETTLED.has(res.health?.status ?? '')
    );
  });
}

interface WatchedTree {
  watch: TreeWatch;
  ref: ArgoCdAppRef;
  lastView: number;
  /** Reads of the Application's live resources, per resourceVersion. */
  reads: Map<string, Promise<unknown>>;
}

/**
 * The Argo CD client with watched state: per instance one stream of
 * Applications (see ApplicationWatch) answers `listApplications` and
 * `getApplication` while it is current, and per Application whose tree a
 * view read recently (or whose canary is in progress) a resource-tree
 * stream answers `getResourceTree`, and keys the reads of its live
 * resources (Rollouts, AnalysisRuns, actions) by their resourceVersion in
 * the tree (else by the tree's generation), so
 * they are read again after a tree event, not after a TTL. Everything else,
 * a `fresh` read and any read while a stream is not current goes to the
 * client as before. The streams belong to the client, so their number
 * does not grow with viewers: at most one Application stream per instance
 * and one tree stream per watched Application in this process.
 */
export function withArgoCdWatch(
  client: ArgoCdClient,
  transport: ArgoCdTransport,
  options: ArgoCdWatchOptions & { logger?: LoggerService },
): ArgoCdClient & {
  watchStatus(): ArgoCdWatchStatus[];
  stopWatching(): Promise<void>;
} {
  const timing = { ...DEFAULT_WATCH_TIMING, ...options.timing };
  const { logger } = options;
  const appWatches = new Map<string, ApplicationWatch>();
  const trees = new Map<string, WatchedTree>();
  const treeKey = (instance: string, name: string, appNamespace?: string) =>
    `${instance}\u0000${appKeyOf(name, appNamespace)}`;
  // Applications some view asked the tree of: only their canaries get a
  // tree stream without a viewer.
  const known = new Map<string, { instance: string; ref: ArgoCdAppRef }>();

  const publish = (change: ArgoCdWatchChange) => {
    try {
      options.onChange?.(change);
    } catch (error) {
      logger?.warn(`Argo CD watch listener failed: ${String(error)}`);
    }
  };

  const appWatch = (instance: string): ApplicationWatch | undefined => {
    if (!options.enabled || !client.instanceNames.includes(instance)) {
      return undefined;
    }
    let w = appWatches.get(instance);
    if (!w) {
      w = new ApplicationWatch({
        instance,
        transport,
        query: options.queries?.[instance] ?? {},
        timing,
        logger,
        // a new stream's check list and a read of the same list meanwhile
        // (the fleet's first one, say) share one call
        list: query => client.listApplications(instance, query),
        // a note on the instance's views comes or goes: their entities are
        // told as of a change of each Application the instance streams
        onStatusChange() {
          for (const application of appWatches.get(instance)?.all() ?? []) {
            publish({
              instance,
              application: {
                name: application.metadata.name,
                appNamespace: application.metadata.namespace,
                project: application.spec?.project,
              },
              kind: 'application',
            });
          }
        },
        onChange(application, deleted) {
          const ref = {
            name: application.metadata.name,
            appNamespace: application.metadata.namespace,
            project: application.spec?.project,
          };
          publish({ instance, application: ref, kind: 'application' });
          const key = treeKey(instance, ref.name, ref.appNamespace);
          if (deleted) void stopTree(key);
          else if (known.has(key) && canaryInProgress(application)) {
            ensureTree(instance, ref, false);
          }
        },
      });
      appWatches.set(instance, w);
    }
    w.touch();
    return w;
  };

  const treeTrusted = (instance: string, t: WatchedTree | undefined) =>
    // a proxy that buffers is found out by the Application stream; until it
    // streams again no tree stream of the instance is trusted either
    Boolean(t?.watch.healthy) && appWatches.get(instance)?.mode === 'streaming';

  function ensureTree(
    instance: string,
    ref: ArgoCdAppRef,
    viewed: boolean,
    firstRead?: Promise<ArgoCdApplicationTree>,
  ) {
    const key = treeKey(instance, ref.name, ref.appNamespace);
    known.set(key, { instance, ref });
    const existing = trees.get(key);
    if (existing) {
      if (viewed) existing.lastView = Date.now();
      return existing;
    }
    const entry: WatchedTree = {
      ref,
      lastView: viewed ? Date.now() : 0,
      reads: new Map(),
      watch: new TreeWatch({
        instance,
        app: ref,
        transport,
        timing,
        logger,
        readTree: () => client.getResourceTree(instance, ref, { fresh: true }),
        firstRead,
        onChange() {
          publish({ instance, application: ref, kind: 'tree' });
        },
      }),
    };
    trees.set(key, entry);
    return entry;
  }

  async function stopTree(key: string) {
    const t = trees.get(key);
    if (!t) return;
    trees.delete(key);
    await t.watch.stop();
  }

  // Trees nobody looked at lately and whose canary is settled are let go.
  const sweep = setInterval(() => {
    const now = Date.now();
    for (const [key, t] of trees) {
      const { instance } = known.get(key)!;
      const app = appWatches.get(instance)?.get(t.ref.name, t.ref.appNamespace);
      const progressing = app ? canaryInProgress(app) : false;
      if (now - t.lastView > timing.viewInterestMs && !progressing) {
        void stopTree(key);
      }
    }
  }, Math.min(30_000, timing.viewInterestMs));
  sweep.unref?.();

  /**
   * A live-resource read while the tree is watched: kept until the tree
   * shows the resource at another resourceVersion (a Rollout is read again
   * when it changed, not when one of its pods did); a resource the tree
   * shows without a resourceVersion, or not at all, is read again after
   * every tree event. Either is read again at least every RESYNC_MS.
   */
  function perVersion<T>(
    instance: string,
    app: ArgoCdAppRef,
    what: string,
    resource: ArgoCdResourceRef,
    fresh: boolean | undefined,
    load: (fresh: boolean) => Promise<T>,
  ): Promise<T> {
    const t = trees.get(treeKey(instance, app.name, app.appNamespace));
    const tree = t && treeTrusted(instance, t) ? t.watch.tree : undefined;
    if (fresh || !t || !tree) return load(Boolean(fresh));
    const node = (tree.nodes ?? []).find(
      n =>
        n.kind === resource.kind &&
        (n.group ?? '') === (resource.group ?? '') &&
        n.name === resource.name &&
        (n.namespace ?? '') === (resource.namespace ?? ''),
    );
    // swagger ResourceNode: the resource's own resourceVersion
    const rv = (node as { resourceVersion?: string } | undefined)
      ?.resourceVersion;
    const version = rv ? `rv:${rv}` : `gen:${t.watch.generation}`;
    const id = `${what}\u0000${resource.group}/${resource.kind}/${resource.namespace}/${resource.name}`;
    const key = `${id}\u0000${version}`;
    let p = t.reads.get(key) as Promise<T> | undefined;
    // and, like an informer's resync, read again once RESYNC_MS old: a
    // missed event (or an upstream whose timestamps move without a new
    // resourceVersion, as the time-scaled sandbox's do) is not kept forever
    if (p && Date.now() - (readAt.get(p) ?? 0) >= RESYNC_MS) p = undefined;
    if (!p) {
      for (const k of t.reads.keys()) {
        if (k.startsWith(`${id}\u0000`)) t.reads.delete(k);
      }
      // the cache may hold a state from before the resource's last change
      p = load(true);
      readAt.set(p, Date.now());
      t.reads.set(key, p);
      p.catch(() => {
        if (t.reads.get(key) === p) t.reads.delete(key);
      });
    }
    return p;
  }

  return {
    ...client,

    async listApplications(instance, query, readOptions) {
      const w = appWatch(instance);
      const watched = readOptions?.fresh ? undefined : w?.list(query);
      return watched ?? client.listApplications(instance, query, readOptions);
    },

    async getApplication(instance, app, readOptions) {
      const w = appWatch(instance);
      const watched = readOptions?.fresh
        ? undefined
        : w?.get(app.name, app.appNamespace);
      return watched ?? client.getApplication(instance, app, readOptions);
    },

    async getResourceTree(instance, app, readOptions) {
      if (appWatch(instance)) {
        const key = treeKey(instance, app.name, app.appNamespace);
        // The view that opens a tree stream reads the tree fresh, and that
        // one read seeds the stream too (not a second read of its own).
        const firstRead = trees.has(key)
          ? undefined
          : client.getResourceTree(instance, app, { fresh: true });
        const t = ensureTree(instance, app, true, firstRead);
        if (firstRead) return firstRead;
        if (!readOptions?.fresh && treeTrusted(instance, t) && t.watch.tree) {
          return t.watch.tree;
        }
      }
      return client.getResourceTree(instance, app, readOptions);
    },

    getResource(instance, app, resource, readOptions): Promise<JsonObject> {
      return perVersion(
        instance,
        app,
        'resource',
        resource,
        readOptions?.fresh,
        fresh => client.getResource(instance, app, resource, { fresh }),
      );
    },

    getResourceActions(
      instance,
      app,
      resource,
      readOptions,
    ): Promise<ArgoCdResourceAction[]> {
      return perVersion(
        instance,
        app,
        'actions',
        resource,
        readOptions?.fresh,
        fresh => client.getResourceActions(instance, app, resource, { fresh }),
      );
    },

    async runResourceAction(instance, app, resource, action) {
      try {
        await client.runResourceAction(instance, app, resource, action);
      } finally {
        trees.get(treeKey(instance, app.name, app.appNamespace))?.reads.clear();
      }
    },

    watchStatus() {
      return [...appWatches].map(([instance, w]) => {
        const own = [...known]
          .filter(([key, k]) => k.instance === instance && trees.has(key))
          .map(([key]) => trees.get(key)!);
        // a tree stream's problem is told only while it is not current
        const brokenTrees = own.flatMap(({ watch: { problem }, ref }) =>
          problem
            ? [
                {
                  name: ref.name,
                  ...(ref.appNamespace
                    ? { appNamespace: ref.appNamespace }
                    : {}),
                  problem,
                },
              ]
            : [],
        );
        return {
          instance,
          mode: w.mode,
          serving: w.serving(),
          problem: w.problem,
          pollIntervalMs: timing.pollIntervalMs,
          treeStreams: own.length,
          healthyTreeStreams: own.filter(t => treeTrusted(instance, t)).length,
          ...(brokenTrees.length ? { brokenTrees } : {}),
        };
      });
    },

    async stopWatching() {
      clearInterval(sweep);
      await Promise.all([
        ...[...appWatches.values()].map(w => w.stop()),
        ...[...trees.keys()].map(stopTree),
      ]);
    },
  };
}
