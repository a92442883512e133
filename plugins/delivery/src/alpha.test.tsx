import {
  ApiBlueprint,
  coreExtensionData,
} from '@backstage/frontend-plugin-api';
import { createExtensionTester } from '@backstage/frontend-test-utils';
import {
  EntityCardBlueprint,
  EntityContentBlueprint,
} from '@backstage/plugin-catalog-react/alpha';
import { FormFieldBlueprint } from '@backstage/plugin-scaffolder-react/alpha';
import plugin, {
  deliveryApi,
  deliveryChoicePickerFormField,
  deliveryEntityContent,
  deliveryEntityOverviewCard,
} from './alpha';
import { deliveryApiRef, type DeliveryApi } from './api';

const entity = (annotations: Record<string, string>) => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'x', annotations },
});

describe('delivery alpha plugin', () => {
  it('provides the Delivery API: a client on the discovery and fetch APIs', async () => {
    expect(plugin.id).toBe('delivery');
    const factory = createExtensionTester(deliveryApi).get(
      ApiBlueprint.dataRefs.factory,
    );
    expect(factory.api.id).toBe(deliveryApiRef.id);
    expect(Object.values(factory.deps).map(ref => ref.id)).toEqual(
      expect.arrayContaining(['core.discovery', 'core.fetch']),
    );

    const fetch = jest.fn(
      async (_url: string) =>
        new Response(JSON.stringify({ policies: [], argocdInstances: [] }), {
          status: 200,
          headers: { 'content-type': 'application/json' },
        }),
    );
    const client = factory.factory({
      discoveryApi: {
        getBaseUrl: async (id: string) => `http://backend.test/api/${id}`,
      },
      fetchApi: { fetch },
    }) as DeliveryApi;
    await client.getChoices();
    expect(fetch).toHaveBeenCalledTimes(1);
    expect(fetch.mock.calls[0][0]).toBe(
      'http://backend.test/api/delivery/v1/choices',
    );
  });

  it('shows the tab only for entities with Argo CD annotations', () => {
    const tester = createExtensionTester(deliveryEntityContent);
    expect(tester.get(coreExtensionData.routePath)).toBe('/delivery');
    expect(tester.get(EntityContentBlueprint.dataRefs.title)).toBe('Delivery');
    const filter = tester.get(EntityContentBlueprint.dataRefs.filterFunction);
    expect(filter?.(entity({ 'argocd/app-name': 'x' }))).toBe(true);
    expect(filter?.(entity({ 'argocd/app-selector': 'app=x' }))).toBe(true);
    expect(filter?.(entity({}))).toBe(false);
  });

  it('shows the overview card only for entities with Argo CD annotations', () => {
    const tester = createExtensionTester(deliveryEntityOverviewCard);
    const filter = tester.get(EntityCardBlueprint.dataRefs.filterFunction);
    expect(filter?.(entity({ 'argocd/app-selector': 'app=x' }))).toBe(true);
    expect(filter?.(entity({ 'snyk.io/org-id': 'x' }))).toBe(false);
    expect(tester.get(coreExtensionData.reactElement)).toBeTruthy();
  });

  it('provides the DeliveryChoicePicker scaffolder field', async () => {
    const tester = createExtensionTester(deliveryChoicePickerFormField);
    const load = tester.get(FormFieldBlueprint.dataRefs.formFieldLoader);
    const field = (await load()) as unknown as { name?: string };
    expect(JSON.stringify(field)).toContain('DeliveryChoicePicker');
  });
});
