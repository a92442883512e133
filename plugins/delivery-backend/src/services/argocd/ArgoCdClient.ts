import type { LoggerService } from '@backstage/backend-plugin-api';
import type { MetricsService } from '@backstage/backend-plugin-api/alpha';
import type { JsonObject, JsonValue } from '@backstage/types';
import {
  createSecretRedactor,
  type SecretRedactor,
} from '@gitops-delivery/backstage-plugin-delivery-common';
import type { CoalescingCache } from '../../cache/createCoalescingCache';
import type { ArgoCdInstanceConfig } from '../../config/readDeliveryConfig';
import {
  ArgoCdError,
  errorKindForStatus,
  type ArgoCdErrorKind,
} from './ArgoCdError';
import { forgetScopedRead, scopedRead } from './readScope';
import { createTokenProvider, type TokenProvider } from './sessionToken';
import type {
  ArgoCdAppRef,
  ArgoCdApplication,
  ArgoCdApplicationList,
  ArgoCdApplicationTree,
  ArgoCdResourceAction,
  ArgoCdResourceRef,
  ArgoCdRevisionMetadata,
} from './types';

/** Which applications to list. @public */
export interface ListApplicationsQuery {
  selector?: string;
  name?: string;
  projects?: string[];
  appNamespace?: string;
}

/** Options of a read. @public */
export interface ArgoCdReadOptions {
  /** Bypass the cache (still coalesced), e.g. right before an action. */
  fresh?: boolean;
}

/** Selects the source of a multi-source application. @public */
export interface RevisionSourceSelector {
  sourceIndex?: number;
  /** The history id the revision was deployed with (multi-source apps). */
  versionId?: number;
}

/**
 * Calls the configured Argo CD instances with server-side credentials.
 * Reads are cached and coalesced; every failure is an ArgoCdError that names
 * the instance. Nothing from a caller becomes a host: instance names are
 * looked up in the configuration and names become encoded path segments.
 *
 * @public
 */
export interface ArgoCdClient {
  /** Names of the configured instances, in configuration order. */
  readonly instanceNames: string[];
  listApplications(
    instance: string,
    query: ListApplicationsQuery,
    options?: ArgoCdReadOptions,
  ): Promise<ArgoCdApplication[]>;
  getApplication(
    instance: string,
    app: ArgoCdAppRef,
    options?: ArgoCdReadOptions,
  ): Promise<ArgoCdApplication>;
  getResourceTree(
    instance: string,
    app: ArgoCdAppRef,
    options?: ArgoCdReadOptions,
  ): Promise<ArgoCdApplicationTree>;
  /** The live manifest of one resource of the application, parsed. */
  getResource(
    instance: string,
    app: ArgoCdAppRef,
    resource: ArgoCdResourceRef,
    options?: ArgoCdReadOptions,
  ): Promise<JsonObject>;
  getResourceActions(
    instance: string,
    app: ArgoCdAppRef,
    resource: ArgoCdResourceRef,
    options?: ArgoCdReadOptions,
  ): Promise<ArgoCdResourceAction[]>;
  /**
   * Runs a resource action (e.g. `resume`, `promote-full`, `abort`) through
   * the v2 endpoint, falling back to the deprecated v1 form on servers older
   * than 3.1. Never cached; drops the cached state of the resource.
   */
  runResourceAction(
    instance: string,
    app: ArgoCdAppRef,
    resource: ArgoCdResourceRef,
    action: string,
  ): Promise<void>;
  /** Git revision metadata; immutable per SHA, so cached long. */
  getRevisionMetadata(
    instance: string,
    app: ArgoCdAppRef,
    revision: string,
    source?: RevisionSourceSelector,
  ): Promise<ArgoCdRevisionMetadata>;
  /** Link to the application in the instance's UI. */
  applicationUrl(instance: string, app: ArgoCdAppRef): string;
}

