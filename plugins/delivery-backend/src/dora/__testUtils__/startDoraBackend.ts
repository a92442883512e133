import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import knexFactory, { type Knex } from 'knex';
import { deliveryPlugin } from '../../plugin';
import { ENTITIES, INSTANCES_CONFIG } from '../../__testUtils__/world';

/**
 * The test world's entities, checkout and payments made parts of the
 * System `storefront` (one through spec.system, one through the
 * catalog's hasPart relation only), plus an empty system.
 */
export const DORA_ENTITIES = [
  ...ENTITIES.map(e =>
    e.metadata.name === 'checkout'
      ? { ...e, spec: { ...e.spec, system: 'storefront' } }
      : e,
  ),
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'System',
    metadata: { name: 'storefront', namespace: 'default' },
    spec: { owner: 'team-storefront' },
    relations: [
      { type: 'hasPart', targetRef: 'component:default/payments' },
      // a component the caller cannot see (or that is gone)
      { type: 'hasPart', targetRef: 'component:default/ghost' },
      { type: 'ownedBy', targetRef: 'group:default/team-storefront' },
    ],
  },
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'System',
    metadata: { name: 'empty', namespace: 'default' },
    spec: { owner: 'team-storefront' },
  },
];

/** Starts the plugin on its own SQLite database (returned, to seed the audit trail). */
export async function startDoraBackend(delivery: object = {}) {
  const knex: Knex = knexFactory({
    client: 'better-sqlite3',
    connection: ':memory:',
    useNullAsDefault: true,
  });
  const { server } = await startTestBackend({
    features: [
      deliveryPlugin,
      catalogServiceMock.factory({ entities: DORA_ENTITIES }),
      mockServices.database.factory({ knex }),
      mockServices.rootConfig.factory({
        data: {
          delivery: {
            argocd: { instances: INSTANCES_CONFIG, timeoutMs: 2000 },
            dora: { cacheTtlSeconds: 0, recordIntervalMinutes: 0 },
            ...delivery,
          },
        },
      }),
    ],
  });
  return { server, knex };
}
