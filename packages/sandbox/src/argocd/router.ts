import type { IncomingMessage, ServerResponse } from 'node:http';
import { BodyError, parseJson, readBody, sendJson, sendText } from '../http';
import {
  ActionError,
  analysisRunActions,
  rolloutActions,
  runAnalysisRunAction,
  runRolloutAction,
} from '../rollouts/actions';
import type { AppState, WorldState } from '../world/state';
import { applicationJson, isModified, revisionOf } from './application';
import {
  DEMO_ADMIN_PASSWORD,
  authenticate,
  issueSessionToken,
  requireSession,
} from './auth';

/** The caller's user when a valid token comes with the request, else undefined (routes that answer anonymous callers too). */
function userIfSignedIn(
  instance: string,
  req: Parameters<typeof authenticate>[1],
): string | undefined {
  try {
    return authenticate(instance, req);
  } catch {
    return undefined;
  }
}
import {
  ArgoError,
  appNotFound,
  permissionDenied,
  sendArgoError,
} from './errors';
import { applyFields } from './fields';
import { revisionMetadata } from './metadata';
import { appResources, type LiveResource } from './resources';
import { predictedLive } from './predictedLive';
import { manifestsAt } from './manifests';
import { matchesSelector, parseSelector, SelectorError } from './selector';
import { streamsOf } from './stream';

/** The Argo CD instances the sandbox simulates. */
export const ARGOCD_INSTANCES = ['main', 'nonprod'];

type Json = Record<string, unknown>;

interface Ctx {
  world: WorldState;
  instance: string;
  req: IncomingMessage;
  url: URL;
  user: string;
}

function findApp(
  ctx: Ctx,
  name: string,
  appNamespace?: string | null,
  project?: string | null,
): AppState {
  const app = ctx.world.apps.find(
    a =>
      a.instance === ctx.instance &&
      a.name === name &&
      (!appNamespace || a.namespace === appNamespace),
  );
  // Argo CD hides whether an app exists unless the caller names its project.
  if (!app) throw project ? appNotFound(name) : permissionDenied();
  if (project && app.project !== project) throw appNotFound(name);
  return app;
}

interface ResourceQuery {
  namespace: string;
  resourceName: string;
  group: string;
  kind: string;
  version: string;
}

function findResource(ctx: Ctx, app: AppState, q: ResourceQuery): LiveResource {
  const found = appResources(ctx.world, app).find(
    r =>
      r.group === q.group &&
      r.kind === q.kind &&
      r.name === q.resourceName &&
      (!q.namespace || r.namespace === q.namespace),
  );
  if (!found) {
    throw new ArgoError(
      3,
      `${q.kind} ${q.group} ${q.resourceName} not found as part of application ${app.name}`,
    );
  }
  return found;
}

function resourceQuery(p: URLSearchParams): ResourceQuery {
  return {
    namespace: p.get('namespace') ?? '',
    resourceName: p.get('resourceName') ?? '',
    group: p.get('group') ?? '',
    kind: p.get('kind') ?? '',
    version: p.get('version') ?? '',
  };
}

function node(r: LiveResource) {
  return {
    group: r.group,
    version: r.version,
    kind: r.kind,
    namespace: r.namespace,
    name: r.name,
    uid: r.uid,
    ...(r.parent ? { parentRefs: [r.parent] } : {}),
    ...(r.info ? { info: r.info } : {}),
    ...(r.health ? { health: r.health } : {}),
    ...(r.images ? { images: r.images } : {}),
    ...(r.kind === 'Pod'
      ? { networkingInfo: { labels: (r.live.metadata as Json).labels } }
      : {}),
    resourceVersion: r.resourceVersion,
    createdAt: (r.live.metadata as Json).creationTimestamp,
  };
}

function resourceTree(ctx: Ctx, app: AppState) {
  return resourceTreeJson(ctx.world, app);
}

/** An Application's resource tree as `GET …/resource-tree` answers it. */
export function resourceTreeJson(world: WorldState, app: AppState) {
  const resources = appResources(world, app);
  const nodes = resources.map(node);
  const hosts = [
    ...new Set(
      resources
        .filter(r => r.kind === 'Pod')
        .map(r => (r.live.spec as Json).nodeName as string),
    ),
  ]
    .sort()
    .map(name => ({
      name,
      systemInfo: {
        architecture: 'amd64',
        operatingSystem: 'linux',
        kubeletVersion: 'v1.31.4',
      },
    }));
  return { nodes, hosts };
}

