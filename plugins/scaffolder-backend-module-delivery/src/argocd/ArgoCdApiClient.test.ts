import { registerMswTestHooks } from '@backstage/backend-test-utils';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { ArgoCdApiClient } from './ArgoCdApiClient';

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

describe('ArgoCdApiClient redaction', () => {
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
        const client = new ArgoCdApiClient({ instance, timeoutMs: 1000 });
        const error: Error = await client.getProject('p').then(
          () => {
            throw new Error('expected a failure');
          },
          e => e,
        );
        expect(error.message).toContain('***');
        for (const secret of [PASSWORD, SESSION, TOKEN].flatMap(forms)) {
          expect(`${error.message} ${error.stack}`).not.toContain(secret);
        }
      }
    },
  );
});
