import {
  mockApis,
  registerMswTestHooks,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/test-utils';
import { identityApiRef } from '@backstage/core-plugin-api';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import type { FleetResponse } from '@gitops-delivery/backstage-plugin-delivery-common';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { DeliveryClient, deliveryApiRef } from '../../api';
import { FleetPage } from './FleetPage';

const baseUrl = 'http://backend.test/api/delivery';
const server = setupServer();
registerMswTestHooks(server);

const fleet: FleetResponse = {
  generatedAt: '2026-12-06T02:00:00Z',
  environments: ['staging', 'production'],
  total: 2,
  sources: [{ source: 'argocd', instance: 'main', status: 'ok' }],
  rows: [
    {
      entityRef: 'component:default/checkout',
      name: 'checkout',
      owner: 'group:default/team-storefront',
      system: 'system:default/storefront',
      lifecycle: 'production',
      states: ['canary', 'blocked'],
      cells: [
        {
          environment: 'staging',
          applications: ['main/checkout-staging'],
          version: {
            image: `ghcr.io/acme/checkout:1.5.0@sha256:${'ab12cd34'.repeat(8)}`,
            tag: '1.5.0',
            digest: `sha256:${'ab12cd34'.repeat(8)}`,
          },
          sync: 'Synced',
          health: 'Healthy',
          drifted: false,
          doraBand: 'high',
        },
        {
          environment: 'production',
          applications: ['main/checkout-production'],
          version: { image: 'ghcr.io/acme/checkout:1.4.0', tag: '1.4.0' },
          sync: 'Synced',
          health: 'Suspended',
          drifted: false,
          canary: {
            rollout: 'checkout',
            phase: 'Paused',
            step: 2,
            steps: 5,
            canaryWeight: 25,
            aborted: false,
            image: 'ghcr.io/acme/checkout:1.5.0',
          },
          security: { worst: 'CRITICAL', count: 2 },
          policy: { allowed: false, pending: true, failing: ['soak-time'] },
          signalsAt: '2026-12-06T01:59:00Z',
          signalsStatus: 'ready',
        },
      ],
    },
    {
      entityRef: 'component:default/inventory',
      name: 'inventory',
      owner: 'group:default/team-storefront',
      states: ['drifted'],
      cells: [
        {
          environment: 'staging',
          applications: ['main/inventory-staging'],
          sync: 'OutOfSync',
          health: 'Healthy',
          drifted: true,
          signalsStatus: 'computing',
          signalsMessage:
            'The security, policy and CI signals are still being computed; they show on a later refresh',
        },
      ],
    },
  ],
};

/** Answers the fleet route, recording the query strings asked. */
function answer(respond: (url: URL) => Response) {
  const asked: URLSearchParams[] = [];
  server.use(
    http.get(`${baseUrl}/v1/fleet`, ({ request }) => {
      const url = new URL(request.url);
      asked.push(url.searchParams);
      return respond(url);
    }),
  );
  return asked;
}

function renderPage(path = '/delivery') {
  const discoveryApi = { getBaseUrl: async () => baseUrl };
  return renderInTestApp(
    <TestApiProvider
      apis={[
        [
          deliveryApiRef,
          new DeliveryClient({
            discoveryApi,
            fetchApi: { fetch: (...args) => fetch(...args) },
          }),
        ],
        [
          identityApiRef,
          mockApis.identity({
            userEntityRef: 'user:default/guest',
            ownershipEntityRefs: [
              'user:default/guest',
              'group:default/team-storefront',
            ],
          }),
        ],
      ]}
    >
      <FleetPage />
    </TestApiProvider>,
    {
      routeEntries: [path],
      mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
    },
  );
}

describe('FleetPage', () => {
  it("asks for the caller's groups by default and shows a row per component, a column per environment", async () => {
    const asked = answer(() => HttpResponse.json(fleet));
    await renderPage();
    const link = await screen.findByRole('link', {
      name: 'checkout: open its Delivery tab',
    });
    expect(link).toHaveAttribute(
      'href',
      '/catalog/default/component/checkout/delivery',
    );
    expect(asked[0].get('owner')).toBe(
      'user:default/guest,group:default/team-storefront',
    );
    const table = screen.getByRole('table', { name: 'What is deployed where' });
    expect(
      within(table)
        .getAllByRole('columnheader')
        .map(h => h.textContent),
    ).toEqual(['Component', 'staging', 'production']);
    const rows = within(table).getAllByTestId('fleet-row');
    expect(rows).toHaveLength(2);
    const checkout = within(rows[0]);
    expect(checkout.getByText('1.5.0')).toBeInTheDocument();
    expect(checkout.getByText('@ab12cd3')).toBeInTheDocument();
    expect(
      checkout.getByText(/canary 1\.5\.0 step 2\/5, 25%/),
    ).toBeInTheDocument();
    expect(checkout.getByText('2 CRITICAL')).toBeInTheDocument();
    expect(checkout.getByText('blocked by soak-time')).toBeInTheDocument();
    expect(checkout.getByText('DORA: high')).toBeInTheDocument();
    // production has no inventory: said in words
    expect(within(rows[1]).getByText('not deployed')).toBeInTheDocument();
    expect(
      within(rows[1]).getByText('drifted (out of sync)'),
    ).toBeInTheDocument();
    // a cell whose signals are not computed yet says so, not "no findings"
    expect(within(rows[1]).getByText('signals computing')).toBeInTheDocument();
    expect(checkout.queryByText('signals computing')).not.toBeInTheDocument();
  });

  it("says when a cell's signals failed, or some are missing", async () => {
    const staging = fleet.rows[0].cells[0];
    answer(() =>
      HttpResponse.json({
        ...fleet,
        rows: [
          {
            ...fleet.rows[0],
            cells: [
              {
                ...staging,
                signalsStatus: 'failed',
                signalsMessage:
                  'The signals could not be computed: the cache is down',
              },
              {
                ...fleet.rows[0].cells[1],
                signalsMessage:
                  'Not every signal could be computed: prometheus: connection refused',
              },
            ],
          },
        ],
      }),
    );
    await renderPage('/delivery?owner=all');
    const row = within(await screen.findByTestId('fleet-row'));
    expect(row.getByText('signals failed')).toBeInTheDocument();
    // what was computed still shows beside what is missing
    expect(row.getByText('2 CRITICAL')).toBeInTheDocument();
    expect(row.getByText('some signals missing')).toBeInTheDocument();
  });

  it('puts the state filter in the URL and asks the backend with it', async () => {
    const asked = answer(url =>
      HttpResponse.json(
        url.searchParams.get('state') === 'canary'
          ? { ...fleet, rows: [fleet.rows[0]] }
          : fleet,
      ),
    );
    await renderPage('/delivery?owner=all');
    await screen.findAllByTestId('fleet-row');
    const canary = screen.getByRole('button', { name: 'Canary in progress' });
    expect(canary).toHaveAttribute('aria-pressed', 'false');
    await userEvent.click(canary);
    expect(
      await screen.findByRole('button', { name: '✓ Canary in progress' }),
    ).toHaveAttribute('aria-pressed', 'true');
    await screen.findByText('checkout');
    expect(screen.getAllByTestId('fleet-row')).toHaveLength(1);
    const last = asked[asked.length - 1];
    expect(last.get('state')).toBe('canary');
    expect(last.get('owner')).toBeNull();
  });

  it('reads the filters and the sort from the URL of a shared view', async () => {
    const asked = answer(() => HttpResponse.json(fleet));
    await renderPage(
      '/delivery?owner=group:default/team-storefront&system=system:default/storefront&lifecycle=production&state=drifted,blocked&sort=attention',
    );
    const rows = await screen.findAllByTestId('fleet-row');
    expect(asked[0].get('owner')).toBe('group:default/team-storefront');
    expect(asked[0].get('system')).toBe('system:default/storefront');
    expect(asked[0].get('lifecycle')).toBe('production');
    expect(asked[0].get('state')).toBe('drifted,blocked');
    // needs attention first: inventory (drifted) and checkout (blocked) tie
    // on one state each besides the canary; then by name
    expect(
      rows.map(r => within(r).getAllByRole('link')[0].textContent),
    ).toEqual(['checkout', 'inventory']);
    expect(screen.getByRole('button', { name: '✓ Drifted' })).toHaveAttribute(
      'aria-pressed',
      'true',
    );
  });

  it('shows the empty state with a hint to the annotations when no component is delivery-annotated', async () => {
    answer(() => HttpResponse.json({ ...fleet, rows: [], total: 0 }));
    await renderPage('/delivery?owner=all');
    expect(
      await screen.findByText('No delivery-annotated services'),
    ).toBeInTheDocument();
    expect(screen.getByText('argocd/app-name')).toBeInTheDocument();
    expect(screen.getByText('argocd/app-selector')).toBeInTheDocument();
  });

  it('offers every owner when "mine" finds nothing', async () => {
    const asked = answer(url =>
      HttpResponse.json(
        url.searchParams.get('owner')
          ? { ...fleet, rows: [], total: 0 }
          : fleet,
      ),
    );
    await renderPage();
    await userEvent.click(
      await screen.findByRole('button', {
        name: 'Show every owner and system',
      }),
    );
    expect(await screen.findAllByTestId('fleet-row')).toHaveLength(2);
    expect(asked[asked.length - 1].get('owner')).toBeNull();
  });

  it('says when no component is in the selected states, and clears them', async () => {
    answer(url =>
      HttpResponse.json(
        url.searchParams.get('state') ? { ...fleet, rows: [] } : fleet,
      ),
    );
    await renderPage('/delivery?owner=all&state=aborted');
    expect(
      await screen.findByText('No component is in the selected states'),
    ).toBeInTheDocument();
    await userEvent.click(
      screen.getByRole('button', { name: 'Clear the state filter' }),
    );
    expect(await screen.findAllByTestId('fleet-row')).toHaveLength(2);
  });

  it('keeps the page when a source fails: the source is named and its cells say they are incomplete', async () => {
    answer(() =>
      HttpResponse.json({
        ...fleet,
        sources: [
          {
            source: 'argocd',
            instance: 'nonprod',
            status: 'error',
            message: 'Argo CD instance "nonprod": 500 Internal Server Error',
          },
        ],
        rows: [
          {
            ...fleet.rows[1],
            cells: [
              {
                ...fleet.rows[1].cells[0],
                error: 'Argo CD instance "nonprod": 500 Internal Server Error',
              },
            ],
          },
        ],
      }),
    );
    await renderPage('/delivery?owner=all');
    expect(
      await screen.findByText('Argo CD (nonprod) is unavailable'),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/incomplete: Argo CD instance "nonprod"/),
    ).toBeInTheDocument();
    expect(screen.getAllByTestId('fleet-row')).toHaveLength(1);
  });

  it('shows the error with a retry when the route fails', async () => {
    let fail = true;
    answer(() =>
      fail
        ? HttpResponse.json(
            { error: { name: 'Error', message: 'backend down' } },
            { status: 500 },
          )
        : HttpResponse.json(fleet),
    );
    await renderPage('/delivery?owner=all');
    await screen.findByRole('button', { name: 'Retry' });
    expect(document.body.textContent).toContain(
      'The fleet could not be loaded',
    );
    expect(document.body.textContent).toContain('backend down');
    fail = false;
    await userEvent.click(screen.getByRole('button', { name: 'Retry' }));
    expect(await screen.findAllByTestId('fleet-row')).toHaveLength(2);
  });
});