function managedResources(ctx: Ctx, app: AppState) {
  const p = ctx.url.searchParams;
  const filter = {
    group: p.get('group'),
    kind: p.get('kind'),
    name: p.get('name'),
    namespace: p.get('namespace'),
  };
  const items = appResources(ctx.world, app)
    .filter(r => r.managed)
    .filter(
      r =>
        (filter.group === null || r.group === filter.group) &&
        (!filter.kind || r.kind === filter.kind) &&
        (!filter.name || r.name === filter.name) &&
        (!filter.namespace || r.namespace === filter.namespace),
    )
    .map(r => {
      const live = JSON.stringify(r.live);
      const target = JSON.stringify(r.target ?? {});
      return {
        ...(r.group ? { group: r.group } : {}),
        kind: r.kind,
        namespace: r.namespace,
        name: r.name,
        targetState: target,
        liveState: live,
        normalizedLiveState: live,
        predictedLiveState: r.target
          ? JSON.stringify(predictedLive(r.live, r.target))
          : target,
        diff: '',
        hook: false,
        modified: isModified(app, r),
        resourceVersion: r.resourceVersion,
      };
    });
  return { items };
}

/** The Applications a list or watch asks for (selector, projects, …). */
function applicationFilter(p: URLSearchParams): (a: AppState) => boolean {
  let requirements: ReturnType<typeof parseSelector>;
  try {
    requirements = parseSelector(p.get('selector') ?? '');
  } catch (e) {
    if (e instanceof SelectorError)
      throw new ArgoError(2, `error parsing the selector: ${e.message}`);
    throw e;
  }
  const projects = [...p.getAll('projects'), ...p.getAll('project')].filter(
    Boolean,
  );
  const appNamespace = p.get('appNamespace');
  const name = p.get('name');
  const repo = p.get('repo');
  return a =>
    matchesSelector(a.labels, requirements) &&
    (projects.length === 0 || projects.includes(a.project)) &&
    (!appNamespace || a.namespace === appNamespace) &&
    (!name || a.name === name) &&
    (!repo || `https://github.com/${a.service.repository}.git` === repo);
}

function listApplications(ctx: Ctx) {
  const p = ctx.url.searchParams;
  const matches = applicationFilter(p);
  const items = ctx.world.apps
    .filter(a => a.instance === ctx.instance)
    .filter(matches)
    .sort((a, b) => a.name.localeCompare(b.name))
    .map(a => applicationJson(ctx.world, a));
  return {
    metadata: {
      resourceVersion: String(
        Math.floor(ctx.world.clock.now() / 1000) % 100_000_000,
      ),
    },
    items: items.length ? applyFields(items, p.get('fields')) : null,
  };
}

async function jsonBody(req: IncomingMessage): Promise<unknown> {
  const text = await readBody(req);
  if (!text.trim()) return {};
  try {
    return parseJson(text);
  } catch (e) {
    if (e instanceof BodyError)
      throw new ArgoError(3, `invalid character in request body: ${e.message}`);
    throw e;
  }
}

function runAction(ctx: Ctx, app: AppState, q: ResourceQuery, action: string) {
  const resource = findResource(ctx, app, q);
  try {
    if (resource.rollout)
      runRolloutAction(resource.rollout, action, ctx.world.clock.now());
    else if (resource.analysisRun)
      runAnalysisRunAction(resource.analysisRun, action);
    else if (resource.kind === 'Deployment' && action === 'restart') {
      // a restart of a Deployment only re-creates its pods; nothing to model
    } else {
      throw new ActionError(
        `error getting Lua resource action: action ${action} not found for ${resource.kind} ${resource.name}`,
      );
    }
  } catch (e) {
    if (e instanceof ActionError) throw new ArgoError(2, e.message);
    throw e;
  }
  ctx.world.tick();
  return {};
}

function listActions(ctx: Ctx, app: AppState) {
  const resource = findResource(ctx, app, resourceQuery(ctx.url.searchParams));
  if (resource.rollout) return { actions: rolloutActions(resource.rollout) };
  if (resource.analysisRun)
    return { actions: analysisRunActions(resource.analysisRun) };
  if (resource.kind === 'Deployment') {
    return {
      actions: [
        { name: 'restart', disabled: false, iconClass: 'fa fa-fw fa-redo' },
        {
          name: 'pause',
          disabled: true,
          iconClass: 'fa fa-fw fa-pause-circle',
        },
        {
          name: 'resume',
          disabled: true,
          iconClass: 'fa fa-fw fa-play-circle',
        },
      ],
    };
  }
  return { actions: [] };
}

function startOperation(
  ctx: Ctx,
  app: AppState,
  kind: 'sync' | 'rollback',
  version: string,
  body: Json,
) {
  if (app.operation?.phase === 'Running') {
    throw new ArgoError(9, 'another operation is already in progress');
  }
  app.operation = {
    kind,
    phase: 'Running',
    startedAt: ctx.world.clock.now(),
    message: kind === 'sync' ? 'one or more tasks are running' : 'rolling back',
    version,
    username: ctx.user,
    dryRun: body.dryRun === true,
    prune: body.prune === true,
    ...(kind === 'sync' ? syncResources(ctx, app, body) : {}),
  };
  return applicationJson(ctx.world, app);
}

