import { ResponseError } from '@backstage/errors';
import { registerMswTestHooks } from '@backstage/test-utils';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { DeliveryClient } from './DeliveryClient';
import { DefaultApiClient } from './generated';

const server = setupServer();
registerMswTestHooks(server);

const baseUrl = 'http://backend.test/api/delivery';
const discoveryApi = { getBaseUrl: async () => baseUrl };
const entity = { namespace: 'default', kind: 'Component', name: 'checkout' };
const entityUrl = `${baseUrl}/v1/entities/default/Component/checkout`;

/** Records every request the handlers see, answering `body`. */
function recordRequests(body: Record<string, unknown> = {}) {
  const seen: { method: string; url: URL; json?: unknown; headers: Headers }[] =
    [];
  server.use(
    http.all(`${baseUrl}/*`, async ({ request }) => {
      seen.push({
        method: request.method,
        url: new URL(request.url),
        json: request.method === 'POST' ? await request.json() : undefined,
        headers: request.headers,
      });
      return HttpResponse.json(body);
    }),
  );
  return seen;
}

const client = () => new DeliveryClient({ discoveryApi, fetchApi: { fetch } });

describe('DeliveryClient (the generated client of openapi.yaml)', () => {
  it('calls each entity route with the entity in the path', async () => {
    const seen = recordRequests({ entityRef: 'component:default/checkout' });
    await client().getAnnotations(entity);
    await client().getOverview(entity);
    expect(seen.map(s => `${s.method} ${s.url.href}`)).toEqual([
      `GET ${entityUrl}/annotations`,
      `GET ${entityUrl}/overview`,
    ]);
  });

  it('encodes path parameters', async () => {
    const seen = recordRequests();
    await client().getOverview({ ...entity, name: 'a b/c' });
    expect(seen[0].url.pathname).toBe(
      '/api/delivery/v1/entities/default/Component/a%20b%2Fc/overview',
    );
  });

  it('sends the queries of metrics, vulnerabilities, policy, audit and DORA as the spec names them', async () => {
    const seen = recordRequests();
    const api = client();
    await api.getMetrics(entity, {
      environment: 'production',
      rangeSeconds: 900,
    });
    await api.getMetrics(entity, { environment: 'staging' });
    await api.getVulnerabilities(entity, { environment: 'production' });
    await api.getPolicy(entity, { environment: 'production' });
    await api.getAudit(entity);
    await api.getAudit(entity, { cursor: 'abc', limit: 20 });
    await api.getDora(entity, { windowDays: 30 });
    await api.getDora(entity, { windowDays: 7, environment: 'production' });
    expect(
      seen.map(s => `${s.url.pathname.split('/').pop()}${s.url.search}`),
    ).toEqual([
      'metrics?environment=production&range=900',
      'metrics?environment=staging',
      'vulnerabilities?environment=production',
      'policy?environment=production',
      'audit',
      'audit?cursor=abc&limit=20',
      'dora?window=30d',
      'dora?window=7d&environment=production',
    ]);
  });

  it('posts an action as JSON and returns the record', async () => {
    const record = { id: 'r1', outcome: 'succeeded' };
    const seen = recordRequests({ record });
    const request = {
      environment: 'production',
      rollout: 'checkout',
      action: 'promote' as const,
      reason: 'looks good',
      idempotencyKey: 'key-12345678',
    };
    await expect(client().postAction(entity, request)).resolves.toEqual({
      record,
    });
    expect(seen[0].method).toBe('POST');
    expect(seen[0].url.href).toBe(`${entityUrl}/actions`);
    expect(seen[0].headers.get('content-type')).toBe('application/json');
    expect(seen[0].json).toEqual(request);
  });

  it('calls the fleet and choices routes, leaving empty filters out', async () => {
    const seen = recordRequests({ rows: [] });
    await client().getFleet({ owner: 'team-a', system: '' });
    await client().getFleet();
    await client().getChoices();
    expect(seen.map(s => `${s.url.pathname}${s.url.search}`)).toEqual([
      '/api/delivery/v1/fleet?owner=team-a',
      '/api/delivery/v1/fleet',
      '/api/delivery/v1/choices',
    ]);
  });

  it('throws a ResponseError with the backend message for an error status', async () => {
    server.use(
      http.get(`${entityUrl}/overview`, () =>
        HttpResponse.json(
          {
            error: { name: 'NotFoundError', message: 'No entity' },
            response: { statusCode: 404 },
          },
          { status: 404, statusText: 'Not Found' },
        ),
      ),
    );
    const error = await client()
      .getOverview(entity)
      .catch(e => e);
    expect(error).toBeInstanceOf(ResponseError);
    expect(error.response.status).toBe(404);
    expect(error.body.error.message).toBe('No entity');
  });

  it('the generated client sends a given token and never throws on an error status', async () => {
    const seen: Headers[] = [];
    server.use(
      http.get(`${baseUrl}/v1/choices`, ({ request }) => {
        seen.push(request.headers);
        return HttpResponse.json({}, { status: 503 });
      }),
    );
    const api = new DefaultApiClient({ discoveryApi, fetchApi: { fetch } });
    const response = await api.getChoices({}, { token: 'service-token' });
    expect(response.status).toBe(503);
    expect(seen[0].get('authorization')).toBe('Bearer service-token');
  });
});
