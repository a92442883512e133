/*
 * A fake Argo CD API server for tests, as msw handlers. Request bodies are
 * validated against the Argo CD swagger (delivery-test-data's contracts/), errors use
 * its runtimeError envelope and gRPC-mapped status codes.
 */
import Ajv from 'ajv';
import { argocdSwagger } from 'delivery-test-data';
import { http, HttpResponse, type HttpHandler } from 'msw';

const swagger = argocdSwagger();
const ajv = new Ajv({ strict: false, validateFormats: false, allErrors: true });
ajv.addSchema({ definitions: swagger.definitions }, 'swagger');

function validateAgainst(
  definition: string,
  body: unknown,
): string | undefined {
  const validate = ajv.getSchema(`swagger#/definitions/${definition}`);
  if (!validate) throw new Error(`no swagger definition ${definition}`);
  return validate(body) ? undefined : ajv.errorsText(validate.errors);
}

/** Asserts the method + path template is an operation of the swagger. */
function assertInContract(method: string, template: string) {
  const operation = swagger.paths[template]?.[method];
  if (!operation)
    throw new Error(`${method} ${template} is not in the swagger`);
}

function grpcError(status: number, code: number, message: string) {
  return HttpResponse.json({ error: message, code, message }, { status });
}

/** One recorded request to the fake. */
export interface FakeArgoCdCall {
  method: string;
  path: string;
  search: string;
  body?: unknown;
}

/** Options of the fake Argo CD. */
export interface FakeArgoCdOptions {
  baseUrl: string;
  /** Bearer tokens the fake accepts. */
  tokens?: string[];
  /** username → password accepted by POST /api/v1/session. */
  users?: Record<string, string>;
  projects?: Array<{
    metadata: { name: string };
    spec: Record<string, unknown>;
  }>;
  applications?: Array<{
    metadata: { name: string; [key: string]: unknown };
    spec: { project: string; [key: string]: unknown };
    [key: string]: unknown;
  }>;
}