/** Options of createArgoCdClient. @public */
export interface ArgoCdClientOptions {
  instances: ArgoCdInstanceConfig[];
  timeoutMs: number;
  cache: CoalescingCache;
  /** TTL of live state (applications, trees, manifests, actions). */
  liveTtlMs: number;
  /** TTL of revision metadata (immutable per SHA). */
  revisionMetadataTtlMs: number;
  logger?: LoggerService;
  /** Counts and times every upstream call per instance and outcome. */
  metrics?: MetricsService;
  /**
   * The plugin's redactor: the client registers the instances' tokens,
   * passwords and session tokens with it and redacts every error text.
   */
  redactor?: SecretRedactor;
}

type Query = Record<string, string | number | string[] | undefined>;

interface Call {
  method: 'GET' | 'POST';
  path: string;
  query?: Query;
  body?: JsonValue;
}

const enc = encodeURIComponent;

function appQuery(app: ArgoCdAppRef): Query {
  return { appNamespace: app.appNamespace, project: app.project };
}

function resourceQuery(app: ArgoCdAppRef, r: ArgoCdResourceRef): Query {
  return {
    ...appQuery(app),
    namespace: r.namespace,
    resourceName: r.name,
    version: r.version,
    group: r.group,
    kind: r.kind,
  };
}

function buildUrl(base: string, path: string, query: Query = {}): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === '') continue;
    for (const v of Array.isArray(value) ? value : [value]) {
      params.append(key, String(v));
    }
  }
  const qs = params.toString();
  return `${base}${path}${qs ? `?${qs}` : ''}`;
}

