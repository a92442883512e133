import { mockServices } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import type { SignalsService } from '@backstage/plugin-signals-node';
import type { DeliveryOverview } from '@gitops-delivery/backstage-plugin-delivery-common';
import type { AuditStore } from '../audit/AuditStore';
import { createArgoCdChangeHub } from '../services/live/changeFeed';
import { wireLiveSignals } from './wireLiveSignals';

const entity = (name: string, annotations: Record<string, string>): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name, namespace: 'default', annotations },
  spec: {
    type: 'service',
    owner: 'group:default/team',
    lifecycle: 'production',
  },
});

const ENTITIES = [
  entity('checkout', { 'argocd/app-name': 'checkout-prod' }),
  entity('payments', {
    'argocd/app-name': 'payments-prod',
    'argocd/instance-name': 'east',
  }),
  entity('scoped', {
    'argocd/app-name': 'shared-prod',
    'argocd/project-name': 'team-a',
  }),
  entity('labelled', { 'argocd/app-selector': 'app=labelled' }),
];

/** A CacheService on a Map (TTL ignored: the tests take no time). */
function mapCache() {
  const values = new Map<string, unknown>();
  return mockServices.cache.mock({
    get: async (key: string) => values.get(key) as any,
    set: async (key: string, value: unknown) => {
      values.set(key, value);
    },
  });
}

const flush = () => new Promise(resolve => setImmediate(resolve));

function setup(options: { enabled?: boolean } = {}) {
  const published: string[] = [];
  const signals: SignalsService = {
    async publish(signal) {
      published.push(signal.channel);
    },
  };
  const changes = createArgoCdChangeHub();
  const catalog = catalogServiceMock({ entities: ENTITIES });
  const getEntities = jest.spyOn(catalog, 'getEntities');
  const records: Record<string, string> = {};
  const audit = {
    async insert(record: any) {
      records.r1 = record.entityRef;
      return { ...record, id: 'r1' };
    },
    async complete(id: string) {
      return { id, entityRef: records[id] };
    },
    async get(id: string) {
      return { id, entityRef: records[id] };
    },
  } as unknown as AuditStore;
  const live = wireLiveSignals({
    config: {
      enabled: options.enabled ?? true,
      coalesceMs: 0,
      entityRefreshMs: 60_000,
    },
    signals,
    catalog,
    auth: mockServices.auth(),
    cache: mapCache(),
    logger: mockServices.logger.mock(),
    lifecycle: mockServices.lifecycle.mock(),
    instanceNames: ['west', 'east'],
    audit,
    changes,
  });
  return { live, changes, published, getEntities };
}

describe('wireLiveSignals', () => {
  it('publishes a change of an Application to the entities whose argocd/app-name finds it', async () => {
    const { changes, published } = setup();
    changes.publish({
      instance: 'west',
      application: { name: 'checkout-prod', project: 'default' },
      kind: 'tree',
    });
    await flush();
    expect(published).toEqual(['delivery:entity:component:default/checkout']);
  });

  it('keeps to the instances and projects the annotations name', async () => {
    const { changes, published } = setup();
    changes.publish({
      instance: 'west',
      application: { name: 'payments-prod' },
      kind: 'application',
    });
    changes.publish({
      instance: 'west',
      application: { name: 'shared-prod', project: 'team-b' },
      kind: 'application',
    });
    await flush();
    expect(published).toEqual([]);
    changes.publish({
      instance: 'east',
      application: { name: 'payments-prod' },
      kind: 'application',
    });
    changes.publish({
      instance: 'west',
      application: { name: 'shared-prod', project: 'team-a' },
      kind: 'application',
    });
    await flush();
    expect(published.sort()).toEqual([
      'delivery:entity:component:default/payments',
      'delivery:entity:component:default/scoped',
    ]);
  });

  it('reaches an entity found by a selector through the Applications its overview showed', async () => {
    const { live, changes, published } = setup();
    const change = {
      instance: 'west',
      application: { name: 'labelled-prod', appNamespace: 'argocd' },
      kind: 'application' as const,
    };
    changes.publish(change);
    await flush();
    expect(published).toEqual([]);

    await live.observer({
      entity: {} as any,
      overview: {
        entityRef: 'component:default/labelled',
        environments: [
          {
            name: 'production',
            applications: [
              {
                instance: 'west',
                name: 'labelled-prod',
                appNamespace: 'argocd',
              },
            ],
          },
        ],
      } as unknown as DeliveryOverview,
    });
    changes.publish(change);
    changes.publish({ ...change, application: { name: 'labelled-prod' } });
    await flush();
    expect(published).toEqual([
      'delivery:entity:component:default/labelled',
      'delivery:entity:component:default/labelled',
    ]);

    // an overview that showed no app namespace, a change that names one
    await live.observer({
      entity: {} as any,
      overview: {
        entityRef: 'component:default/other',
        environments: [
          {
            name: 'dev',
            applications: [{ instance: 'west', name: 'other-dev' }],
          },
        ],
      } as unknown as DeliveryOverview,
    });
    changes.publish({
      ...change,
      application: { name: 'other-dev', appNamespace: 'argocd' },
    });
    await flush();
    expect(published).toHaveLength(3);
    expect(published[2]).toBe('delivery:entity:component:default/other');
  });

  it('reads the catalog once per refresh interval, not once per change', async () => {
    const { changes, getEntities } = setup();
    for (let i = 0; i < 20; i++) {
      changes.publish({
        instance: 'west',
        application: { name: 'checkout-prod' },
        kind: 'tree',
      });
    }
    await flush();
    expect(getEntities).toHaveBeenCalledTimes(1);
  });

  it('publishes for every audit record written and completed', async () => {
    const { live, published } = setup();
    const written = await live.audit.insert({
      entityRef: 'component:default/checkout',
    } as any);
    await live.audit.complete(written.id, { outcome: 'succeeded' });
    await flush();
    expect(published).toEqual([
      'delivery:entity:component:default/checkout',
      'delivery:entity:component:default/checkout',
    ]);
  });

  it('publishes nothing when delivery.live.signals.enabled is false', async () => {
    const { live, changes, published } = setup({ enabled: false });
    changes.publish({
      instance: 'west',
      application: { name: 'checkout-prod' },
      kind: 'tree',
    });
    await live.audit.insert({ entityRef: 'component:default/checkout' } as any);
    await flush();
    expect(published).toEqual([]);
  });
});
