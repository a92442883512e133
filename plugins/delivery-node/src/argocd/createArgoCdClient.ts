import type { JsonObject } from '@backstage/types';
import { createCoalescingCache } from '../cache/createCoalescingCache';
import { createUpstreamCallMetrics } from '../http/callUpstream';
import { createSecretRedactor } from '../redaction/secretRedactor';
import type {
  ArgoCdClient,
  ArgoCdClientOptions,
  ArgoCdReadOptions,
} from './ArgoCdClient';
import { scopedRead } from './readScope';
import {
  appPath,
  appQuery,
  buildUrl,
  createArgoCdTransport,
  enc,
  resourceQuery,
  type Call,
} from './transport';
import type {
  ArgoCdAppRef,
  ArgoCdApplication,
  ArgoCdApplicationList,
  ArgoCdApplicationTree,
  ArgoCdRevisionMetadata,
} from './types';
import { createArgoCdWrites } from './writes';
import { withArgoCdWatch } from './watch/withArgoCdWatch';
import { createArgoCdDiffReads } from './diffReads';

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** The cache key of a read. */
const cacheKey = (instance: string, call: Call) =>
  `argocd:${instance}:${buildUrl('', call.path, call.query)}`;

/**
 * Creates the Argo CD client over the configured instances: the one client
 * of the Delivery plugins (the backend's views and actions, the scaffolder
 * module's writes).
 *
 * @public
 */
