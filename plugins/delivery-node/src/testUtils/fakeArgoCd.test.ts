import { registerMswTestHooks } from '@backstage/backend-test-utils';
import { argocdSwagger } from 'delivery-test-data';
import { setupServer } from 'msw/node';
import { createFakeArgoCd } from './fakeArgoCd';

const server = setupServer();
registerMswTestHooks(server);

const BASE = 'http://argocd.test/argocd';
const json = { 'Content-Type': 'application/json' };

function fake(options: Partial<Parameters<typeof createFakeArgoCd>[0]> = {}) {
  const argocd = createFakeArgoCd({
    baseUrl: BASE,
    contract: argocdSwagger(),
    users: { admin: 'pw' },
    applications: [
      {
        metadata: { name: 'a', namespace: 'argocd', labels: { app: 'x' } },
        spec: { project: 'p' },
      },
    ],
    ...options,
  });
  server.use(...argocd.handlers);
  return argocd;
}

async function login(): Promise<string> {
  const res = await fetch(`${BASE}/api/v1/session`, {
    method: 'POST',
    headers: json,
    body: JSON.stringify({ username: 'admin', password: 'pw' }),
  });
  return (await res.json()).token;
}

describe('createFakeArgoCd', () => {
  it('serves the application API to a logged-in caller and records the calls', async () => {
    const argocd = fake();
    const token = await login();
    const res = await fetch(`${BASE}/api/v1/applications?selector=app%3Dx`, {
      headers: { Authorization: `Bearer ${token}` },
    });
    expect(res.status).toBe(200);
    expect((await res.json()).items.map((a: any) => a.metadata.name)).toEqual([
      'a',
    ]);
    expect(argocd.calls.map(c => `${c.method} ${c.path}`)).toEqual([
      'POST /api/v1/session',
      'GET /api/v1/applications',
    ]);
    expect(argocd.sessions()).toBe(1);
  });

  it('refuses an expired session, a wrong password and no token with 401', async () => {
    const argocd = fake();
    const token = await login();
    argocd.expireSessions();
    const expired = await fetch(`${BASE}/api/v1/applications/a`, {
      headers: { Authorization: `Bearer ${token}` },
    });
    expect(expired.status).toBe(401);
    expect(await expired.json()).toEqual({
      error: 'no session information',
      code: 16,
      message: 'no session information',
    });
    const wrong = await fetch(`${BASE}/api/v1/session`, {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ username: 'admin', password: 'nope' }),
    });
    expect(wrong.status).toBe(401);
  });

  it('answers a missing application 404 with a project, else 403', async () => {
    fake({ users: undefined });
    const withProject = await fetch(
      `${BASE}/api/v1/applications/missing?project=p`,
    );
    expect(withProject.status).toBe(404);
    const without = await fetch(`${BASE}/api/v1/applications/missing`);
    expect(without.status).toBe(403);
  });

  it('refuses a query parameter that is not in the contract', async () => {
    fake({ users: undefined });
    const res = await fetch(`${BASE}/api/v1/applications/a?projectName=p`);
    expect(res.status).toBe(400);
    expect((await res.json()).message).toBe(
      'contract: query parameter "projectName" is not in the Argo CD API\'s GET /api/v1/applications/{name}',
    );
  });

  it('refuses a body that does not match the contract', async () => {
    const argocd = fake({
      users: undefined,
      projects: [{ metadata: { name: 'p' }, spec: {} }],
    });
    const res = await fetch(`${BASE}/api/v1/applications`, {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ metadata: { name: 'b' }, spec: { project: 7 } }),
    });
    expect(res.status).toBe(400);
    expect((await res.json()).message).toMatch(
      /^contract: the body of POST \/api\/v1\/applications does not match v1alpha1Application: .*project/,
    );
    expect(argocd.applications.has('b')).toBe(false);
  });

  it('refuses a route that is not in the contract before serving it', () => {
    const contract = argocdSwagger();
    delete contract.paths['/api/v1/projects/{name}'];
    expect(() => createFakeArgoCd({ baseUrl: BASE, contract })).toThrow(
      'GET /api/v1/projects/{name} is not an operation of the Argo CD API',
    );
  });

  it('shows the configured faults', async () => {
    fake({
      users: undefined,
      faults: [
        { match: /resource-tree$/, fault: { kind: 'status', status: 502 } },
      ],
    });
    const res = await fetch(`${BASE}/api/v1/applications/a/resource-tree`);
    expect(res.status).toBe(502);
    expect(await res.text()).toBe('<html>error</html>');
  });
});
