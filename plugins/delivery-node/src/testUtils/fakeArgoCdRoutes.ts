import { HttpResponse } from 'msw';
import {
  fakeArgoCdResourceKey,
  type FakeArgoCdApplication,
  type FakeArgoCdProject,
} from './fakeArgoCdTypes';

/** Argo CD's error envelope (swagger `runtimeError`), gRPC code included. */
export function grpcError(status: number, code: number, message: string) {
  return HttpResponse.json({ error: message, code, message }, { status });
}

/** What a route handler gets. */
export interface RouteContext {
  params: Record<string, string>;
  query: URLSearchParams;
  body: unknown;
}

/** One operation of the fake, by its swagger path template. */
export interface Route {
  method: 'GET' | 'POST' | 'PUT';
  template: string;
  handle(ctx: RouteContext): Response | Promise<Response>;
}

/**
 * The mutable state the routes read and write. Applications, trees,
 * resources, actions and metadata are the test's own objects, read at each
 * request, so a test may change them after the handlers are installed.
 */
export interface FakeState {
  projects: Map<string, FakeArgoCdProject>;
  applications: FakeArgoCdApplication[];
  trees: Record<string, unknown>;
  resources: Record<string, object>;
  actions: Record<string, Array<{ name: string; disabled: boolean }>>;
  metadata: Record<string, object>;
}

const notFound = (what: string, name: string) =>
  grpcError(404, 5, `${what} "${name}" not found`);

function matchesSelector(app: FakeArgoCdApplication, selector: string) {
  return selector.split(',').every(term => {
    const [k, v] = term.split('=');
    return app.metadata.labels?.[k.trim()] === v?.trim();
  });
}

function listApplications(state: FakeState, q: URLSearchParams) {
  const projects = q.getAll('projects');
  return state.applications.filter(
    app =>
      (!q.get('name') || app.metadata.name === q.get('name')) &&
      (!q.get('appNamespace') ||
        app.metadata.namespace === q.get('appNamespace')) &&
      (!projects.length || projects.includes(app.spec?.project ?? '')) &&
      (!q.get('selector') || matchesSelector(app, q.get('selector')!)),
  );
}

/**
 * The application, or the answer Argo CD gives when it is not there (or
 * not in the asked project): 404 when a project was named, else the
 * anti-enumeration 403.
 */
function findApplication(
  state: FakeState,
  name: string,
  q: URLSearchParams,
): FakeArgoCdApplication | Response {
  const app = state.applications.find(a => a.metadata.name === name);
  const project = q.get('project');
  const namespace = q.get('appNamespace');
  if (
    app &&
    (!project || app.spec?.project === project) &&
    (!namespace || app.metadata.namespace === namespace)
  ) {
    return app;
  }
  return project
    ? notFound('applications.argoproj.io', name)
    : grpcError(403, 7, 'permission denied');
}

function resourceKeyOf(app: string, q: URLSearchParams) {
  return fakeArgoCdResourceKey(
    app,
    q.get('kind') ?? '',
    q.get('namespace') ?? '',
    q.get('resourceName') ?? '',
  );
}

/** Reads of applications and their resources, and resource actions. */
function applicationReads(state: FakeState): Route[] {
  const withApp =
    (
      param: string,
      fn: (app: FakeArgoCdApplication, ctx: RouteContext) => Response,
    ) =>
    (ctx: RouteContext) => {
      const app = findApplication(state, ctx.params[param], ctx.query);
      return app instanceof Response ? app : fn(app, ctx);
    };
  return [
    {
      method: 'GET',
      template: '/api/v1/applications',
      handle: ({ query }) => {
        const items = listApplications(state, query);
        return HttpResponse.json({
          metadata: {},
          items: items.length ? items : null,
        });
      },
    },
    {
      method: 'GET',
      template: '/api/v1/applications/{name}',
      handle: withApp('name', app => HttpResponse.json(app)),
    },
    {
      method: 'GET',
      template: '/api/v1/applications/{applicationName}/resource-tree',
      handle: withApp('applicationName', app =>
        HttpResponse.json(
          (state.trees[app.metadata.name] ?? { nodes: [] }) as object,
        ),
      ),
    },
    {
      method: 'GET',
      template: '/api/v1/applications/{name}/resource',
      handle: withApp('name', (app, { query }) => {
        const object = state.resources[resourceKeyOf(app.metadata.name, query)];
        return object
          ? HttpResponse.json({ manifest: JSON.stringify(object) })
          : grpcError(400, 3, 'not found as part of application');
      }),
    },
    {
      method: 'GET',
      template: '/api/v1/applications/{name}/resource/actions',
      handle: withApp('name', (app, { query }) =>
        HttpResponse.json({
          actions: state.actions[resourceKeyOf(app.metadata.name, query)] ?? [],
        }),
      ),
    },
    {
      method: 'POST',
      template: '/api/v1/applications/{name}/resource/actions/v2',
      handle: withApp('name', () => HttpResponse.json({})),
    },
    {
      method: 'POST',
      template: '/api/v1/applications/{name}/resource/actions',
      handle: withApp('name', () => HttpResponse.json({})),
    },
    {
      method: 'POST',
      template: '/api/v1/applications/{name}/sync',
      handle: withApp('name', (app, { body }) =>
        startOperation(app, { sync: body as object }),
      ),
    },
    {
      method: 'POST',
      template: '/api/v1/applications/{name}/rollback',
      handle: withApp('name', (app, { body }) => {
        const spec = app.spec as { syncPolicy?: { automated?: unknown } };
        if (spec?.syncPolicy?.automated) {
          // argo-cd server/application/application.go: FailedPrecondition
          return grpcError(
            400,
            9,
            'rollback cannot be initiated when auto-sync is enabled',
          );
        }
        const id = Number((body as { id?: unknown })?.id);
        const history =
          (
            app.status as {
              history?: Array<{ id?: number; revision?: string }>;
            }
          )?.history ?? [];
        const entry = history.find(h => Number(h.id) === id);
        if (!entry) {
          return grpcError(
            400,
            3,
            `application ${app.metadata.name} does not have deployment with id ${id}`,
          );
        }
        return startOperation(app, { sync: { revision: entry.revision } });
      }),
    },
    {
      method: 'GET',
      template: '/api/v1/applications/{name}/revisions/{revision}/metadata',
      handle: withApp('name', (_app, { params }) => {
        const metadata = state.metadata[params.revision];
        return metadata
          ? HttpResponse.json(metadata)
          : grpcError(404, 5, 'revision not found');
      }),
    },
  ];
}