/** Creates the Argo CD client over the configured instances. @public */
export function createArgoCdClient(options: ArgoCdClientOptions): ArgoCdClient {
  const { cache, timeoutMs, logger } = options;
  const callCounter = options.metrics?.createCounter('delivery.argocd.calls', {
    description: 'Argo CD API calls, by instance, route and outcome',
  });
  const callDuration = options.metrics?.createHistogram(
    'delivery.argocd.call.duration',
    { description: 'Duration of Argo CD API calls', unit: 'ms' },
  );
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
  const instances = new Map(options.instances.map(i => [i.name, i]));
  const tokens = new Map<string, TokenProvider>(
    options.instances.map(i => [
      i.name,
      createTokenProvider(i, { timeoutMs, redactor }),
    ]),
  );

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

  const instanceConfig = (name: string): ArgoCdInstanceConfig => {
    const config = instances.get(name);
    if (!config) {
      throw new ArgoCdError({
        instance: name,
        kind: 'unknown-instance',
        message: 'no such instance is configured',
      });
    }
    return config;
  };

  const fail = (
    instance: string,
    kind: ArgoCdErrorKind,
    message: string,
    status?: number,
  ) =>
    new ArgoCdError({
      instance,
      kind,
      status,
      message: redactor.redact(message),
    });

  async function send(
    instance: string,
    call: Call,
    retried = false,
  ): Promise<JsonValue> {
    const started = Date.now();
    // The route template, not the path: app names would explode cardinality.
    const route = `${call.method} ${call.path
      .replace(/^\/api\/v1\/applications\/[^/]+/, '/api/v1/applications/{name}')
      .replace(/\/revisions\/[^/]+\//, '/revisions/{revision}/')}`;
    let outcome = 'ok';
    try {
      return await sendOnce(instance, call, retried);
    } catch (error) {
      outcome = error instanceof ArgoCdError ? error.kind : 'error';
      throw error;
    } finally {
      if (!retried) {
        const attributes = { instance, route, outcome };
        callCounter?.add(1, attributes);
        callDuration?.record(Date.now() - started, attributes);
      }
    }
  }

  async function sendOnce(
    instance: string,
    call: Call,
    retried: boolean,
  ): Promise<JsonValue> {
    const config = instanceConfig(instance);
    const tokenProvider = tokens.get(instance)!;
    const token = await tokenProvider.getToken();
    const what = `${call.method} ${call.path}`;
    let response: Response;
    try {
      response = await fetch(buildUrl(config.url, call.path, call.query), {
        method: call.method,
        headers: {
          Accept: 'application/json',
          Authorization: `Bearer ${token}`,
          ...(call.body !== undefined
            ? { 'Content-Type': 'application/json' }
            : {}),
        },
        body: call.body !== undefined ? JSON.stringify(call.body) : undefined,
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      const name = (error as Error)?.name;
      if (name === 'TimeoutError' || name === 'AbortError') {
        throw fail(
          instance,
          'timeout',
          `${what}: no answer within ${timeoutMs} ms`,
        );
      }
      const code = (error as { cause?: { code?: string } })?.cause?.code;
      throw fail(
        instance,
        'unreachable',
        `${what}: the server is unreachable${code ? ` (${code})` : ''}`,
      );
    }
    let text: string;
    try {
      text = await response.text();
    } catch (error) {
      const name = (error as Error)?.name;
      throw fail(
        instance,
        name === 'TimeoutError' || name === 'AbortError'
          ? 'timeout'
          : 'unreachable',
        `${what}: the response was not received completely within ${timeoutMs} ms`,
      );
    }
    if (response.status === 401 && tokenProvider.renewable && !retried) {
      // The session expired or was revoked: log in again once.
      tokenProvider.invalidate();
      return send(instance, call, true);
    }
    if (!response.ok) {
      let detail = '';
      try {
        const parsed = JSON.parse(text) as { message?: unknown };
        if (typeof parsed?.message === 'string') {
          // redacted before it is cut, so no part of a secret is left
          detail = `: ${redactor.redact(parsed.message).slice(0, 300)}`;
        }
      } catch {
        // not JSON (a proxy's HTML page, a 415 text): the status says enough
      }
      throw fail(
        instance,
        errorKindForStatus(response.status),
        `${what} answered HTTP ${response.status}${detail}`,
        response.status,
      );
    }
    if (text.trim() === '') return {};
    try {
      return JSON.parse(text) as JsonValue;
    } catch {
      throw fail(
        instance,
        'malformed-response',
        `${what}: the response is not valid JSON`,
        response.status,
      );
    }
  }

  const cacheKey = (instance: string, call: Call) =>
    `argocd:${instance}:${buildUrl('', call.path, call.query)}`;

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
        cache.load(key, () => send(instance, call), {
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

  const isObject = (v: unknown): v is Record<string, unknown> =>
    typeof v === 'object' && v !== null && !Array.isArray(v);

  const malformed = (instance: string, what: string) =>
    fail(instance, 'malformed-response', `${what}: unexpected response shape`);

  const appPath = (app: ArgoCdAppRef) =>
    `/api/v1/applications/${enc(app.name)}`;

  return {
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
        options.liveTtlMs,
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
        options.liveTtlMs,
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
        options.liveTtlMs,
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
        options.liveTtlMs,
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
        options.liveTtlMs,
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

    async runResourceAction(instance, appRef, resource, action) {
      const app = withProject(instance, appRef);
      const path = `${appPath(app)}/resource/actions`;
      try {
        await send(instance, {
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
        await send(instance, {
          method: 'POST',
          path,
          query: resourceQuery(app, resource),
          body: action,
        });
      }
      await Promise.all(
        [
          {
            method: 'GET' as const,
            path: `${path}`,
            query: resourceQuery(app, resource),
          },
          {
            method: 'GET' as const,
            path: `${appPath(app)}/resource`,
            query: resourceQuery(app, resource),
          },
          {
            method: 'GET' as const,
            path: `${appPath(app)}/resource-tree`,
            query: appQuery(app),
          },
        ].map(call => {
          const key = cacheKey(instance, call);
          forgetScopedRead(key);
          return cache.invalidate(key);
        }),
      );
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
        options.revisionMetadataTtlMs,
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
  };
}
