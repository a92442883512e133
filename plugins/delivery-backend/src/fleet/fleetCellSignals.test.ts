import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import type { SourceStatus } from '@gitops-delivery/backstage-plugin-delivery-common';
import type { OverviewContributor } from '../services/overview/OverviewService';
import { createSignalCache } from '../services/signals/SignalCache';
import { assembleRow, type RowFacts } from './assembleFleet';
import {
  createFleetCellSignals,
  createLimiter,
  fleetDeliveryState,
  NO_ANALYSIS_RUNS,
} from './fleetCellSignals';

// The fleet's own computation of its cells' signals: the overview's
// contributors over what the fleet read, cached per entity and state,
// bounded, and a row that is not done in time says so.

const REVISION = 'a'.repeat(40);

const application = (environment: string, health = 'Healthy') => ({
  metadata: {
    name: `checkout-${environment}`,
    namespace: 'argocd',
    labels: { environment },
  },
  spec: {
    project: 'shop',
    source: { repoURL: 'https://github.com/acme/deploy', path: 'checkout' },
  },
  status: {
    sync: { status: 'Synced', revision: REVISION },
    health: { status: health },
    summary: { images: ['ghcr.io/acme/checkout:1.4.0'] },
    resources: [
      {
        group: 'argoproj.io',
        version: 'v1alpha1',
        kind: 'Rollout',
        namespace: 'shop',
        name: 'checkout',
        health: { status: health },
      },
    ],
  },
});

const row = (environments = ['staging', 'production']): RowFacts => ({
  item: {
    entityRef: 'component:default/checkout',
    entity: {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: {
        name: 'checkout',
        namespace: 'default',
        annotations: { 'argocd/app-selector': 'app=checkout' },
      },
      spec: { owner: 'team-storefront' },
    },
  },
  cells: environments.map(environment => ({
    environment,
    applications: [{ instance: 'main', application: application(environment) }],
    canaries: [],
    rollouts: [],
    failedInstances: [],
    errors: [],
  })),
});

/** A contributor that writes a policy verdict into every environment. */
const policyContributor = (
  gate: Promise<void> = Promise.resolve(),
  calls: string[] = [],
): OverviewContributor => ({
  source: 'policy',
  async contribute(state) {
    calls.push(state.entity.entityRef);
    await gate;
    for (const environment of state.overview.environments) {
      environment.summary = {
        ...environment.summary,
        policy: { allowed: false, failing: ['soak'], pending: true },
      };
    }
    return [{ source: 'policy', status: 'ok' }];
  },
});

const deferred = () => {
  let release!: () => void;
  const promise = new Promise<void>(resolve => {
    release = resolve;
  });
  return { promise, release };
};

function engine(
  contributors: OverviewContributor[],
  options: Partial<Parameters<typeof createFleetCellSignals>[0]> = {},
) {
  return createFleetCellSignals({
    contributors: () => contributors,
    cache: createSignalCache(mockServices.cache.mock() as any),
    ttlMs: 60_000,
    budgetMs: 5_000,
    waitMs: 1_000,
    concurrency: 2,
    environments: ['dev', 'staging', 'production'],
    binding: { required: true, ownerProjects: [] },
    applicationUrl: (instance, app) => `https://${instance}/${app.name}`,
    logger: mockServices.logger.mock(),
    ...options,
  });
}

const credentials = mockCredentials.user();

