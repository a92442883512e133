import { mockServices } from '@backstage/backend-test-utils';
import type { DeliveryOverview } from '@gitops-delivery/backstage-plugin-delivery-common';
import type { AuditStore } from '../audit/AuditStore';
import type { DeliveryState } from '../services/overview/OverviewService';
import type { DeploymentStore, RecordedEvent } from './DeploymentStore';
import {
  createDeploymentRecorder,
  recordingObserver,
} from './DeploymentRecorder';

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

describe('DeploymentRecorder', () => {
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
    const recorder = createDeploymentRecorder({
      store,
      audit,
      now: () => clock,
    });
    const one = stateWith(['2026-11-26T10:00:00Z']);
    await recorder.record(one);
    await recorder.record(one);
    expect(writes).toHaveLength(1);
    expect(auditReads).toHaveLength(1);

    // a new deployment is written at once
    await recorder.record(
      stateWith(['2026-11-26T10:00:00Z', '2026-11-27T11:59:00Z']),
    );
    expect(writes).toHaveLength(2);
    expect(writes[1].map(e => e.key)).toEqual([
      'deploy:main//checkout-production#0:r0',
      'deploy:main//checkout-production#1:r1',
    ]);

    // and the same again after a minute (an abort may have been audited)
    clock += 61_000;
    await recorder.record(
      stateWith(['2026-11-26T10:00:00Z', '2026-11-27T11:59:00Z']),
    );
    expect(writes).toHaveLength(3);
  });
});

describe('recordingObserver', () => {
  it('records every observed overview, and only logs a failure', async () => {
    const recorded: string[] = [];
    const logger = mockServices.logger.mock();
    const observer = recordingObserver(
      {
        async record(state) {
          if (state.entity.entityRef === 'component:default/broken') {
            throw new Error('database is down');
          }
          recorded.push(state.entity.entityRef);
        },
      },
      logger,
    );
    await observer(stateWith([]));
    const broken = stateWith([]);
    (broken.entity as { entityRef: string }).entityRef =
      'component:default/broken';
    await expect(observer(broken)).resolves.toBeUndefined();
    expect(recorded).toEqual(['component:default/checkout']);
    expect(logger.warn).toHaveBeenCalledWith(
      'Could not record the deployments of component:default/broken: database is down',
    );
  });
});
