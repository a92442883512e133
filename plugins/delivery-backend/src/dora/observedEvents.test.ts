import type {
  ApplicationView,
  AuditRecord,
  DeliveryOverview,
  RolloutView,
} from '@gitops-delivery/backstage-plugin-delivery-common';
import { eventsFromAudit, eventsFromOverview } from './observedEvents';

const H = 3_600_000;
const T0 = Date.parse('2026-11-20T00:00:00Z');
const iso = (ms: number) => new Date(ms).toISOString();

function app(overrides: Partial<ApplicationView>): ApplicationView {
  return {
    instance: 'main',
    name: 'checkout-production',
    appNamespace: 'argocd',
    project: 'default',
    destination: {},
    sourceType: 'git',
    sync: { status: 'Synced', revision: 'r3' },
    health: { status: 'Healthy' },
    images: ['ghcr.io/acme/checkout:3'],
    history: [],
    links: [],
    binding: { bound: true, by: 'label', enforced: true },
    ...overrides,
  };
}

function overview(
  applications: ApplicationView[],
  rollouts: Array<Partial<RolloutView>> = [],
): DeliveryOverview {
  return {
    entityRef: 'component:default/checkout',
    generatedAt: iso(T0 + 100 * H),
    annotations: { instances: [], projects: [] },
    warnings: [],
    sources: [],
    environments: [
      {
        name: 'production',
        applications,
        stages: [],
        rollouts: rollouts as RolloutView[],
      } as unknown as DeliveryOverview['environments'][number],
    ],
  } as DeliveryOverview;
}

describe('eventsFromOverview', () => {
  it('turns every history entry into a deployment, with images for the live one and commit times where known', () => {
    const events = eventsFromOverview(
      overview([
        app({
          history: [
            // newest first, as Argo CD's view lists them
            {
              id: 2,
              revision: 'r3',
              deployedAt: iso(T0 + 2 * H),
              metadata: { date: iso(T0 + H) },
            },
            { id: 1, revision: 'r2', deployedAt: iso(T0 + H) },
            { id: 0, revision: 'r1', deployedAt: iso(T0) },
            { id: 9, revision: 'no-time' },
          ],
        }),
      ]),
      T0 + 100 * H,
    );
    expect(events).toEqual([
      {
        entityRef: 'component:default/checkout',
        environment: 'production',
        kind: 'deployment',
        key: 'deploy:main/argocd/checkout-production#0:r1',
        at: T0,
        revision: 'r1',
        images: undefined,
        committedAt: undefined,
        source: 'argocd',
      },
      expect.objectContaining({ revision: 'r2', at: T0 + H }),
      expect.objectContaining({
        revision: 'r3',
        at: T0 + 2 * H,
        images: ['ghcr.io/acme/checkout:3'],
        committedAt: T0 + H,
      }),
    ]);
  });

  it('a revision coming back after another is a rollback of the one it replaced', () => {
    const events = eventsFromOverview(
      overview([
        app({
          sync: { status: 'Synced', revision: 'r1' },
          history: [
            {
              id: 2,
              revision: 'r1',
              deployStartedAt: iso(T0 + 3 * H - 60_000),
              deployedAt: iso(T0 + 3 * H),
            },
            { id: 1, revision: 'r2', deployedAt: iso(T0 + H) },
            { id: 0, revision: 'r1', deployedAt: iso(T0) },
          ],
        }),
      ]),
      T0 + 100 * H,
    );
    const rollback = events.find(e => e.kind === 'rollback');
    expect(rollback).toEqual({
      entityRef: 'component:default/checkout',
      environment: 'production',
      kind: 'rollback',
      key: 'rollback:main/argocd/checkout-production#2:r1',
      at: T0 + 3 * H - 60_000,
      revision: 'r2',
      source: 'argocd',
    });
    expect(events.filter(e => e.kind === 'deployment')).toHaveLength(3);
  });

  it('names an entry by its history id, so a timestamp read differently later is the same deployment', () => {
    const at = (deployedAt: number) =>
      eventsFromOverview(
        overview([
          app({
            history: [{ id: 4, revision: 'r1', deployedAt: iso(deployedAt) }],
          }),
        ]),
        T0,
      );
    expect(at(T0)[0].key).toBe('deploy:main/argocd/checkout-production#4:r1');
    expect(at(T0 + 59_000)[0].key).toBe(at(T0)[0].key);
  });

  it('a re-sync of the same revision is no rollback', () => {
    const events = eventsFromOverview(
      overview([
        app({
          history: [
            { id: 1, revision: 'r1', deployedAt: iso(T0 + H) },
            { id: 0, revision: 'r1', deployedAt: iso(T0) },
          ],
        }),
      ]),
      T0,
    );
    expect(events.map(e => e.kind)).toEqual(['deployment', 'deployment']);
  });

  it('an aborted Rollout is an abort of its canary revision, keyed so it is recorded once', () => {
    const rollout: Partial<RolloutView> = {
      instance: 'main',
      namespace: 'checkout',
      name: 'checkout',
      aborted: true,
      abortedAt: iso(T0 + 5 * H),
      canaryPodHash: '7d5979db69',
      canaryImages: ['ghcr.io/acme/checkout:4'],
    };
    const first = eventsFromOverview(overview([], [rollout]), T0 + 6 * H);
    const again = eventsFromOverview(overview([], [rollout]), T0 + 7 * H);
    expect(first).toEqual(again);
    expect(first).toEqual([
      expect.objectContaining({
        kind: 'abort',
        key: 'abort:main/checkout/checkout@7d5979db69',
        at: T0 + 5 * H,
      }),
    ]);
    const noTime = eventsFromOverview(
      overview([], [{ ...rollout, abortedAt: undefined }]),
      T0 + 6 * H,
    );
    expect(noTime[0].at).toBe(T0 + 6 * H);
    expect(
      eventsFromOverview(overview([], [{ ...rollout, aborted: false }]), T0),
    ).toEqual([]);
  });
});

describe('eventsFromAudit', () => {
  const base: AuditRecord = {
    id: 'a1',
    createdAt: iso(T0),
    actor: 'user:default/ada',
    entityRef: 'component:default/checkout',
    environment: 'production',
    rollout: 'checkout',
    action: 'abort',
    reason: 'errors',
    decision: 'allowed',
    outcome: 'succeeded',
  };
  it('keeps aborts that reached Argo CD (by people and by the guard)', () => {
    expect(
      eventsFromAudit([
        base,
        { ...base, id: 'g', decision: 'guard', createdAt: iso(T0 + H) },
        { ...base, id: 'failed', outcome: 'failed' },
        { ...base, id: 'promote', action: 'promote' },
        { ...base, id: 'bad-time', createdAt: 'yesterday' },
      ]),
    ).toEqual([
      {
        entityRef: 'component:default/checkout',
        environment: 'production',
        kind: 'abort',
        key: 'audit:a1',
        at: T0,
        source: 'audit',
      },
      expect.objectContaining({ key: 'audit:g', at: T0 + H }),
    ]);
  });
});
