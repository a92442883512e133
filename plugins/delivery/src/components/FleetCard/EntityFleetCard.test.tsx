import type { Entity } from '@backstage/catalog-model';
import {
  mockApis,
  registerMswTestHooks,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/test-utils';
import { identityApiRef } from '@backstage/core-plugin-api';
import {
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { screen } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { DeliveryClient, deliveryApiRef } from '../../api';
import { EntityFleetCard } from './EntityFleetCard';
import { isFleetCardAvailable } from './isFleetCardAvailable';

const baseUrl = 'http://backend.test/api/delivery';
const server = setupServer();
registerMswTestHooks(server);

const entityOf = (kind: string, name: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind,
  metadata: { name, namespace: 'default' },
  spec: {},
});

function renderCard(entity: Entity) {
  const asked: URLSearchParams[] = [];
  server.use(
    http.get(`${baseUrl}/v1/fleet`, ({ request }) => {
      asked.push(new URL(request.url).searchParams);
      return HttpResponse.json({
        generatedAt: '2026-12-06T02:00:00Z',
        environments: ['production'],
        total: 1,
        sources: [],
        rows: [
          {
            entityRef: 'component:default/checkout',
            name: 'checkout',
            states: [],
            cells: [
              {
                environment: 'production',
                applications: ['main/checkout-production'],
                health: 'Healthy',
                sync: 'Synced',
                drifted: false,
              },
            ],
          },
        ],
      });
    }),
  );
  const discoveryApi = { getBaseUrl: async () => baseUrl };
  return {
    asked,
    rendered: renderInTestApp(
      <TestApiProvider
        apis={[
          [
            deliveryApiRef,
            new DeliveryClient({
              discoveryApi,
              fetchApi: { fetch: (...args) => fetch(...args) },
            }),
          ],
          [identityApiRef, mockApis.identity()],
        ]}
      >
        <EntityProvider entity={entity}>
          <EntityFleetCard />
        </EntityProvider>
      </TestApiProvider>,
      { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
    ),
  };
}

describe('EntityFleetCard', () => {
  it('is offered on Systems and Groups only', () => {
    expect(isFleetCardAvailable(entityOf('System', 'shop'))).toBe(true);
    expect(isFleetCardAvailable(entityOf('Group', 'team-a'))).toBe(true);
    expect(isFleetCardAvailable(entityOf('Component', 'checkout'))).toBe(false);
  });

  it("shows a System's components", async () => {
    const { asked, rendered } = renderCard(entityOf('System', 'storefront'));
    await rendered;
    expect(
      await screen.findByRole('link', {
        name: 'checkout: open its Delivery tab',
      }),
    ).toBeInTheDocument();
    expect(asked[0].get('system')).toBe('system:default/storefront');
    expect(asked[0].get('owner')).toBeNull();
  });

  it('shows what a Group owns', async () => {
    const { asked, rendered } = renderCard(
      entityOf('Group', 'team-storefront'),
    );
    await rendered;
    expect(await screen.findByText('Healthy, Synced')).toBeInTheDocument();
    expect(asked[0].get('owner')).toBe('group:default/team-storefront');
    expect(asked[0].get('system')).toBeNull();
  });
});
