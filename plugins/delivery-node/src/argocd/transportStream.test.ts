import { http, delay } from 'msw';
import { setupServer } from 'msw/node';
import { registerMswTestHooks } from '@backstage/backend-test-utils';
import { createArgoCdTransport } from './transport';
import { createSecretRedactor } from '../redaction/secretRedactor';

const server = setupServer();
registerMswTestHooks(server);

describe('ArgoCdTransport.openStream', () => {
  it('gives up waiting for a hanging login when its signal aborts (a stopping watch does not wait for the login timeout)', async () => {
    let logins = 0;
    server.use(
      http.post('http://b.test/api/v1/session', async () => {
        logins++;
        await delay('infinite');
      }),
    );
    const transport = createArgoCdTransport({
      instances: [
        { name: 'b', url: 'http://b.test', username: 'admin', password: 'pw' },
      ],
      // far beyond Jest's 5 s test timeout: only the abort can end the wait
      timeoutMs: 600_000,
      redactor: createSecretRedactor(),
    });
    const stop = new AbortController();
    const opening = transport.openStream(
      'b',
      { method: 'GET', path: '/api/v1/stream/applications' },
      stop.signal,
    );
    await new Promise(resolve => setTimeout(resolve, 50));
    expect(logins).toBe(1);
    stop.abort();
    await expect(opening).rejects.toBeDefined();
  });

  it('rejects at once when its signal is already aborted', async () => {
    const transport = createArgoCdTransport({
      instances: [{ name: 'a', url: 'http://a.test', token: 't' }],
      timeoutMs: 600_000,
      redactor: createSecretRedactor(),
    });
    const stop = new AbortController();
    stop.abort();
    await expect(
      transport.openStream(
        'a',
        { method: 'GET', path: '/api/v1/stream/applications' },
        stop.signal,
      ),
    ).rejects.toBeDefined();
  });
});