export function createArgoCdClient(options: ArgoCdClientOptions): ArgoCdClient {
  const { logger } = options;
  const cache = options.cache ?? createCoalescingCache();
  const liveTtlMs = options.liveTtlMs ?? 0;
  const redactor = options.redactor ?? createSecretRedactor();
  for (const i of options.instances) {
    const what = `the Argo CD instance "${i.name}"`;
    redactor.register(i.token, { what: `the token of ${what}` });
    redactor.registerBasicAuth(
      i.username,
      i.password,
      `the password of ${what}`,
    );
  }
  const transport = createArgoCdTransport({
    instances: options.instances,
    timeoutMs: options.timeoutMs,
    redactor,
    metrics: createUpstreamCallMetrics(options.metrics, 'argocd'),
  });
  const { instanceConfig, fail } = transport;

  // The project of every application seen in a list or get, so that calls
  // that name an app without its project send the same query (and share
  // the cache entry and the in-flight call) as calls that do.
  const knownProjects = new Map<string, string>();
  const appKey = (instance: string, name: string, appNamespace?: string) =>
    `${instance}\u0000${appNamespace ?? ''}\u0000${name}`;
  const remember = (instance: string, apps: ArgoCdApplication[]) => {
    for (const a of apps) {
      if (a.spec?.project) {
        knownProjects.set(
          appKey(instance, a.metadata.name, a.metadata.namespace),
          a.spec.project,
        );
      }
    }
  };
  const withProject = (instance: string, app: ArgoCdAppRef): ArgoCdAppRef =>
    app.project
      ? app
      : {
          ...app,
          project: knownProjects.get(
            appKey(instance, app.name, app.appNamespace),
          ),
        };

  async function read<T>(
    instance: string,
    call: Call,
    ttlMs: number,
    readOptions?: ArgoCdReadOptions,
    immutable?: boolean,
  ): Promise<T> {
    instanceConfig(instance);
    const key = cacheKey(instance, call);
    const fresh = Boolean(readOptions?.fresh);
    try {
      return (await scopedRead(key, fresh, () =>
        cache.load(key, () => transport.send(instance, call), {
          ttlMs,
          fresh,
          immutable,
        }),
      )) as T;
    } catch (error) {
      logger?.warn(String((error as Error)?.message ?? error));
      throw error;
    }
  }

  const malformed = (instance: string, what: string) =>
    fail(instance, 'malformed-response', `${what}: unexpected response shape`);

  const client: ArgoCdClient = {
    instanceNames: options.instances.map(i => i.name),

    async listApplications(instance, query, readOptions) {
      const list = await read<ArgoCdApplicationList>(
        instance,
        {
          method: 'GET',
          path: '/api/v1/applications',
          query: {
            selector: query.selector,
            name: query.name,
            projects: query.projects,
            appNamespace: query.appNamespace,
          },
        },
        liveTtlMs,
        readOptions,
      );
      if (!isObject(list))
        throw malformed(instance, 'GET /api/v1/applications');
      const items = list.items ?? [];
      if (!Array.isArray(items) || !items.every(i => isObject(i?.metadata))) {
        throw malformed(instance, 'GET /api/v1/applications');
      }
      remember(instance, items);
      return items;
    },

    async getApplication(instance, appRef, readOptions) {
      const app = withProject(instance, appRef);
      const result = await read<ArgoCdApplication>(
        instance,
        { method: 'GET', path: appPath(app), query: appQuery(app) },
        liveTtlMs,
        readOptions,
      );
      if (!isObject(result) || !isObject(result.metadata)) {
        throw malformed(instance, `GET ${appPath(app)}`);
      }
      remember(instance, [result]);
      return result;
    },

    async getResourceTree(instance, appRef, readOptions) {
      const app = withProject(instance, appRef);
      const path = `${appPath(app)}/resource-tree`;
      const tree = await read<ArgoCdApplicationTree>(
        instance,
        { method: 'GET', path, query: appQuery(app) },
        liveTtlMs,
        readOptions,
      );
      if (!isObject(tree) || (tree.nodes && !Array.isArray(tree.nodes))) {
        throw malformed(instance, `GET ${path}`);
      }
      return tree;
    },

    async getResource(instance, appRef, resource, readOptions) {
      const app = withProject(instance, appRef);
      const path = `${appPath(app)}/resource`;
      const result = await read<{ manifest?: unknown }>(
        instance,
        { method: 'GET', path, query: resourceQuery(app, resource) },
        liveTtlMs,
        readOptions,
      );
      // The live object comes as a JSON string inside the JSON body.
      if (!isObject(result) || typeof result.manifest !== 'string') {
        throw malformed(instance, `GET ${path}`);
      }
      try {
        const manifest = JSON.parse(result.manifest);
        if (!isObject(manifest)) throw new Error('not an object');
        return manifest as JsonObject;
      } catch {
        throw malformed(instance, `GET ${path} (manifest)`);
      }
    },

    async getResourceActions(instance, appRef, resource, readOptions) {
      const app = withProject(instance, appRef);
      const path = `${appPath(app)}/resource/actions`;
      const result = await read<{ actions?: unknown }>(
        instance,
        { method: 'GET', path, query: resourceQuery(app, resource) },
        liveTtlMs,
        readOptions,
      );
      if (!isObject(result)) throw malformed(instance, `GET ${path}`);
      const actions = result.actions ?? [];
      if (!Array.isArray(actions)) throw malformed(instance, `GET ${path}`);
      return actions
        .filter(a => isObject(a) && typeof a.name === 'string')
        .map(a => ({
          name: a.name as string,
          disabled: Boolean(a.disabled),
          ...(typeof a.displayName === 'string'
            ? { displayName: a.displayName }
            : {}),
        }));
    },

    async getRevisionMetadata(instance, appRef, revision, source) {
      const app = withProject(instance, appRef);
      const path = `${appPath(app)}/revisions/${enc(revision)}/metadata`;
      const result = await read<ArgoCdRevisionMetadata>(
        instance,
        {
          method: 'GET',
          path,
          query: {
            ...appQuery(app),
            sourceIndex: source?.sourceIndex,
            versionId: source?.versionId,
          },
        },
        options.revisionMetadataTtlMs ?? 0,
        undefined,
        // metadata of a SHA never changes: a 404 of it is remembered longer
        true,
      );
      if (!isObject(result)) throw malformed(instance, `GET ${path}`);
      return result;
    },

    applicationUrl(instance, app) {
      const config = instanceConfig(instance);
      const base = config.frontendUrl ?? config.url;
      return `${base}/applications/${
        app.appNamespace ? `${enc(app.appNamespace)}/` : ''
      }${enc(app.name)}`;
    },

    ...createArgoCdDiffReads({
      read,
      withProject,
      malformed,
      liveTtlMs,
      revisionMetadataTtlMs: options.revisionMetadataTtlMs ?? 0,
    }),

    ...createArgoCdWrites({
      transport,
      cache,
      withProject,
      cacheKey,
    }),
  };
  return options.watch?.enabled
    ? withArgoCdWatch(client, transport, { ...options.watch, logger })
    : client;
}
