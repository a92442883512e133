import type { Entity } from '@backstage/catalog-model';
import { discoveryApiRef, fetchApiRef } from '@backstage/core-plugin-api';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import {
  MockFetchApi,
  TestApiProvider,
  registerMswTestHooks,
  renderInTestApp,
} from '@backstage/test-utils';
import { screen } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { DeliveryClient, deliveryApiRef } from '../../api';
import { EntityDeliveryContent } from './EntityDeliveryContent';

const server = setupServer();
registerMswTestHooks(server);

const baseUrl = 'http://backend.test/api/delivery';
const discoveryApi = { getBaseUrl: async () => baseUrl };
const fetchApi = new MockFetchApi();
const client = new DeliveryClient({ discoveryApi, fetchApi });

function entity(annotations: Record<string, string>): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name: 'checkout', namespace: 'default', annotations },
    spec: {},
  };
}

function renderTab(e: Entity) {
  return renderInTestApp(
    <TestApiProvider
      apis={[
        [deliveryApiRef, client],
        [discoveryApiRef, discoveryApi],
        [fetchApiRef, fetchApi],
      ]}
    >
      <EntityProvider entity={e}>
        <EntityDeliveryContent />
      </EntityProvider>
    </TestApiProvider>,
  );
}

describe('EntityDeliveryContent', () => {
  it('shows the resolved annotations and their warnings', async () => {
    server.use(
      http.get(
        `${baseUrl}/v1/entities/default/Component/checkout/annotations`,
        () =>
          HttpResponse.json({
            entityRef: 'component:default/checkout',
            annotations: {
              appSelector: 'app=checkout',
              instances: ['prod'],
              projects: [],
            },
            warnings: ['Both argocd/app-name and argocd/app-selector are set'],
          }),
      ),
    );
    await renderTab(entity({ 'argocd/app-selector': 'app=checkout' }));
    expect(await screen.findByText('app=checkout')).toBeInTheDocument();
    expect(screen.getByText('prod')).toBeInTheDocument();
    expect(
      screen.getByText('Both argocd/app-name and argocd/app-selector are set'),
    ).toBeInTheDocument();
  });

  it('shows the backend error', async () => {
    server.use(
      http.get(
        `${baseUrl}/v1/entities/default/Component/checkout/annotations`,
        () =>
          HttpResponse.json(
            {
              error: { name: 'NotFoundError', message: 'No entity found' },
              request: { method: 'GET', url: '/' },
              response: { statusCode: 404 },
            },
            { status: 404 },
          ),
      ),
    );
    await renderTab(entity({ 'argocd/app-name': 'checkout' }));
    expect(await screen.findByText(/404: NotFoundError/)).toBeInTheDocument();
  });

  it('explains the missing annotation without calling the backend', async () => {
    await renderTab(entity({}));
    expect(await screen.findByText(/Missing Annotation/i)).toBeInTheDocument();
  });
});
