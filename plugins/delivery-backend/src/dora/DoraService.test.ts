import { mockServices } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import type { DeliveryOverview } from '@gitops-delivery/backstage-plugin-delivery-common';
import type { AuditStore } from '../audit/AuditStore';
import type { DeliveryState } from '../services/overview/OverviewService';
import type { DeploymentStore, RecordedEvent } from './DeploymentStore';
import { createDoraService } from './DoraService';

function stateWith(deployedAt: string[]): DeliveryState {
  const overview = {
    entityRef: 'component:default/checkout',
    environments: [
      {
        name: 'production',
        applications: [
          {
            instance: 'main',
            name: 'checkout-production',
            sync: { status: 'Synced' },
            images: [],
            history: deployedAt.map((t, id) => ({
              id,
              revision: `r${id}`,
              deployedAt: t,
            })),
          },
        ],
        rollouts: [],
      },
    ],
    sources: [],
  } as unknown as DeliveryOverview;
  return {
    entity: { entityRef: 'component:default/checkout' },
    overview,
  } as unknown as DeliveryState;
}

describe('DoraService.recordObserved', () => {
  it('writes an unchanged overview once a minute at most, and a changed one at once', async () => {
    let clock = Date.parse('2026-11-27T12:00:00Z');
    const writes: RecordedEvent[][] = [];
    const auditReads: string[] = [];
    const store: DeploymentStore = {
      async record(events) {
        writes.push(events);
      },
      async list() {
        return [];
      },
    };
    const audit = {
      async list(filter: { entityRef: string }) {
        auditReads.push(filter.entityRef);
        return { items: [] };
      },
    } as unknown as AuditStore;
    const service = createDoraService({
      overviewService: {} as any,
      entityResolver: {} as any,
      catalog: catalogServiceMock(),
      store,
      audit,
      cache: mockServices.cache.mock(),
      logger: mockServices.logger.mock(),
      cacheTtlMs: 0,
      now: () => clock,
    });
    const one = stateWith(['2026-11-26T10:00:00Z']);
    await service.recordObserved(one);
    await service.recordObserved(one);
    expect(writes).toHaveLength(1);
    expect(auditReads).toHaveLength(1);

    // a new deployment is written at once
    await service.recordObserved(
      stateWith(['2026-11-26T10:00:00Z', '2026-11-27T11:59:00Z']),
    );
    expect(writes).toHaveLength(2);
    expect(writes[1].map(e => e.key)).toEqual([
      'deploy:main//checkout-production#0:r0',
      'deploy:main//checkout-production#1:r1',
    ]);

    // and the same again after a minute (an abort may have been audited)
    clock += 61_000;
    await service.recordObserved(
      stateWith(['2026-11-26T10:00:00Z', '2026-11-27T11:59:00Z']),
    );
    expect(writes).toHaveLength(3);
  });
});