/**
 * The resources a sync is limited to. Argo CD answers a resource that is
 * not the application's with InvalidArgument ("... not found as part of
 * application").
 */
function syncResources(ctx: Ctx, app: AppState, body: Json) {
  if (!Array.isArray(body.resources) || body.resources.length === 0) return {};
  const managed = appResources(ctx.world, app).filter(r => r.managed);
  const resources = (body.resources as Json[]).map(r => {
    const ref = {
      group: typeof r.group === 'string' ? r.group : '',
      kind: String(r.kind ?? ''),
      namespace: typeof r.namespace === 'string' ? r.namespace : undefined,
      name: String(r.name ?? ''),
    };
    const known = managed.some(
      m =>
        m.group === ref.group &&
        m.kind === ref.kind &&
        m.name === ref.name &&
        (!ref.namespace || m.namespace === ref.namespace),
    );
    if (!known) {
      throw new ArgoError(
        3,
        `${ref.kind} ${ref.group} ${ref.name} not found as part of application ${app.name}`,
      );
    }
    return ref;
  });
  return { resources };
}

function sync(ctx: Ctx, app: AppState, body: Json) {
  const revision = typeof body.revision === 'string' ? body.revision : '';
  let version = app.targetVersion;
  if (revision && revision !== 'main' && revision !== 'HEAD') {
    const v = app.service.versions.find(x => revisionMatches(app, x, revision));
    if (!v)
      throw new ArgoError(
        2,
        `rpc error: code = Unknown desc = unable to resolve '${revision}' to a commit SHA`,
      );
    if (app.autoSync && v !== app.targetVersion) {
      throw new ArgoError(
        9,
        `Cannot sync to ${revision}: auto-sync currently set to main`,
      );
    }
    version = v;
  }
  return startOperation(ctx, app, 'sync', version, body);
}

function revisionMatches(app: AppState, version: string, revision: string) {
  const rev = revisionOf(app, version);
  return rev === revision || (revision.length >= 7 && rev.startsWith(revision));
}

function rollback(ctx: Ctx, app: AppState, body: Json) {
  if (app.autoSync) {
    throw new ArgoError(
      9,
      'rollback cannot be initiated when auto-sync is enabled',
    );
  }
  const id = Number(body.id);
  const entry = app.history.find(h => h.id === id);
  if (body.id === undefined || !entry) {
    throw new ArgoError(
      3,
      `application ${app.name} does not have deployment with id ${
        body.id ?? 0
      }`,
    );
  }
  return startOperation(ctx, app, 'rollback', entry.version, body);
}

function terminate(app: AppState, now: number) {
  if (app.operation?.phase !== 'Running') {
    throw new ArgoError(
      9,
      'Unable to terminate operation. No operation is in progress',
    );
  }
  app.operation = {
    ...app.operation,
    phase: 'Failed',
    finishedAt: now,
    message: 'Operation terminated',
  };
  return {};
}

async function route(ctx: Ctx, method: string, path: string): Promise<unknown> {
  const p = ctx.url.searchParams;
  if (path === '/api/v1/applications' && method === 'GET')
    return listApplications(ctx);
  const m = /^\/api\/v1\/applications\/([^/]+)(\/.*)?$/.exec(path);
  if (!m) throw new ArgoError(5, 'Not Found');
  const name = decodeURIComponent(m[1]);
  const sub = m[2] ?? '';
  const body = method === 'POST' ? await jsonBody(ctx.req) : undefined;
  const bodyObj = (
    body && typeof body === 'object' && !Array.isArray(body) ? body : {}
  ) as Json;
  const appNamespace =
    p.get('appNamespace') ?? (bodyObj.appNamespace as string | undefined);
  const project = p.get('project') ?? (bodyObj.project as string | undefined);
  const app = findApp(ctx, name, appNamespace, project);
  const key = `${method} ${sub}`;
  if (key === 'GET ') {
    // ?refresh=normal|hard asks for a reconciliation now (any value does)
    if (p.has('refresh')) {
      app.refreshedAt = ctx.world.clock.now();
      ctx.world.tick();
    }
    return applicationJson(ctx.world, app);
  }
  if (key === 'GET /resource-tree') return resourceTree(ctx, app);
  if (key === 'GET /managed-resources') return managedResources(ctx, app);
  if (key === 'GET /manifests')
    return manifestsAt(ctx.world, app, p.get('revision'));
  if (key === 'GET /resource') {
    const r = findResource(ctx, app, resourceQuery(p));
    return { manifest: JSON.stringify(r.live) };
  }
  if (key === 'GET /resource/actions') return listActions(ctx, app);
  if (key === 'POST /resource/actions') {
    if (typeof body !== 'string') {
      throw new ArgoError(
        3,
        `json: cannot unmarshal ${
          Array.isArray(body) ? 'array' : typeof body
        } into Go value of type string`,
      );
    }
    return runAction(ctx, app, resourceQuery(p), body);
  }
  if (key === 'POST /resource/actions/v2') {
    const s = (k: string) =>
      typeof bodyObj[k] === 'string' ? (bodyObj[k] as string) : '';
    return runAction(
      ctx,
      app,
      {
        namespace: s('namespace'),
        resourceName: s('resourceName'),
        group: s('group'),
        kind: s('kind'),
        version: s('version'),
      },
      s('action'),
    );
  }
  const meta = /^\/revisions\/([^/]+)\/metadata$/.exec(sub);
  if (method === 'GET' && meta) {
    const sourceIndex = Number(p.get('sourceIndex') ?? '0');
    return revisionMetadata(
      ctx.world,
      app,
      decodeURIComponent(meta[1]),
      Number.isInteger(sourceIndex) ? sourceIndex : -1,
    );
  }
  if (key === 'POST /sync') return sync(ctx, app, bodyObj);
  if (key === 'POST /rollback') return rollback(ctx, app, bodyObj);
  if (key === 'DELETE /operation') return terminate(app, ctx.world.clock.now());
  throw new ArgoError(5, 'Not Found');
}

