import { memoryCache } from '../testUtils/memoryCache';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { registerMswTestHooks } from '@backstage/backend-test-utils';
import { createCoalescingCache } from '../cache/createCoalescingCache';
import { createArgoCdClient } from './createArgoCdClient';
import { ArgoCdError } from './ArgoCdError';
import { jwtExpiryMs } from './sessionToken';
import { fakeMetrics } from '../testUtils/fakeMetrics';

const server = setupServer();
registerMswTestHooks(server);

const TOKEN = 'static-token-0123456789';
const PASSWORD = 'pw-0123456789';

function client(overrides: { timeoutMs?: number; liveTtlMs?: number } = {}) {
  return createArgoCdClient({
    instances: [
      { name: 'a', url: 'http://a.test', token: TOKEN },
      {
        name: 'b',
        url: 'http://b.test/argocd',
        username: 'admin',
        password: PASSWORD,
      },
    ],
    timeoutMs: overrides.timeoutMs ?? 1000,
    cache: createCoalescingCache(memoryCache()),
    liveTtlMs: overrides.liveTtlMs ?? 0,
    revisionMetadataTtlMs: 1000,
  });
}

function jwt(exp: number) {
  const part = (o: object) =>
    Buffer.from(JSON.stringify(o)).toString('base64url');
  return `${part({ alg: 'none' })}.${part({ exp })}.x`;
}

