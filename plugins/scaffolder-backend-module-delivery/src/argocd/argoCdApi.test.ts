import { registerMswTestHooks } from '@backstage/backend-test-utils';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { createArgoCdClient } from '@gitops-delivery/backstage-plugin-delivery-node';
import { createFakeArgoCd } from '@gitops-delivery/backstage-plugin-delivery-node/testUtils';
import { argocdSwagger } from 'delivery-test-data';
import { argoCdApiOf } from './argoCdApi';

const server = setupServer();
registerMswTestHooks(server);

const PASSWORD = 'scaffolder-pass/1a+2&b';
const SESSION = 'scaffolder-session/3c+4&d';
const TOKEN = 'scaffolder-token/5e+6&f';

/** Every request header (and the body), echoed the way some gateways do. */
async function echo(request: Request) {
  const headers = [...request.headers].map(
    ([k, v]) => `${k}: ${v} ${encodeURIComponent(v)} ${JSON.stringify(v)}`,
  );
  return `${headers.join('; ')} ${await request.text()}`;
}

function forms(secret: string) {
  return [
    secret,
    encodeURIComponent(secret),
    JSON.stringify(secret).slice(1, -1),
  ];
}

describe('argoCdApiOf redaction', () => {
  it.each([401, 403, 500, 200])(
    'never shows the configured or the obtained token in a %s error',
    async status => {
      server.use(
        http.post('http://argo.test/api/v1/session', () =>
          HttpResponse.json({ token: SESSION }),
        ),
        http.get('http://argo.test/api/v1/projects/*', async ({ request }) => {
          const text = await echo(request);
          return status === 200
            ? HttpResponse.text(`not json ${text}`, { status: 502 })
            : HttpResponse.json({ message: text }, { status });
        }),
      );
      for (const instance of [
        { name: 'a', url: 'http://argo.test', token: TOKEN },
        {
          name: 'b',
          url: 'http://argo.test',
          username: 'admin',
          password: PASSWORD,
        },
      ]) {
        const client = argoCdApiOf(
          createArgoCdClient({ instances: [instance], timeoutMs: 1000 }),
          instance.name,
        );
        const error: Error = await client.getProject('p').then(
          () => {
            throw new Error('expected a failure');
          },
          e => e,
        );
        // the upstream's JSON error text is quoted, redacted
        expect(status === 200 || error.message.includes('***')).toBe(true);
        for (const secret of [PASSWORD, SESSION, TOKEN].flatMap(forms)) {
          expect(`${error.message} ${error.stack}`).not.toContain(secret);
        }
      }
    },
  );
});

describe('argoCdApiOf', () => {
  const instance = {
    name: 'nonprod',
    url: 'http://argo.test',
    username: 'admin',
    password: PASSWORD,
  };
  const project = { metadata: { name: 'p' }, spec: {} };

  function fake() {
    const argocd = createFakeArgoCd({
      baseUrl: instance.url,
      contract: argocdSwagger(),
      users: { admin: PASSWORD },
      projects: [project],
    });
    server.use(...argocd.handlers);
    return argocd;
  }

  it('logs in again when the session token has expired', async () => {
    const argocd = fake();
    const api = argoCdApiOf(
      createArgoCdClient({ instances: [instance], timeoutMs: 1000 }),
      'nonprod',
    );
    await api.getProject('p');
    await api.getProject('p');
    expect(argocd.sessions()).toBe(1);
    argocd.expireSessions();
    await expect(api.getProject('p')).resolves.toMatchObject(project);
    expect(argocd.sessions()).toBe(2);
    expect(argocd.calls.map(c => `${c.method} ${c.path}`)).toEqual([
      'POST /api/v1/session',
      'GET /api/v1/projects/p',
      'GET /api/v1/projects/p',
      'GET /api/v1/projects/p',
      'POST /api/v1/session',
      'GET /api/v1/projects/p',
    ]);
  });

  it('answers undefined for a missing object and maps failures to @backstage/errors', async () => {
    fake();
    const api = argoCdApiOf(
      createArgoCdClient({ instances: [instance], timeoutMs: 1000 }),
      'nonprod',
    );
    await expect(api.getProject('missing')).resolves.toBeUndefined();
    await expect(api.getApplication('missing', 'p')).resolves.toBeUndefined();
    await expect(api.createProject(project)).rejects.toMatchObject({
      name: 'InputError',
      message: expect.stringMatching(
        /^Argo CD instance "nonprod": POST \/api\/v1\/projects answered HTTP 400: existing project spec is different/,
      ),
    });
    const wrong = argoCdApiOf(
      createArgoCdClient({
        instances: [{ ...instance, password: 'wrong-password' }],
        timeoutMs: 1000,
      }),
      'nonprod',
    );
    await expect(wrong.getProject('p')).rejects.toMatchObject({
      name: 'AuthenticationError',
      message: expect.stringContaining(
        "login failed: HTTP 401 (check the instance's token or username/password in delivery.argocd)",
      ),
    });
  });
});
