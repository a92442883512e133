import { startSandbox, type Sandbox } from './server';

describe('sandbox: Argo CD application list', () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = await startSandbox({ port: 0 });
  });
  afterAll(() => sandbox.close());

  const list = (query: string, token = 'sandbox-demo-token') =>
    fetch(`${sandbox.url}/argocd/main/api/v1/applications${query}`, {
      headers: token ? { authorization: `Bearer ${token}` } : {},
    });

  it('lists applications by selector with the demo token', async () => {
    const res = await list('?selector=app%3Dcheckout');
    expect(res.status).toBe(200);
    expect(res.headers.get('x-sandbox')).toBe('true');
    const body = await res.json();
    expect(body.items.map((a: any) => a.metadata.name)).toEqual([
      'checkout-dev',
      'checkout-staging',
      'checkout-production',
    ]);
  });

  it('answers 401 with the Argo CD error body without a token', async () => {
    const res = await list('', '');
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({
      error: 'no session information',
      code: 16,
      message: 'no session information',
    });
  });

  it('returns items: null when nothing matches, like Argo CD', async () => {
    const res = await list('?selector=app%3Dnone');
    expect((await res.json()).items).toBeNull();
  });
});