/** Argo CD's watch endpoints (see ArgoCdStreams). */
function stream(ctx: Ctx, path: string, res: ServerResponse) {
  const p = ctx.url.searchParams;
  const streams = streamsOf(ctx.world, app => resourceTreeJson(ctx.world, app));
  if (path === '/api/v1/stream/applications') {
    streams.watchApplications(
      ctx.instance,
      { matches: applicationFilter(p) },
      p.get('resourceVersion') ?? '',
      ctx.req,
      res,
    );
    return;
  }
  const m = /^\/api\/v1\/stream\/applications\/([^/]+)\/resource-tree$/.exec(
    path,
  );
  if (!m) throw new ArgoError(5, 'Not Found');
  const app = findApp(
    ctx,
    decodeURIComponent(m[1]),
    p.get('appNamespace'),
    p.get('project'),
  );
  streams.watchResourceTree(app, ctx.req, res);
}

/** Serves the Argo CD API of one simulated instance (path below /argocd/<instance>). */
export async function handleArgoCd(
  world: WorldState,
  instance: string,
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
): Promise<void> {
  const method = req.method ?? 'GET';
  const url = new URL(req.url ?? '/', 'http://sandbox');
  // argocd-server's enforceContentTypes runs before anything else
  if (
    method !== 'GET' &&
    (req.headers['content-type'] ?? '').toLowerCase() !== 'application/json'
  ) {
    sendText(res, 415, 'Invalid content type\n');
    return;
  }
  try {
    if (path === '/api/version') {
      const user = userIfSignedIn(instance, req);
      sendJson(
        res,
        200,
        user
          ? {
              Version: 'v3.5.1+109ca7c',
              BuildDate: '2026-11-01T00:00:00Z',
              GitCommit: '109ca7ca',
              GitTreeState: 'clean',
              GoVersion: 'go1.25.3',
              Compiler: 'gc',
              Platform: 'linux/amd64',
              KubectlVersion: 'v0.34.0',
              HelmVersion: 'v3.19.0+g3d8990f',
              KustomizeVersion: 'v5.7.1',
            }
          : { Version: 'v3.5.1+109ca7c' },
      );
      return;
    }
    if (path === '/api/v1/session' && method === 'POST') {
      const body = (await jsonBody(req)) as Json;
      if (body.username !== 'admin' || body.password !== DEMO_ADMIN_PASSWORD) {
        throw new ArgoError(16, 'Invalid username or password');
      }
      sendJson(res, 200, { token: issueSessionToken(instance, 'admin') });
      return;
    }
    if (path === '/api/v1/session/userinfo' && method === 'GET') {
      const user = userIfSignedIn(instance, req);
      sendJson(
        res,
        200,
        user
          ? { loggedIn: true, username: user, iss: 'argocd' }
          : { loggedIn: false },
      );
      return;
    }
    const user = requireSession(instance, req);
    if (path === '/api/v1/session' && method === 'DELETE') {
      sendJson(res, 200, { token: '' });
      return;
    }
    world.tick();
    const ctx: Ctx = { world, instance, req, url, user };
    if (path.startsWith('/api/v1/stream/') && method === 'GET') {
      stream(ctx, path, res);
      return;
    }
    sendJson(res, 200, await route(ctx, method, path));
  } catch (e) {
    if (e instanceof ArgoError) {
      sendArgoError(res, e);
      return;
    }
    sendArgoError(res, new ArgoError(2, (e as Error).message));
  }
}