describe('ArgoCdClient', () => {
  it('encodes names as path segments and sends the query', async () => {
    let seen = '';
    server.use(
      http.get(
        'http://a.test/api/v1/applications/:name/resource-tree',
        ({ request }) => {
          seen = request.url;
          return HttpResponse.json({ nodes: [] });
        },
      ),
    );
    await client().getResourceTree('a', {
      name: 'x y',
      appNamespace: 'ns',
      project: 'p',
    });
    expect(seen).toBe(
      'http://a.test/api/v1/applications/x%20y/resource-tree?appNamespace=ns&project=p',
    );
  });

  it('refuses an instance that is not configured, without any call', async () => {
    await expect(
      client().listApplications('evil.example.com', {}),
    ).rejects.toMatchObject({
      kind: 'unknown-instance',
      message:
        'Argo CD instance "evil.example.com": no such instance is configured',
    });
  });

  it('turns upstream errors into typed errors that name the instance and never the token', async () => {
    server.use(
      http.get('http://a.test/api/v1/applications', () =>
        HttpResponse.json(
          {
            error: `bad token ${TOKEN}`,
            code: 16,
            message: `bad token ${TOKEN}`,
          },
          { status: 401 },
        ),
      ),
    );
    const error: ArgoCdError = await client()
      .listApplications('a', {})
      .catch(e => e);
    expect(error).toBeInstanceOf(ArgoCdError);
    expect(error).toMatchObject({
      instance: 'a',
      kind: 'unauthorized',
      status: 401,
    });
    expect(error.message).toBe(
      'Argo CD instance "a": GET /api/v1/applications answered HTTP 401: bad token ***',
    );
  });

  it('parses the live manifest string of a resource and rejects malformed ones', async () => {
    server.use(
      http.get(
        'http://a.test/api/v1/applications/app/resource',
        ({ request }) =>
          new URL(request.url).searchParams.get('resourceName') === 'good'
            ? HttpResponse.json({ manifest: '{"kind":"Rollout"}' })
            : HttpResponse.json({ manifest: '{"kind":' }),
      ),
    );
    const ref = {
      group: 'argoproj.io',
      version: 'v1alpha1',
      kind: 'Rollout',
      namespace: 'n',
    };
    await expect(
      client().getResource('a', { name: 'app' }, { ...ref, name: 'good' }),
    ).resolves.toEqual({ kind: 'Rollout' });
    await expect(
      client().getResource('a', { name: 'app' }, { ...ref, name: 'bad' }),
    ).rejects.toMatchObject({ kind: 'malformed-response' });
  });

  it('times out a slow call', async () => {
    // The upstream answers only after the client has given up, so the call
    // can only settle through the client's own configured timeout.
    let answer!: () => void;
    const released = new Promise<void>(resolve => {
      answer = resolve;
    });
    server.use(
      http.get('http://a.test/api/v1/applications', async () => {
        await released;
        return HttpResponse.json({ items: [] });
      }),
    );
    await expect(
      client({ timeoutMs: 200 }).listApplications('a', {}),
    ).rejects.toMatchObject({
      kind: 'timeout',
      message:
        'Argo CD instance "a": GET /api/v1/applications: no answer within 200 ms',
    });
    answer();
  });

  it('logs in once for concurrent calls and re-uses the session until it expires', async () => {
    let logins = 0;
    const token = jwt(Math.floor(Date.now() / 1000) + 3600);
    server.use(
      http.post('http://b.test/argocd/api/v1/session', async ({ request }) => {
        logins++;
        expect(await request.json()).toEqual({
          username: 'admin',
          password: PASSWORD,
        });
        return HttpResponse.json({ token });
      }),
      http.get('http://b.test/argocd/api/v1/applications', ({ request }) =>
        request.headers.get('authorization') === `Bearer ${token}`
          ? HttpResponse.json({ items: null })
          : new HttpResponse(null, { status: 401 }),
      ),
    );
    const c = client();
    await Promise.all([
      c.listApplications('b', { selector: 'a=1' }),
      c.listApplications('b', { selector: 'a=2' }),
    ]);
    await c.listApplications('b', { selector: 'a=3' });
    expect(logins).toBe(1);
    expect(jwtExpiryMs(token)).toBeGreaterThan(Date.now());
  });

  it('runs an action through v2 and falls back to v1 on servers before 3.1', async () => {
    const bodies: unknown[] = [];
    server.use(
      http.post(
        'http://a.test/api/v1/applications/app/resource/actions/v2',
        () => new HttpResponse('Not Found', { status: 404 }),
      ),
      http.post(
        'http://a.test/api/v1/applications/app/resource/actions',
        async ({ request }) => {
          bodies.push({
            body: await request.json(),
            query: new URL(request.url).searchParams.get('kind'),
            contentType: request.headers.get('content-type'),
          });
          return HttpResponse.json({});
        },
      ),
    );
    await client().runResourceAction(
      'a',
      { name: 'app', appNamespace: 'argocd' },
      {
        group: 'argoproj.io',
        version: 'v1alpha1',
        kind: 'Rollout',
        namespace: 'n',
        name: 'r',
      },
      'promote-full',
    );
    expect(bodies).toEqual([
      {
        body: 'promote-full',
        query: 'Rollout',
        contentType: 'application/json',
      },
    ]);
  });

  it('does not fall back when v2 rejects the action itself', async () => {
    server.use(
      http.post(
        'http://a.test/api/v1/applications/app/resource/actions/v2',
        () =>
          HttpResponse.json(
            { error: 'denied', code: 7, message: 'permission denied' },
            { status: 403 },
          ),
      ),
    );
    await expect(
      client().runResourceAction(
        'a',
        { name: 'app' },
        {
          group: 'argoproj.io',
          version: 'v1alpha1',
          kind: 'Rollout',
          namespace: 'n',
          name: 'r',
        },
        'abort',
      ),
    ).rejects.toMatchObject({ kind: 'forbidden', status: 403 });
  });

  it('counts and times every upstream call by instance, route template and outcome', async () => {
    server.use(
      http.get('http://a.test/api/v1/applications/:name/resource-tree', () =>
        HttpResponse.json({ nodes: [] }),
      ),
      http.get(
        'http://a.test/api/v1/applications',
        () => new HttpResponse('down', { status: 503 }),
      ),
    );
    const { metrics, records } = fakeMetrics();
    const c = createArgoCdClient({
      instances: [{ name: 'a', url: 'http://a.test', token: TOKEN }],
      timeoutMs: 1000,
      cache: createCoalescingCache(memoryCache(), metrics),
      liveTtlMs: 1000,
      revisionMetadataTtlMs: 1000,
      metrics,
    });
    await c.getResourceTree('a', { name: 'shop' });
    await c.getResourceTree('a', { name: 'shop' });
    await c.listApplications('a', {}).catch(() => {});
    const calls = records.filter(r => r.name === 'delivery.argocd.calls');
    expect(calls.map(r => r.attributes)).toEqual([
      {
        instance: 'a',
        route: 'GET /api/v1/applications/{name}/resource-tree',
        outcome: 'ok',
      },
      {
        instance: 'a',
        route: 'GET /api/v1/applications',
        outcome: 'upstream-error',
      },
    ]);
    expect(
      records.filter(r => r.name === 'delivery.argocd.call.duration'),
    ).toHaveLength(2);
    expect(
      records
        .filter(r => r.name === 'delivery.cache.lookups')
        .map(r => r.attributes),
    ).toEqual([
      { upstream: 'argocd', result: 'miss' },
      { upstream: 'argocd', result: 'hit' },
      { upstream: 'argocd', result: 'miss' },
    ]);
  });

  it('builds UI links for apps in any namespace', () => {
    expect(
      client().applicationUrl('a', { name: 'x', appNamespace: 'team' }),
    ).toBe('http://a.test/applications/team/x');
  });
});
