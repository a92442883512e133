import { mockServices } from '@backstage/backend-test-utils';
import type {
  ApplicationView,
  AuditRecord,
  EnvironmentView,
  RollbackPullRequest,
} from '@gitops-delivery/backstage-plugin-delivery-common';
import type { AuditStore } from '../../audit/AuditStore';
import type { DeliveryState } from '../../services/overview/OverviewService';
import type { GitopsRepository, RestorePullRequest } from './githubRestore';
import { trackingOf } from './rollbackPullRequest';
import { createRollbackTracker } from './rollbackTracker';

const MERGE = 'e5bd3914e2e596debea16f433f57875b5b90bcd6';

function appView(overrides: Partial<ApplicationView> = {}): ApplicationView {
  return {
    instance: 'main',
    name: 'checkout-staging',
    project: 'default',
    destination: {},
    sourceType: 'git',
    sync: { status: 'Synced', revision: 'a'.repeat(40) },
    health: { status: 'Healthy' },
    images: [],
    history: [
      { id: 4, revision: 'a'.repeat(40), deployedAt: '2026-12-06T08:00:00Z' },
    ],
    links: [],
    binding: { bound: true, enforced: true },
    ...overrides,
  };
}

const merged = {
  state: 'closed' as const,
  merged: true,
  mergeCommitSha: MERGE,
  mergedAt: '2026-12-06T09:00:00Z',
};

describe('trackingOf', () => {
  it('is open or closed until merged', () => {
    expect(trackingOf({ state: 'open', merged: false }, appView())).toBe(
      'open',
    );
    expect(trackingOf({ state: 'closed', merged: false }, appView())).toBe(
      'closed',
    );
  });

  it('is merged until the Application has synced the merge or a later commit', () => {
    expect(trackingOf(merged, appView())).toBe('merged');
    expect(
      trackingOf(
        merged,
        appView({
          sync: { status: 'Synced', revision: MERGE },
          operation: { phase: 'Running' },
        }),
      ),
    ).toBe('merged');
    expect(
      trackingOf(
        merged,
        appView({ sync: { status: 'Synced', revision: MERGE } }),
      ),
    ).toBe('synced');
    // a later commit, deployed after the merge
    expect(
      trackingOf(
        merged,
        appView({
          history: [
            {
              id: 5,
              revision: 'b'.repeat(40),
              deployedAt: '2026-12-06T09:00:30Z',
            },
          ],
        }),
      ),
    ).toBe('synced');
    expect(
      trackingOf(
        merged,
        appView({ sync: { status: 'OutOfSync', revision: MERGE } }),
      ),
    ).toBe('merged');
    // once the merge was seen at entry 4: a newer entry, whatever its time
    const seen = { ...merged, mergedSeenAtHistoryId: 4 };
    expect(trackingOf(seen, appView())).toBe('merged');
    expect(
      trackingOf(
        seen,
        appView({
          history: [
            {
              id: 5,
              revision: 'b'.repeat(40),
              deployedAt: '2026-12-06T08:59:00Z',
            },
          ],
        }),
      ),
    ).toBe('synced');
  });
});

describe('createRollbackTracker', () => {
  const known: RollbackPullRequest = {
    repository: 'acme/checkout',
    repoURL: 'https://github.com/acme/checkout.git',
    number: 7,
    url: 'https://github.com/acme/checkout/pull/7',
    branch: 'delivery/rollback-checkout-staging-1',
    base: 'main',
    revision: 'c'.repeat(40),
    environment: 'staging',
    application: 'checkout-staging',
    recordId: 'r1',
    tracking: 'open',
  };
  const record = {
    id: 'r1',
    environment: 'staging',
    rollout: 'checkout-staging',
    action: 'rollback',
    pullRequest: known,
  } as AuditRecord;

  function stateWith(app: ApplicationView): DeliveryState {
    const environment = {
      name: 'staging',
      applications: [app],
    } as unknown as EnvironmentView;
    return {
      overview: {
        entityRef: 'component:default/checkout',
        environments: [environment],
      },
    } as unknown as DeliveryState;
  }

  /**
   * A tracker over an audit table holding `record` and a GitHub whose pull
   * request is open until `merge()`; `advance(ms)` moves its clock.
   */
  function trackerWorld() {
    const saved: RollbackPullRequest[] = [];
    const store = {
      list: jest.fn(async () => ({ items: [record] })),
      setPullRequest: jest.fn(async (_id: string, pr: RollbackPullRequest) => {
        saved.push(pr);
      }),
    } as unknown as AuditStore;
    let live: RestorePullRequest = {
      repository: 'acme/checkout',
      number: 7,
      url: known.url,
      state: 'open',
      merged: false,
      branch: known.branch,
      base: 'main',
    };
    const repository = {
      getPullRequest: jest.fn(async () => live),
    } as unknown as GitopsRepository;
    let now = Date.parse('2026-12-06T09:00:00Z');
    const tracker = createRollbackTracker({
      store,
      repository,
      logger: mockServices.logger.mock(),
      now: () => now,
    });
    return {
      saved,
      store,
      repository,
      tracker,
      merge: () => {
        live = { ...live, ...merged };
      },
      advance: (ms: number) => {
        now += ms;
      },
    };
  }

  it("puts each Application's pull request in summary.rollbacks and records a state that moved", async () => {
    const { saved, repository, tracker, merge, advance } = trackerWorld();

    const open = stateWith(appView());
    expect(
      await tracker.contribute(open, { credentials: {} as any, deadline: 0 }),
    ).toEqual([{ source: 'github', status: 'ok' }]);
    expect(open.overview.environments[0].summary?.rollbacks).toEqual([known]);
    expect(saved).toEqual([]);

    merge();
    advance(11_000);
    const synced = stateWith(
      appView({ sync: { status: 'Synced', revision: MERGE } }),
    );
    await tracker.contribute(synced, { credentials: {} as any, deadline: 0 });
    expect(synced.overview.environments[0].summary?.rollbacks).toEqual([
      {
        ...known,
        mergeCommitSha: MERGE,
        mergedAt: merged.mergedAt,
        tracking: 'synced',
      },
    ]);
    expect(saved.map(s => s.tracking)).toEqual(['synced']);
    expect(repository.getPullRequest).toHaveBeenCalledWith(known.repoURL, 7);
  });

  it('reads the audit table once per entity for the views within a few seconds, again after a state it wrote back', async () => {
    const { store, tracker, merge, advance } = trackerWorld();
    const view = () =>
      tracker.contribute(stateWith(appView()), {
        credentials: {} as any,
        deadline: 0,
      });

    await Promise.all([view(), view()]);
    advance(1_000);
    await view();
    expect(store.list).toHaveBeenCalledTimes(1);

    // GitHub says merged: written back, and the next view reads the table
    merge();
    advance(11_000);
    await view();
    expect(store.setPullRequest).toHaveBeenCalledTimes(1);
    expect(store.list).toHaveBeenCalledTimes(2);
    advance(1_000);
    await view();
    expect(store.list).toHaveBeenCalledTimes(3);
  });
});
