import { ResponseError } from '@backstage/errors';
import { registerMswTestHooks } from '@backstage/test-utils';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { DeliveryClient } from './DeliveryClient';

const server = setupServer();
registerMswTestHooks(server);

const baseUrl = 'http://backend.test/api/delivery';
const discoveryApi = { getBaseUrl: async () => baseUrl };
const checkout = { namespace: 'default', kind: 'Component', name: 'checkout' };
const payments = { ...checkout, name: 'payments' };

/** The overview route as the backend answers it: ETag, 304 on a match. */
function overviewRoute(views: Record<string, { etag: string; step: number }>) {
  const seen: Array<{ name: string; ifNoneMatch: string | null }> = [];
  server.use(
    http.get(
      `${baseUrl}/v1/entities/default/Component/:name/overview`,
      ({ request, params }) => {
        const name = String(params.name);
        const ifNoneMatch = request.headers.get('If-None-Match');
        seen.push({ name, ifNoneMatch });
        const view = views[name];
        if (!view) return HttpResponse.json({ error: {} }, { status: 404 });
        if (ifNoneMatch === view.etag) {
          return new HttpResponse(null, {
            status: 304,
            headers: { ETag: view.etag },
          });
        }
        return HttpResponse.json(
          { entityRef: `component:default/${name}`, step: view.step },
          { headers: { ETag: view.etag } },
        );
      },
    ),
  );
  return seen;
}

describe('DeliveryClient.getOverview, revalidated with the ETag', () => {
  it('sends If-None-Match with the last ETag and keeps the last body on 304', async () => {
    const views = { checkout: { etag: 'W/"a"', step: 1 } };
    const seen = overviewRoute(views);
    const client = new DeliveryClient({ discoveryApi, fetchApi: { fetch } });

    const first = await client.getOverview(checkout);
    expect(first).toEqual({ entityRef: 'component:default/checkout', step: 1 });
    const second = await client.getOverview(checkout);
    // the very object held: nothing changed for React either
    expect(second).toBe(first);

    views.checkout = { etag: 'W/"b"', step: 2 };
    const third = await client.getOverview(checkout);
    expect(third).toMatchObject({ step: 2 });
    expect(seen.map(s => s.ifNoneMatch)).toEqual([null, 'W/"a"', 'W/"a"']);
    await client.getOverview(checkout);
    expect(seen[3].ifNoneMatch).toBe('W/"b"');
  });

  it('keeps each entity to its own ETag', async () => {
    const seen = overviewRoute({
      checkout: { etag: 'W/"c"', step: 1 },
      payments: { etag: 'W/"p"', step: 4 },
    });
    const client = new DeliveryClient({ discoveryApi, fetchApi: { fetch } });
    await client.getOverview(checkout);
    await client.getOverview(payments);
    await client.getOverview(payments);
    await client.getOverview(checkout);
    expect(seen).toEqual([
      { name: 'checkout', ifNoneMatch: null },
      { name: 'payments', ifNoneMatch: null },
      { name: 'payments', ifNoneMatch: 'W/"p"' },
      { name: 'checkout', ifNoneMatch: 'W/"c"' },
    ]);
  });

  it('still throws a ResponseError for an error status', async () => {
    overviewRoute({});
    const client = new DeliveryClient({ discoveryApi, fetchApi: { fetch } });
    await expect(client.getOverview(checkout)).rejects.toBeInstanceOf(
      ResponseError,
    );
  });
});
