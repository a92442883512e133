import { coreExtensionData } from '@backstage/frontend-plugin-api';
import {
  createExtensionTester,
  renderInTestApp,
} from '@backstage/frontend-test-utils';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { EntityCardBlueprint } from '@backstage/plugin-catalog-react/alpha';
import { registerMswTestHooks } from '@backstage/test-utils';
import { screen } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import plugin, { deliveryApi, doraEntityCard } from '../../alpha';
import { DeliveryClient, deliveryApiRef } from '../../api';
import { doraResponse } from './__testUtils__/doraFixtures';

const server = setupServer();
registerMswTestHooks(server);

const entity = (kind: string, annotations: Record<string, string> = {}) => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind,
  metadata: { name: 'checkout', namespace: 'default', annotations },
  spec: {},
});

describe('DORA card in the new frontend system', () => {
  it('is part of the plugin, served by the one Delivery client', () => {
    expect(plugin.id).toBe('delivery');
    expect(createExtensionTester(deliveryApi).get).toBeDefined();
  });

  it('shows only on delivery-annotated components and on systems', () => {
    const tester = createExtensionTester(doraEntityCard);
    const filter = tester.get(EntityCardBlueprint.dataRefs.filterFunction);
    expect(filter?.(entity('Component', { 'argocd/app-name': 'x' }))).toBe(
      true,
    );
    expect(
      filter?.(entity('Component', { 'argocd/app-selector': 'a=b' })),
    ).toBe(true);
    expect(filter?.(entity('System'))).toBe(true);
    expect(filter?.(entity('Component'))).toBe(false);
    expect(filter?.(entity('Group'))).toBe(false);
    expect(tester.get(coreExtensionData.reactElement)).toBeTruthy();
  });

  it('renders the card through the extension, against the backend route', async () => {
    server.use(
      http.get(
        'http://backend.test/api/delivery/v1/entities/default/Component/checkout/dora',
        () => HttpResponse.json(doraResponse({ windowDays: 30 })),
      ),
    );
    const tester = createExtensionTester(doraEntityCard);
    const client = new DeliveryClient({
      discoveryApi: {
        getBaseUrl: async () => 'http://backend.test/api/delivery',
      },
      fetchApi: { fetch },
    });
    await renderInTestApp(
      <EntityProvider entity={entity('Component', { 'argocd/app-name': 'x' })}>
        {tester.reactElement()}
      </EntityProvider>,
      { apis: [[deliveryApiRef, client]] },
    );
    expect(
      await screen.findByRole('region', { name: 'Deployment frequency' }),
    ).toHaveTextContent('4 / week');
  });
});