/**
 * Starts an operation as Argo CD does: refused while one runs (gRPC
 * FailedPrecondition), else the application with `operation` and a
 * Running operationState.
 */
function startOperation(app: FakeArgoCdApplication, operation: object) {
  const status = (app.status ?? {}) as {
    operationState?: { phase?: string };
  };
  if (status.operationState?.phase === 'Running') {
    return grpcError(400, 9, 'another operation is already in progress');
  }
  const initiated = {
    ...operation,
    initiatedBy: { username: 'admin' },
  };
  (app as { operation?: object }).operation = initiated;
  app.status = {
    ...status,
    operationState: {
      operation: initiated,
      phase: 'Running',
      message: 'one or more tasks are running',
      startedAt: new Date().toISOString(),
    },
  };
  return HttpResponse.json(app);
}

const indexOf = (state: FakeState, name: string) =>
  state.applications.findIndex(a => a.metadata.name === name);

/** Writes of applications, and projects. */
function writes(state: FakeState): Route[] {
  return [
    {
      method: 'GET',
      template: '/api/v1/projects/{name}',
      handle: ({ params }) => {
        const project = state.projects.get(params.name);
        return project
          ? HttpResponse.json(project)
          : notFound('appprojects.argoproj.io', params.name);
      },
    },
    {
      method: 'POST',
      template: '/api/v1/projects',
      handle: ({ body }) => {
        const { project, upsert } = body as {
          project?: FakeArgoCdProject;
          upsert?: boolean;
        };
        const name = project?.metadata?.name;
        if (!name) return grpcError(400, 3, 'project name is required');
        if (state.projects.has(name) && !upsert) {
          return grpcError(
            400,
            3,
            'existing project spec is different, use upsert flag to force update',
          );
        }
        state.projects.set(name, project);
        return HttpResponse.json(project);
      },
    },
    {
      method: 'PUT',
      template: '/api/v1/projects/{project.metadata.name}',
      handle: ({ params, body }) => {
        const name = params['project.metadata.name'];
        if (!state.projects.has(name)) {
          return notFound('appprojects.argoproj.io', name);
        }
        const { project } = body as { project: FakeArgoCdProject };
        state.projects.set(name, project);
        return HttpResponse.json(project);
      },
    },
    {
      method: 'POST',
      template: '/api/v1/applications',
      handle: ({ body, query }) => {
        const app = body as FakeArgoCdApplication;
        const name = app?.metadata?.name;
        if (!name) return grpcError(400, 3, 'application name is required');
        if (!state.projects.has(app.spec?.project ?? '')) {
          return grpcError(
            400,
            3,
            `application references project ${app.spec?.project} which does not exist`,
          );
        }
        if (indexOf(state, name) >= 0 && query.get('upsert') !== 'true') {
          return grpcError(
            400,
            3,
            'existing application spec is different; use upsert flag to force update',
          );
        }
        state.applications.push(app);
        return HttpResponse.json(app);
      },
    },
    {
      method: 'PUT',
      template: '/api/v1/applications/{application.metadata.name}',
      handle: ({ params, body }) => {
        const name = params['application.metadata.name'];
        const index = indexOf(state, name);
        if (index < 0) return notFound('applications.argoproj.io', name);
        state.applications[index] = body as FakeArgoCdApplication;
        return HttpResponse.json(body as object);
      },
    },
  ];
}

/** Every operation of the fake except the session login. */
export function createRoutes(state: FakeState): Route[] {
  return [...writes(state), ...applicationReads(state)];
}
