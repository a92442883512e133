import { jsonFixture } from 'delivery-test-data';
import { ARGO_AUTH, getJson, testSandbox } from './testUtils';
import type { Sandbox } from './server';

const fixture = (name: string) => jsonFixture(`argocd/${name}`);

describe('sandbox: Argo CD API semantics', () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = await testSandbox('demo');
  });
  afterAll(() => sandbox.close());

  const api = (path: string) => `${sandbox.url}/argocd/main/api/v1${path}`;
  const list = (query: string, headers: Record<string, string> = ARGO_AUTH) =>
    getJson(api(`/applications${query}`), { headers });

  it('lists the demo applications by selector with the demo token, sorted by name', async () => {
    const res = await list('?selector=app%3Dcheckout');
    expect(res.status).toBe(200);
    expect(res.headers.get('x-sandbox')).toBe('true');
    expect(res.body.items.map((a: any) => a.metadata.name)).toEqual([
      'checkout-dev',
      'checkout-production',
      'checkout-staging',
    ]);
    expect(
      res.body.items.map((a: any) => a.metadata.labels.environment),
    ).toEqual(['dev', 'production', 'staging']);
  });

  it('supports set-based selectors, projects, appNamespace and name filters', async () => {
    const names = async (q: string) =>
      ((await list(q)).body.items ?? []).map((a: any) => a.metadata.name);
    expect(
      await names(
        '?selector=app%20in%20(payments,search),environment%20notin%20(dev,staging)',
      ),
    ).toEqual(['payments-production', 'search-production']);
    expect(await names('?selector=!app')).toEqual([]);
    expect(await names('?projects=default')).toEqual(['search-production']);
    expect(
      await names('?project=default&projects=storefront&selector=app%3Dsearch'),
    ).toEqual(['search-production']);
    expect(await names('?appNamespace=other')).toEqual([]);
    expect(await names('?name=checkout-dev')).toEqual(['checkout-dev']);
    const nonprod = await getJson(
      `${sandbox.url}/argocd/nonprod/api/v1/applications?selector=app%3Dinventory`,
      {
        headers: ARGO_AUTH,
      },
    );
    expect(nonprod.body.items.map((a: any) => a.metadata.name)).toEqual([
      'inventory-dev',
      'inventory-staging',
    ]);
  });

  it('answers 401 with the recorded error body without a token, and ignores a malformed bearer', async () => {
    const res = await list('', {});
    expect(res.status).toBe(401);
    expect(res.body).toEqual(fixture('error-401-no-session.json'));
    const malformed = await list('', { authorization: 'Bearer' });
    expect(malformed.status).toBe(401);
    const cookie = await list('', {
      authorization: 'Basic x',
      cookie: 'argocd.token=sandbox-demo-token',
    });
    expect(cookie.status).toBe(200);
    const bad = await list('', { authorization: 'Bearer a.b.c' });
    expect(bad.status).toBe(401);
    expect(bad.body.message).toMatch(/^invalid session: /);
  });

  it('hides missing apps behind 403 unless the project is named (then 404), like Argo CD', async () => {
    const denied = await getJson(api('/applications/checkout'), {
      headers: ARGO_AUTH,
    });
    expect(denied.status).toBe(403);
    expect(denied.body).toEqual(fixture('error-403-permission-denied.json'));
    const missing = await getJson(
      api('/applications/checkout?project=storefront'),
      { headers: ARGO_AUTH },
    );
    expect(missing.status).toBe(404);
    expect(missing.body).toEqual(fixture('error-404-app-not-found.json'));
    const wrongProject = await getJson(
      api('/applications/checkout-dev?project=default'),
      { headers: ARGO_AUTH },
    );
    expect(wrongProject.status).toBe(404);
  });

  it('answers 415 in plain text for a POST without the JSON content type', async () => {
    const res = await fetch(api('/applications/checkout-production/sync'), {
      method: 'POST',
      headers: { ...ARGO_AUTH, 'content-type': 'text/plain' },
      body: '{}',
    });
    expect(res.status).toBe(415);
    expect(await res.text()).toBe('Invalid content type\n');
  });

  it('returns items: null when nothing matches, like Argo CD', async () => {
    const res = await list('?selector=app%3Dnone');
    expect(res.body.items).toBeNull();
  });

  it('issues a session JWT that works as a bearer on its own instance only', async () => {
    const session = await getJson(api('/session'), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password: 'sandbox-password' }),
    });
    const token = session.body.token as string;
    const claims = JSON.parse(
      Buffer.from(token.split('.')[1], 'base64url').toString(),
    );
    expect(claims.exp - claims.iat).toBe(3600);
    expect((await list('', { authorization: `Bearer ${token}` })).status).toBe(
      200,
    );
    const other = await getJson(
      `${sandbox.url}/argocd/nonprod/api/v1/applications`,
      {
        headers: { authorization: `Bearer ${token}` },
      },
    );
    expect(other.status).toBe(401);
    const wrong = await getJson(api('/session'), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password: 'nope' }),
    });
    expect(wrong.status).toBe(401);
    expect(JSON.stringify(wrong.body)).not.toContain('nope');
  });

  it('serves a multi-source application with revisions per source', async () => {
    const app = await getJson(api('/applications/search-production'), {
      headers: ARGO_AUTH,
    });
    expect(app.body.spec.sources).toHaveLength(2);
    expect(app.body.status.sync.revisions).toHaveLength(2);
    expect(app.body.status.history[0].revisions).toHaveLength(2);
    const meta = await getJson(
      api(
        `/applications/search-production/revisions/${app.body.status.sync.revisions[0]}/metadata?sourceIndex=0`,
      ),
      { headers: ARGO_AUTH },
    );
    expect(meta.body).toMatchObject({
      author: expect.any(String),
      message: expect.stringContaining('search 0.9.1'),
    });
  });
});