describe('fleetDeliveryState', () => {
  it("models what the fleet read as the overview would, knowing the synced git revision without reading Argo CD's metadata", () => {
    const state = fleetDeliveryState(row(), {
      environments: ['dev', 'staging', 'production'],
      binding: { required: true, ownerProjects: [] },
      applicationUrl: () => 'https://argocd',
      now: new Date('2026-12-06T00:00:00Z'),
    });
    expect(state.entity.entityRef).toBe('component:default/checkout');
    expect(state.overview.environments.map(e => e.name)).toEqual([
      'staging',
      'production',
    ]);
    const commit = state.overview.environments[0].stages.find(
      s => s.name === 'commit',
    );
    expect(commit?.revision).toBe(REVISION);
    // the settled Rollout was not read: no rollout in the state
    expect(state.rollouts).toEqual([]);
    expect(state.applications[0].incomplete).toEqual([]);
  });

  it('marks an Application whose canary runs analyses incomplete: the page reads no AnalysisRun', () => {
    const facts = row(['production']);
    const cell = facts.cells[0];
    const listed = cell.applications[0];
    cell.rollouts.push({
      listed,
      resource: {
        group: 'argoproj.io',
        version: 'v1alpha1',
        kind: 'Rollout',
        namespace: 'shop',
        name: 'checkout',
      },
      rollout: {
        apiVersion: 'argoproj.io/v1alpha1',
        kind: 'Rollout',
        metadata: { name: 'checkout', namespace: 'shop' },
        spec: {
          strategy: {
            canary: {
              steps: [
                { setWeight: 20 },
                { analysis: { templates: [{ templateName: 'success-rate' }] } },
              ],
            },
          },
        },
        status: { phase: 'Paused' },
      } as any,
    });
    const state = fleetDeliveryState(facts, {
      environments: ['production'],
      binding: { required: true, ownerProjects: [] },
      applicationUrl: () => 'https://argocd',
      now: new Date('2026-12-06T00:00:00Z'),
    });
    expect(state.rollouts).toHaveLength(1);
    expect(state.applications[0].incomplete).toEqual([NO_ANALYSIS_RUNS]);
  });
});

