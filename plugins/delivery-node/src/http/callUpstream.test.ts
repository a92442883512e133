import { registerMswTestHooks } from '@backstage/backend-test-utils';
import { delay, http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { createSecretRedactor } from '../redaction/secretRedactor';
import { fakeMetrics } from '../testUtils/fakeMetrics';
import {
  callUpstream,
  createUpstreamCallMetrics,
  fetchUpstream,
  toBackstageError,
  upstreamErrorText,
  upstreamOutcomeForStatus,
  UpstreamTransportError,
} from './callUpstream';

const server = setupServer();
registerMswTestHooks(server);

const URL_ = 'http://upstream.test/api/things';
const SECRET = 'upstream-secret-9f8e7d';

describe('callUpstream', () => {
  it('answers the status, headers and the whole body, and counts the call', async () => {
    server.use(
      http.post(URL_, async ({ request }) =>
        HttpResponse.json(
          {
            got: await request.json(),
            type: request.headers.get('content-type'),
          },
          { status: 201, headers: { 'x-one': '1' } },
        ),
      ),
    );
    const { metrics, records } = fakeMetrics();
    const answer = await callUpstream({
      what: 'Things',
      url: URL_,
      method: 'POST',
      body: { a: 1 },
      timeoutMs: 1000,
      metrics: createUpstreamCallMetrics(metrics, 'things'),
      route: 'POST /api/things',
      instance: 'one',
    });
    expect(answer.status).toBe(201);
    expect(answer.headers.get('x-one')).toBe('1');
    expect(JSON.parse(answer.text)).toEqual({
      got: { a: 1 },
      type: 'application/json',
    });
    expect(records.map(r => [r.name, r.attributes])).toEqual([
      [
        'delivery.things.calls',
        { route: 'POST /api/things', outcome: 'ok', instance: 'one' },
      ],
      [
        'delivery.things.call.duration',
        { route: 'POST /api/things', outcome: 'ok', instance: 'one' },
      ],
    ]);
  });

  it('fails with a timeout when the answer or its body is late, as a 503', async () => {
    server.use(
      http.get(URL_, async () => {
        await delay(500);
        return HttpResponse.json({});
      }),
    );
    const { metrics, records } = fakeMetrics();
    const error = await callUpstream({
      what: 'Things',
      url: URL_,
      timeoutMs: 50,
      metrics: createUpstreamCallMetrics(metrics, 'things'),
    }).catch(e => e);
    expect(error).toBeInstanceOf(UpstreamTransportError);
    expect(error).toMatchObject({
      name: 'ServiceUnavailableError',
      kind: 'timeout',
      message: 'Things: no answer within 50 ms',
    });
    expect(records[0].attributes).toMatchObject({ outcome: 'timeout' });
  });

  it('redacts what a failed connection says', async () => {
    const redactor = createSecretRedactor();
    redactor.register(SECRET);
    const failing = (async () => {
      throw new TypeError(`connect failed for ${SECRET}`);
    }) as unknown as typeof fetch;
    const error = await callUpstream({
      what: 'Things',
      url: URL_,
      timeoutMs: 1000,
      redactor,
      fetch: failing,
    }).catch(e => e);
    expect(error).toMatchObject({
      kind: 'unreachable',
      message: 'Things could not be reached: connect failed for ***',
      detail: 'connect failed for ***',
    });
  });

  it('answers a fetch Response for clients written against fetch', async () => {
    server.use(http.get(URL_, () => new HttpResponse(null, { status: 204 })));
    const response = await fetchUpstream({
      what: 'Things',
      url: URL_,
      timeoutMs: 1000,
    });
    expect(response.status).toBe(204);
  });
});

describe('status mapping', () => {
  it.each([
    [200, 'ok', 'ServiceUnavailableError'],
    [400, 'bad-request', 'InputError'],
    [401, 'unauthorized', 'AuthenticationError'],
    [403, 'forbidden', 'NotAllowedError'],
    [404, 'not-found', 'NotFoundError'],
    [409, 'conflict', 'ConflictError'],
    [422, 'bad-request', 'InputError'],
    [502, 'upstream-error', 'ServiceUnavailableError'],
  ])('HTTP %s is %s, thrown as %s', (status, outcome, name) => {
    expect(upstreamOutcomeForStatus(status)).toBe(outcome);
    expect(toBackstageError(outcome, 'm')).toMatchObject({
      name,
      message: 'm',
    });
  });

  it("quotes the upstream's error text redacted before it is cut", () => {
    const redactor = createSecretRedactor();
    redactor.register(SECRET);
    expect(
      upstreamErrorText(
        JSON.stringify({ message: `bad token ${SECRET}` }),
        redactor,
        12,
      ),
    ).toBe('bad token **');
    expect(
      upstreamErrorText(
        JSON.stringify({ errors: [{ detail: 'no such org' }] }),
        redactor,
      ),
    ).toBe('no such org');
    expect(upstreamErrorText('<html>', redactor)).toBe('');
  });
});
