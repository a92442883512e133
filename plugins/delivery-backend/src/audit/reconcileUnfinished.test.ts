import { mockServices } from '@backstage/backend-test-utils';
import knexFactory, { type Knex } from 'knex';
import type { RolloutLocator } from '../policy/PolicyService';
import type { DeliveryState } from '../services/overview/OverviewService';
import { rollout } from '../policy/__testUtils__/policyInputs';
import { rolloutKey } from '../actions/rolloutKey';
import { applicationKey } from '../applicationActions/ApplicationActionService';
import type { ApplicationView } from '@gitops-delivery/backstage-plugin-delivery-common';
import { createAuditStore } from './AuditStore';
import { migrateDeliveryDatabase } from './migrate';
import { reconcileUnfinished } from './reconcileUnfinished';

describe('reconcileUnfinished', () => {
  let knex: Knex;
  beforeEach(async () => {
    knex = knexFactory({
      client: 'better-sqlite3',
      connection: ':memory:',
      useNullAsDefault: true,
    });
    await migrateDeliveryDatabase(knex);
  });
  afterEach(() => knex.destroy());

  const view = rollout({ aborted: true, phase: 'Degraded' });

  function locator(fail = false): RolloutLocator {
    return {
      getDeliveryState: jest.fn(async () => {
        if (fail) throw new Error('Argo CD is down');
        return {
          rollouts: [{ environment: 'production', view }],
        } as unknown as DeliveryState;
      }),
    };
  }

  it("notes the operation of an Application action's Application", async () => {
    const store = createAuditStore(knex);
    const app = {
      instance: 'main',
      name: 'checkout-production',
      appNamespace: 'argocd',
      sync: { status: 'Synced' },
      health: { status: 'Healthy' },
      operation: { phase: 'Succeeded', message: 'successfully synced' },
    } as unknown as ApplicationView;
    const crashed = await store.insert({
      actor: 'user:default/ada',
      entityRef: 'component:default/checkout',
      environment: 'production',
      rollout: app.name,
      rolloutKey: applicationKey(app),
      action: 'sync',
      reason: 'drift',
      decision: 'allowed',
      outcome: 'requested',
    });
    await reconcileUnfinished({
      store,
      locator: {
        getDeliveryState: jest.fn(async () => ({
          rollouts: [],
          overview: { environments: [{ applications: [app] }] },
        })) as unknown as RolloutLocator['getDeliveryState'],
      },
      auth: mockServices.auth(),
      logger: mockServices.logger.mock(),
    });
    const record = await store.get(crashed.id);
    expect(record.outcome).toBe('outcome-unknown');
    expect(record.message).toContain(
      'Live state at reconciliation: Application checkout-production Synced, Healthy; last operation Succeeded: successfully synced',
    );
  });

  it('marks a crashed action outcome-unknown and notes the live state of its Rollout', async () => {
    const store = createAuditStore(knex);
    const crashed = await store.insert({
      actor: 'user:default/ada',
      entityRef: 'component:default/checkout',
      environment: 'production',
      rollout: 'checkout',
      rolloutKey: rolloutKey(view),
      action: 'abort',
      reason: 'bad canary',
      decision: 'allowed',
      outcome: 'requested',
    });
    const count = await reconcileUnfinished({
      store,
      locator: locator(),
      auth: mockServices.auth(),
      logger: mockServices.logger.mock(),
    });
    expect(count).toBe(1);
    const [record] = (
      await store.list({ entityRef: crashed.entityRef, limit: 5 })
    ).items;
    expect(record.outcome).toBe('outcome-unknown');
    expect(record.message).toMatch(
      /whether the action took effect is unknown\. Live state at reconciliation: phase Degraded, step 4\/6, canary weight 25%, aborted$/,
    );
  });

  it('still marks the record when the live state cannot be read', async () => {
    const store = createAuditStore(knex);
    const crashed = await store.insert({
      actor: 'user:default/ada',
      entityRef: 'component:default/checkout',
      environment: 'production',
      rollout: 'checkout',
      rolloutKey: rolloutKey(view),
      action: 'promote',
      reason: 'go',
      decision: 'allowed',
      outcome: 'requested',
    });
    const logger = mockServices.logger.mock();
    await reconcileUnfinished({
      store,
      locator: locator(true),
      auth: mockServices.auth(),
      logger,
    });
    const [record] = (
      await store.list({ entityRef: crashed.entityRef, limit: 5 })
    ).items;
    expect(record.outcome).toBe('outcome-unknown');
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringContaining('Argo CD is down'),
    );
  });
});