/** A stateful fake Argo CD: its msw handlers, its state and the calls it got. */
export function createFakeArgoCd(options: FakeArgoCdOptions) {
  const base = options.baseUrl;
  const tokens = new Set(options.tokens ?? []);
  const projects = new Map<string, any>(
    (options.projects ?? []).map(p => [p.metadata.name, structuredClone(p)]),
  );
  const applications = new Map<string, any>(
    (options.applications ?? []).map(a => [
      a.metadata.name,
      structuredClone(a),
    ]),
  );
  const calls: FakeArgoCdCall[] = [];
  let sessions = 0;

  async function record(request: Request): Promise<FakeArgoCdCall> {
    const url = new URL(request.url);
    const call: FakeArgoCdCall = {
      method: request.method,
      path: url.pathname.slice(
        new URL(base).pathname.replace(/\/$/, '').length,
      ),
      search: url.search,
    };
    if (request.method !== 'GET') {
      call.body = await request
        .clone()
        .json()
        .catch(() => undefined);
    }
    calls.push(call);
    return call;
  }

  function unauthorized(request: Request) {
    const header = request.headers.get('authorization') ?? '';
    const token = header.startsWith('Bearer ') ? header.slice(7) : '';
    return tokens.has(token)
      ? undefined
      : grpcError(401, 16, 'no session information');
  }

  function wrongContentType(request: Request) {
    return request.headers.get('content-type')?.startsWith('application/json')
      ? undefined
      : new HttpResponse('Invalid content type', { status: 415 });
  }

  function route(
    method: 'get' | 'post' | 'put',
    template: string,
    handler: (
      request: Request,
      params: Record<string, string>,
      call: FakeArgoCdCall,
    ) => Response | Promise<Response>,
    opts: { anonymous?: boolean } = {},
  ): HttpHandler {
    assertInContract(method, template);
    const mswPath = template.replace(
      /\{([^}]+)\}/g,
      (_m, p) => `:${p.replace(/\W/g, '_')}`,
    );
    return http[method](`${base}${mswPath}`, async ({ request, params }) => {
      const call = await record(request);
      if (method !== 'get') {
        const bad = wrongContentType(request);
        if (bad) return bad;
      }
      if (!opts.anonymous) {
        const denied = unauthorized(request);
        if (denied) return denied;
      }
      return handler(request, params as Record<string, string>, call);
    });
  }

  const handlers: HttpHandler[] = [
    route(
      'post',
      '/api/v1/session',
      (_request, _params, call) => {
        const body = call.body as { username?: string; password?: string };
        const error = validateAgainst('sessionSessionCreateRequest', body);
        if (error) return grpcError(400, 3, error);
        if (
          !body.username ||
          options.users?.[body.username] !== body.password
        ) {
          return grpcError(401, 16, 'Invalid username or password');
        }
        sessions += 1;
        const token = `session-token-${sessions}`;
        tokens.add(token);
        return HttpResponse.json({ token });
      },
      { anonymous: true },
    ),
    route('get', '/api/v1/projects/{name}', (_r, params) => {
      const project = projects.get(params.name);
      return project
        ? HttpResponse.json(project)
        : grpcError(
            404,
            5,
            `appprojects.argoproj.io "${params.name}" not found`,
          );
    }),
    route('post', '/api/v1/projects', (_r, _p, call) => {
      const body = call.body as { project?: any; upsert?: boolean };
      const error = validateAgainst('projectProjectCreateRequest', body);
      if (error) return grpcError(400, 3, error);
      const name = body.project?.metadata?.name;
      if (!name) return grpcError(400, 3, 'project name is required');
      if (projects.has(name) && !body.upsert) {
        return grpcError(
          400,
          3,
          'existing project spec is different, use upsert flag to force update',
        );
      }
      projects.set(name, body.project);
      return HttpResponse.json(body.project);
    }),
    route(
      'put',
      '/api/v1/projects/{project.metadata.name}',
      (_r, params, call) => {
        const body = call.body as { project?: any };
        const error = validateAgainst('projectProjectUpdateRequest', body);
        if (error) return grpcError(400, 3, error);
        const name = params.project_metadata_name;
        if (!projects.has(name))
          return grpcError(
            404,
            5,
            `appprojects.argoproj.io "${name}" not found`,
          );
        projects.set(name, body.project);
        return HttpResponse.json(body.project);
      },
    ),
    route('get', '/api/v1/applications/{name}', (request, params) => {
      const app = applications.get(params.name);
      const project = new URL(request.url).searchParams.get('project');
      if (!app || (project && app.spec.project !== project)) {
        return project
          ? grpcError(
              404,
              5,
              `applications.argoproj.io "${params.name}" not found`,
            )
          : grpcError(403, 7, 'permission denied');
      }
      return HttpResponse.json(app);
    }),
    route('post', '/api/v1/applications', (request, _p, call) => {
      const body = call.body as any;
      const error = validateAgainst('v1alpha1Application', body);
      if (error) return grpcError(400, 3, error);
      const name = body?.metadata?.name;
      if (!name) return grpcError(400, 3, 'application name is required');
      if (!projects.has(body.spec?.project)) {
        return grpcError(
          400,
          3,
          `application references project ${body.spec?.project} which does not exist`,
        );
      }
      const upsert = new URL(request.url).searchParams.get('upsert') === 'true';
      if (applications.has(name) && !upsert) {
        return grpcError(
          400,
          3,
          'existing application spec is different; use upsert flag to force update',
        );
      }
      applications.set(name, body);
      return HttpResponse.json(body);
    }),
    route(
      'put',
      '/api/v1/applications/{application.metadata.name}',
      (_r, params, call) => {
        const body = call.body as any;
        const error = validateAgainst('v1alpha1Application', body);
        if (error) return grpcError(400, 3, error);
        const name = params.application_metadata_name;
        if (!applications.has(name))
          return grpcError(
            404,
            5,
            `applications.argoproj.io "${name}" not found`,
          );
        applications.set(name, body);
        return HttpResponse.json(body);
      },
    ),
  ];

  return {
    handlers,
    calls,
    projects,
    applications,
    /** Calls that change state (anything but GET and the session login). */
    writes: () =>
      calls.filter(c => c.method !== 'GET' && c.path !== '/api/v1/session'),
  };
}