describe('createFleetCellSignals', () => {
  it("gives each cell the overview contributors' signals, computed once per entity and state", async () => {
    const calls: string[] = [];
    const signals = engine([policyContributor(undefined, calls)]);
    const first = row();
    await signals.fill([first], credentials);
    const cell = assembleRow(first).cells[1];
    expect(cell).toMatchObject({
      environment: 'production',
      signalsStatus: 'ready',
      signalsAt: expect.any(String),
      policy: { allowed: false, failing: ['soak'], pending: true },
    });
    expect(cell.signalsMessage).toBeUndefined();
    // the same state again: the cached computation
    await signals.fill([row()], credentials);
    expect(calls).toHaveLength(1);
    // another state (a new revision): computed again
    const changed = row();
    changed.cells[1].applications[0].application.status!.summary!.images = [
      'ghcr.io/acme/checkout:1.5.0',
    ];
    await signals.fill([changed], credentials);
    expect(calls).toHaveLength(2);
  });

  it('shows a row still computing when the page stops waiting, and its signals on the next refresh', async () => {
    const gate = deferred();
    const signals = engine([policyContributor(gate.promise)], { waitMs: 5 });
    const first = row();
    await signals.fill([first], credentials);
    const computing = assembleRow(first).cells[0];
    expect(computing.signalsStatus).toBe('computing');
    expect(computing.signalsMessage).toMatch(/still being computed/);
    expect(computing.policy).toBeUndefined();
    // the computation goes on in the background and lands in the cache
    gate.release();
    await new Promise(resolve => setImmediate(resolve));
    const second = row();
    await signals.fill([second], credentials);
    expect(assembleRow(second).cells[0]).toMatchObject({
      signalsStatus: 'ready',
      policy: { allowed: false },
    });
  });

  it("shows the entity's last computed signals, as such, while newer ones are computed", async () => {
    const store = new Map<string, unknown>();
    const lastKnown = {
      get: async (key: string) => store.get(key),
      set: async (key: string, value: unknown) => {
        store.set(key, value);
      },
      delete: async (key: string) => {
        store.delete(key);
      },
      withOptions: () => lastKnown,
    };
    const gate = deferred();
    let first = true;
    const contributor: OverviewContributor = {
      source: 'policy',
      async contribute(state) {
        if (!first) await gate.promise;
        first = false;
        for (const environment of state.overview.environments) {
          environment.summary = {
            ...environment.summary,
            policy: { allowed: true, failing: [], pending: true },
          };
        }
        return [];
      },
    };
    const signals = engine([contributor], {
      lastKnown: lastKnown as any,
      waitMs: 5,
    });
    const before = row(['production']);
    await signals.fill([before], credentials);
    const computedAt = assembleRow(before).cells[0].signalsAt;
    expect(computedAt).toEqual(expect.any(String));
    // a new image: its signals are not done in time
    const changed = row(['production']);
    changed.cells[0].applications[0].application.status!.summary!.images = [
      'ghcr.io/acme/checkout:1.5.0',
    ];
    await signals.fill([changed], credentials);
    expect(assembleRow(changed).cells[0]).toMatchObject({
      signalsStatus: 'computing',
      signalsAt: computedAt,
      policy: { allowed: true },
      signalsMessage: expect.stringMatching(/newer ones are being computed/),
    });
    gate.release();
  });

  it('names a source that failed and keeps the others', async () => {
    const failing: OverviewContributor = {
      source: 'prometheus',
      contribute: async () => {
        throw new Error('Prometheus "main": connection refused');
      },
    };
    const signals = engine([policyContributor(), failing]);
    const facts = row();
    await signals.fill([facts], credentials);
    const cell = assembleRow(facts).cells[0];
    expect(cell.signalsStatus).toBe('ready');
    expect(cell.policy).toMatchObject({ failing: ['soak'] });
    expect(cell.signalsMessage).toContain(
      'prometheus: Prometheus "main": connection refused',
    );
  });

  it('says when the signals could not be computed at all', async () => {
    const signals = createFleetCellSignals({
      ...({} as any),
      contributors: () => {
        throw new Error('the contributors are not registered yet');
      },
      cache: createSignalCache(),
      ttlMs: 0,
      budgetMs: 1_000,
      waitMs: 1_000,
      concurrency: 1,
      environments: [],
      binding: { required: true, ownerProjects: [] },
      applicationUrl: () => '',
      logger: mockServices.logger.mock(),
    });
    const facts = row(['production']);
    await signals.fill([facts], credentials);
    expect(assembleRow(facts).cells[0]).toMatchObject({
      signalsStatus: 'failed',
      signalsMessage:
        'The signals could not be computed: the contributors are not registered yet',
    });
  });

  it('computes nothing for a row without Applications', async () => {
    const contributor = policyContributor();
    const spy = jest.spyOn(contributor, 'contribute');
    const signals = engine([contributor]);
    const empty = row(['production']);
    empty.cells[0].applications = [];
    await signals.fill([empty], credentials);
    expect(spy).not.toHaveBeenCalled();
    expect(assembleRow(empty).cells[0].signalsStatus).toBeUndefined();
  });

  it('scans the images of a settled Rollout through the VulnerabilitiesService, and shows nothing when no scanner answered', async () => {
    const sources: SourceStatus[] = [{ source: 'trivy', status: 'ok' }];
    const summarize = jest.fn(async (_request: any) => ({
      counts: { CRITICAL: 0, HIGH: 2, MEDIUM: 5, LOW: 0, UNKNOWN: 0 },
      fixableCounts: { CRITICAL: 0, HIGH: 0, MEDIUM: 0, LOW: 0, UNKNOWN: 0 },
      sources,
      layers: [],
    }));
    const facts = row(['production']);
    await engine([], { vulnerabilities: { summarize } }).fill(
      [facts],
      credentials,
    );
    expect(assembleRow(facts).cells[0].security).toEqual({
      worst: 'HIGH',
      count: 2,
    });
    const target = summarize.mock.calls[0][0].rollouts[0];
    expect(target.view).toMatchObject({
      name: 'checkout',
      stableImages: ['ghcr.io/acme/checkout:1.4.0'],
      fullyPromoted: true,
    });
    await expect(target.readResource({})).rejects.toThrow(/no live manifest/);

    sources[0] = { source: 'trivy', status: 'not-configured' };
    const unscanned = row(['production']);
    unscanned.cells[0].applications[0].application.metadata.name = 'other';
    await engine([], { vulnerabilities: { summarize } }).fill(
      [unscanned],
      credentials,
    );
    expect(assembleRow(unscanned).cells[0].security).toBeUndefined();
  });
});

describe('createLimiter', () => {
  it('runs at most n tasks at a time, in order', async () => {
    const limit = createLimiter(2);
    const gates = [deferred(), deferred(), deferred()];
    const started: number[] = [];
    const runs = gates.map((gate, i) =>
      limit(async () => {
        started.push(i);
        await gate.promise;
        return i;
      }),
    );
    await new Promise(resolve => setImmediate(resolve));
    expect(started).toEqual([0, 1]);
    gates[1].release();
    await runs[1];
    await new Promise(resolve => setImmediate(resolve));
    expect(started).toEqual([0, 1, 2]);
    gates[0].release();
    gates[2].release();
    expect(await Promise.all(runs)).toEqual([0, 1, 2]);
  });
});
