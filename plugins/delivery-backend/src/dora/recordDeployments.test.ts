import { mockServices } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import type { DeliveryState } from '../services/overview/OverviewService';
import { recordDeploymentsOnce } from './recordDeployments';

describe('recordDeploymentsOnce', () => {
  it('reads every delivery-annotated entity as the service principal and records its state; one failing entity does not stop the others', async () => {
    const entity = (name: string, annotations: Record<string, string>) => ({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: { name, namespace: 'default', annotations },
      spec: {},
    });
    const catalog = catalogServiceMock({
      entities: [
        entity('checkout', { 'argocd/app-selector': 'app=checkout' }),
        entity('search', { 'argocd/app-name': 'search-production' }),
        entity('broken', { 'argocd/app-name': 'broken' }),
        entity('docs', {}),
      ],
    });
    const read: string[] = [];
    const recorded: string[] = [];
    const overviewService = {
      async getDeliveryState(
        ref: { name: string },
        credentials: any,
        options: any,
      ) {
        expect(credentials.principal.type).toBe('service');
        expect(options).toEqual({ contributors: false });
        read.push(ref.name);
        if (ref.name === 'broken') throw new Error('Argo CD is down');
        return { entity: { entityRef: ref.name } } as unknown as DeliveryState;
      },
    } as any;
    const recorder = {
      async record(state: DeliveryState) {
        recorded.push(state.entity.entityRef);
      },
    } as any;
    const run = await recordDeploymentsOnce({
      catalog,
      auth: mockServices.auth(),
      overviewService,
      recorder,
      logger: mockServices.logger.mock(),
    });
    expect(read.sort()).toEqual(['broken', 'checkout', 'search']);
    expect(recorded.sort()).toEqual(['checkout', 'search']);
    expect(run).toEqual({
      entities: 2,
      errors: ['Component:default/broken: Argo CD is down'],
    });
  });
});
