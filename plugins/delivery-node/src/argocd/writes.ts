import type { JsonObject } from '@backstage/types';
import type { CoalescingCache } from '../cache/createCoalescingCache';
import type { ArgoCdClient } from './ArgoCdClient';
import { ArgoCdError } from './ArgoCdError';
import { forgetScopedRead } from './readScope';
import {
  appPath,
  appQuery,
  enc,
  resourceQuery,
  type ArgoCdTransport,
  type Call,
} from './transport';
import type {
  ArgoCdAppRef,
  ArgoCdApplication,
  ArgoCdDesiredApplication,
  ArgoCdProject,
} from './types';

/** One resource a sync is limited to (swagger `v1alpha1SyncOperationResource`). @public */
export interface ArgoCdSyncResource {
  /** The API group; empty for the core group. */
  group: string;
  kind: string;
  namespace?: string;
  name: string;
}

/** What a sync does (swagger `applicationApplicationSyncRequest`). @public */
export interface ArgoCdSyncRequest {
  /** Delete the resources Git no longer has. */
  prune?: boolean;
  /** Only these resources; all when absent or empty. */
  resources?: ArgoCdSyncResource[];
  /** Sync options such as `ApplyOutOfSyncOnly=true` (swagger `applicationSyncOptions`). */
  syncOptions?: string[];
}

type Writes = Pick<
  ArgoCdClient,
  | 'runResourceAction'
  | 'refreshApplication'
  | 'syncApplication'
  | 'rollbackApplication'
  | 'getProject'
  | 'createProject'
  | 'updateProject'
  | 'createApplication'
  | 'updateApplication'
>;

/**
 * The calls of the Argo CD client that change state (and the project read
 * that goes with them): never cached; each drops the cached reads it makes
 * stale.
 */
