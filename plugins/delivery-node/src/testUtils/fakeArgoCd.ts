import { delay, http, HttpResponse, type HttpHandler } from 'msw';
import { createArgoCdContract, type ArgoCdContract } from './contract';
import {
  createRoutes,
  grpcError,
  type FakeState,
  type Route,
} from './fakeArgoCdRoutes';
import type {
  FakeArgoCdApplication,
  FakeArgoCdCall,
  FakeArgoCdOptions,
} from './fakeArgoCdTypes';

/** A stateful fake Argo CD instance. @public */
export interface FakeArgoCd {
  /** msw handlers serving the instance's API. */
  handlers: HttpHandler[];
  /** Every request it received, in order. */
  calls: FakeArgoCdCall[];
  // The stored objects are whatever the test and the writes put there:
  // typed loosely so that a test can look into any part of them.
  /** Its AppProjects by name (writes change them). */
  projects: Map<string, any>;
  /** Its Applications by name, as they are now (writes change them). */
  readonly applications: Map<string, any>;
  /** Calls that change state (anything but GET and the session login). */
  writes(): FakeArgoCdCall[];
  /** How many logins succeeded. */
  sessions(): number;
  /** Forgets the session tokens issued so far, as when they expire. */
  expireSessions(): void;
}

const SESSION = '/api/v1/session';

function compile(route: Route) {
  const names: string[] = [];
  const source = route.template.replace(/\{([^}]+)\}/g, (_m, name) => {
    names.push(name);
    return '([^/]+)';
  });
  const regex = new RegExp(`^${source}$`);
  return (method: string, path: string) => {
    if (method !== route.method) return undefined;
    const match = regex.exec(path);
    if (!match) return undefined;
    return Object.fromEntries(
      names.map((n, i) => [n, decodeURIComponent(match[i + 1])]),
    );
  };
}

async function readBody(request: Request): Promise<unknown> {
  if (request.method === 'GET') return undefined;
  return request
    .clone()
    .json()
    .catch(() => undefined);
}

function faultResponse(
  fault: NonNullable<FakeArgoCdOptions['faults']>[0]['fault'],
) {
  switch (fault.kind) {
    case 'hang':
      return delay(fault.ms).then(() => HttpResponse.json({}, { status: 504 }));
    case 'network':
      return HttpResponse.error();
    case 'status':
      return new HttpResponse(fault.body ?? '<html>error</html>', {
        status: fault.status,
      });
    default:
      return new HttpResponse('{"items": [', {
        headers: { 'Content-Type': 'application/json' },
      });
  }
}

/**
 * A fake Argo CD API server as msw handlers, recording every request into
 * `calls` (its own list by default), with state: applications,
 * their trees, live objects, actions and revision metadata, projects, and
 * logins. With `contract` (the Argo CD swagger), every route it serves must
 * be an operation of it and every request's query parameters and body must
 * match it; a request that does not gets a 400 naming the mismatch.
 *
 * @public
 */
export function createFakeArgoCd(
  options: FakeArgoCdOptions,
  calls: FakeArgoCdCall[] = [],
): FakeArgoCd {
  const name = options.name ?? options.baseUrl;
  const basePath = new URL(options.baseUrl).pathname.replace(/\/$/, '');
  const contract: ArgoCdContract | undefined = options.contract
    ? createArgoCdContract(options.contract)
    : undefined;
  const ownApplications: FakeArgoCdApplication[] = [];
  const state: FakeState = {
    projects: new Map(
      (options.projects ?? []).map(p => [p.metadata.name, structuredClone(p)]),
    ),
    get applications() {
      return options.applications ?? ownApplications;
    },
    get trees() {
      return options.trees ?? {};
    },
    get resources() {
      return options.resources ?? {};
    },
    get actions() {
      return options.actions ?? {};
    },
    get metadata() {
      return options.metadata ?? {};
    },
  };
  const routes = createRoutes(state).map(route => {
    contract?.assertOperation(route.method, route.template);
    return { route, match: compile(route) };
  });
  contract?.assertOperation('POST', SESSION);
  const openToAll = !options.tokens?.length && !options.users;
  const tokens = new Set(options.tokens ?? []);
  let issued = new Set<string>();
  let sessions = 0;

  function login(body: unknown): Response {
    const { username, password } = (body ?? {}) as Record<string, unknown>;
    if (
      typeof username !== 'string' ||
      options.users?.[username] === undefined ||
      options.users[username] !== password
    ) {
      return grpcError(401, 16, 'Invalid username or password');
    }
    sessions += 1;
    const token =
      typeof options.sessionToken === 'function'
        ? options.sessionToken(sessions)
        : options.sessionToken ?? `session-token-${sessions}`;
    issued.add(token);
    return HttpResponse.json({ token });
  }

  function authorized(authorization: string | undefined) {
    if (openToAll) return true;
    const token = authorization?.replace(/^Bearer /, '') ?? '';
    return tokens.has(token) || issued.has(token);
  }

  async function serve(request: Request): Promise<Response> {
    const url = new URL(request.url);
    const path = url.pathname.slice(basePath.length);
    const authorization = request.headers.get('authorization') ?? undefined;
    const body = await readBody(request);
    calls.push({
      instance: name,
      method: request.method,
      path,
      search: url.search,
      authorization,
      ...(body !== undefined ? { body } : {}),
    });
    const fault = options.faults?.find(f =>
      f.match.test(`${request.method} ${path}`),
    )?.fault;
    if (fault) return faultResponse(fault);
    if (
      request.method !== 'GET' &&
      !request.headers.get('content-type')?.startsWith('application/json')
    ) {
      return new HttpResponse('Invalid content type', { status: 415 });
    }
    const found =
      request.method === 'POST' && path === SESSION
        ? { template: SESSION, params: {}, route: undefined }
        : routes
            .map(({ route, match }) => ({
              route,
              template: route.template,
              params: match(request.method, path),
            }))
            .find(r => r.params);
    if (!found?.params) return grpcError(404, 5, 'Not Found');
    const problem = contract?.check(
      request.method,
      found.template,
      url.searchParams,
      body,
    );
    if (problem) return grpcError(400, 3, `contract: ${problem}`);
    if (!found.route) return login(body);
    if (!authorized(authorization)) {
      return grpcError(401, 16, 'no session information');
    }
    return found.route.handle({
      params: found.params,
      query: url.searchParams,
      body,
    });
  }

  return {
    handlers: [
      http.all(
        `${options.baseUrl.replace(/\/$/, '')}/api/v1/*`,
        ({ request }) => serve(request),
      ),
    ],
    calls,
    projects: state.projects,
    get applications() {
      return new Map(state.applications.map(a => [a.metadata.name, a]));
    },
    writes: () => calls.filter(c => c.method !== 'GET' && c.path !== SESSION),
    sessions: () => sessions,
    expireSessions: () => {
      issued = new Set();
    },
  };
}

/**
 * Fakes for several named instances that record into one list of calls
 * (each call names its instance).
 *
 * @public
 */
export function fakeArgoCdHandlers(
  instances: Record<string, FakeArgoCdOptions>,
  calls: FakeArgoCdCall[],
): HttpHandler[] {
  return Object.entries(instances).flatMap(([name, options]) => {
    // the test's own object: the fake reads and writes its state there
    options.name = name;
    return createFakeArgoCd(options, calls).handlers;
  });
}
