import { coreExtensionData } from '@backstage/frontend-plugin-api';
import { createExtensionTester } from '@backstage/frontend-test-utils';
import { EntityContentBlueprint } from '@backstage/plugin-catalog-react/alpha';
import plugin, { deliveryEntityContent } from './alpha';

describe('delivery alpha plugin', () => {
  it('provides the API and the entity content', () => {
    expect(plugin.id).toBe('delivery');
  });

  it('shows the tab only for entities with Argo CD annotations', () => {
    const tester = createExtensionTester(deliveryEntityContent);
    expect(tester.get(coreExtensionData.routePath)).toBe('/delivery');
    const filter = tester.get(EntityContentBlueprint.dataRefs.filterFunction);
    const entity = (annotations: Record<string, string>) => ({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: { name: 'x', annotations },
    });
    expect(filter?.(entity({ 'argocd/app-name': 'x' }))).toBe(true);
    expect(filter?.(entity({}))).toBe(false);
  });
});