export function createArgoCdWrites(ctx: {
  transport: ArgoCdTransport;
  cache: CoalescingCache;
  withProject(instance: string, app: ArgoCdAppRef): ArgoCdAppRef;
  cacheKey(instance: string, call: Call): string;
}): Writes {
  const { transport, cache, withProject, cacheKey } = ctx;

  const forget = (instance: string, calls: Call[]) =>
    Promise.all(
      calls.map(call => {
        const key = cacheKey(instance, call);
        forgetScopedRead(key);
        return cache.invalidate(key);
      }),
    );

  const isObject = (v: unknown): v is Record<string, unknown> =>
    typeof v === 'object' && v !== null && !Array.isArray(v);

  /** A write's answer: the object it wrote, as Argo CD stored it. */
  async function write<T>(
    instance: string,
    call: Call,
    signal?: AbortSignal,
  ): Promise<T> {
    const result = await transport.send(instance, call, { signal });
    if (!isObject(result) || !isObject(result.metadata)) {
      throw transport.fail(
        instance,
        'malformed-response',
        `${call.method} ${call.path}: unexpected response shape`,
      );
    }
    return result as T;
  }

  const projectPath = (name: string) => `/api/v1/projects/${enc(name)}`;

  /** The body fields that name the application (its namespace and project). */
  const appFields = (app: ArgoCdAppRef) => ({
    name: app.name,
    ...(app.appNamespace ? { appNamespace: app.appNamespace } : {}),
    ...(app.project ? { project: app.project } : {}),
  });

  /** Drops the cached application and tree after a write that changes them. */
  const forgetApp = (instance: string, app: ArgoCdAppRef) =>
    forget(instance, [
      { method: 'GET', path: appPath(app), query: appQuery(app) },
      {
        method: 'GET',
        path: `${appPath(app)}/resource-tree`,
        query: appQuery(app),
      },
    ]);

  return {
    async runResourceAction(instance, appRef, resource, action) {
      const app = withProject(instance, appRef);
      const path = `${appPath(app)}/resource/actions`;
      try {
        await transport.send(instance, {
          method: 'POST',
          path: `${path}/v2`,
          body: {
            name: app.name,
            ...(app.appNamespace ? { appNamespace: app.appNamespace } : {}),
            ...(app.project ? { project: app.project } : {}),
            namespace: resource.namespace,
            resourceName: resource.name,
            version: resource.version,
            group: resource.group,
            kind: resource.kind,
            action,
          },
        });
      } catch (error) {
        // Argo CD before 3.1 has no v2 route: its router answers 404/405
        // without the JSON error envelope of a real application error.
        const routeMissing =
          error instanceof ArgoCdError &&
          (error.status === 405 ||
            (error.status === 404 && /HTTP 404$/.test(error.message)));
        if (!routeMissing) throw error;
        await transport.send(instance, {
          method: 'POST',
          path,
          query: resourceQuery(app, resource),
          body: action,
        });
      }
      await forget(instance, [
        { method: 'GET', path, query: resourceQuery(app, resource) },
        {
          method: 'GET',
          path: `${appPath(app)}/resource`,
          query: resourceQuery(app, resource),
        },
        {
          method: 'GET',
          path: `${appPath(app)}/resource-tree`,
          query: appQuery(app),
        },
      ]);
    },

    async refreshApplication(instance, appRef, hard, options) {
      const app = withProject(instance, appRef);
      // Argo CD answers a refresh with the application once it has been
      // reconciled (or after its own timeout with the state it has)
      const result = await write<ArgoCdApplication>(
        instance,
        {
          method: 'GET',
          path: appPath(app),
          query: { ...appQuery(app), refresh: hard ? 'hard' : 'normal' },
        },
        options?.signal,
      );
      await forgetApp(instance, app);
      return result;
    },

    async syncApplication(instance, appRef, request, options) {
      const app = withProject(instance, appRef);
      const resources = request.resources ?? [];
      const result = await write<ArgoCdApplication>(
        instance,
        {
          method: 'POST',
          path: `${appPath(app)}/sync`,
          body: {
            ...appFields(app),
            prune: request.prune === true,
            dryRun: false,
            ...(resources.length > 0
              ? {
                  resources: resources.map(r => ({
                    group: r.group,
                    kind: r.kind,
                    name: r.name,
                    ...(r.namespace ? { namespace: r.namespace } : {}),
                  })),
                }
              : {}),
            ...(request.syncOptions?.length
              ? { syncOptions: { items: request.syncOptions } }
              : {}),
          },
        },
        options?.signal,
      );
      await forgetApp(instance, app);
      return result;
    },

    async rollbackApplication(instance, appRef, id, request, options) {
      const app = withProject(instance, appRef);
      const result = await write<ArgoCdApplication>(
        instance,
        {
          method: 'POST',
          path: `${appPath(app)}/rollback`,
          body: {
            ...appFields(app),
            id,
            prune: request?.prune === true,
            dryRun: false,
          },
        },
        options?.signal,
      );
      await forgetApp(instance, app);
      return result;
    },

    async getProject(instance, name, options) {
      return write<ArgoCdProject>(
        instance,
        { method: 'GET', path: projectPath(name) },
        options?.signal,
      );
    },

    async createProject(instance, project, options) {
      return write<ArgoCdProject>(
        instance,
        {
          method: 'POST',
          path: '/api/v1/projects',
          body: { project: project as unknown as JsonObject, upsert: false },
        },
        options?.signal,
      );
    },

    async updateProject(instance, project, options) {
      return write<ArgoCdProject>(
        instance,
        {
          method: 'PUT',
          path: projectPath(project.metadata.name),
          body: { project: project as unknown as JsonObject },
        },
        options?.signal,
      );
    },

    async createApplication(instance, app, options) {
      return write<ArgoCdDesiredApplication>(
        instance,
        {
          method: 'POST',
          path: '/api/v1/applications',
          query: { upsert: 'false', validate: 'true' },
          body: app as unknown as JsonObject,
        },
        options?.signal,
      );
    },

    async updateApplication(instance, app, options) {
      const ref = { name: app.metadata.name, project: app.spec.project };
      const result = await write<ArgoCdDesiredApplication>(
        instance,
        {
          method: 'PUT',
          path: appPath(ref),
          query: { validate: 'true', project: app.spec.project },
          body: app as unknown as JsonObject,
        },
        options?.signal,
      );
      await forget(
        instance,
        [ref, { ...ref, appNamespace: app.metadata.namespace }].map(r => ({
          method: 'GET',
          path: appPath(r),
          query: appQuery(r),
        })),
      );
      return result;
    },
  };
}
