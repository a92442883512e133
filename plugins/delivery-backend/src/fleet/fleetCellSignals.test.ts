import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import type { SourceStatus } from '@gitops-delivery/backstage-plugin-delivery-common';
import { createPolicyContributor } from '../policy/policyContributor';
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

const RUN = 'checkout-6d4f8c7b9-2-1';

/** A paused canary whose second step runs an analysis. */
const canaryRollout = () =>
  ({
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Rollout',
    metadata: { name: 'checkout', namespace: 'shop' },
    spec: {
      strategy: {
        canary: {
          steps: [
            { setWeight: 20 },
            { analysis: { templates: [{ templateName: 'success-rate' }] } },
            { setWeight: 50 },
          ],
        },
      },
    },
    status: {
      phase: 'Paused',
      currentPodHash: '6d4f8c7b9',
      currentStepIndex: 1,
      canary: {
        currentStepAnalysisRunStatus: { name: RUN, status: 'Running' },
      },
    },
  } as any);

const analysisRun = (phase: string) => ({
  apiVersion: 'argoproj.io/v1alpha1',
  kind: 'AnalysisRun',
  metadata: {
    name: RUN,
    namespace: 'shop',
    labels: { 'rollouts-pod-template-hash': '6d4f8c7b9' },
  },
  spec: { metrics: [{ name: 'success-rate' }] },
  status: { phase },
});

/** A production cell whose canary (read by readCanaries) runs analyses. */
const canaryRow = (): RowFacts => {
  const facts = row(['production']);
  const cell = facts.cells[0];
  cell.rollouts.push({
    listed: cell.applications[0],
    resource: {
      group: 'argoproj.io',
      version: 'v1alpha1',
      kind: 'Rollout',
      namespace: 'shop',
      name: 'checkout',
    },
    rollout: canaryRollout(),
  });
  return facts;
};

/** An Argo CD client whose tree has the canary's AnalysisRun. */
const analysisReads = (phase = 'Failed') => ({
  getResourceTree: jest.fn(async (_instance: string, _app: unknown) => ({
    nodes: [
      {
        group: 'argoproj.io',
        version: 'v1alpha1',
        kind: 'AnalysisRun',
        namespace: 'shop',
        name: RUN,
      },
      // another Rollout's run, not read
      {
        group: 'argoproj.io',
        version: 'v1alpha1',
        kind: 'AnalysisRun',
        namespace: 'shop',
        name: 'cart-1a2b3c-1-1',
      },
    ],
  })),
  getResource: jest.fn(
    async (_instance: string, _app: unknown, resource: { name: string }) => {
      if (resource.name !== RUN) throw new Error(`unexpected ${resource.name}`);
      return analysisRun(phase) as any;
    },
  ),
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

/** An Argo CD client that must not be called. */
const noReads = () => ({
  getResourceTree: jest.fn(async () => {
    throw new Error('no tree read expected');
  }),
  getResource: jest.fn(async () => {
    throw new Error('no resource read expected');
  }),
});

function engine(
  contributors: OverviewContributor[],
  options: Partial<Parameters<typeof createFleetCellSignals>[0]> = {},
) {
  return createFleetCellSignals({
    argocd: noReads(),
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

  it('marks an Application whose canary runs analyses incomplete when its runs were not read, and passes them on when they were', () => {
    const facts = canaryRow();
    const options = {
      environments: ['production'],
      binding: { required: true, ownerProjects: [] },
      applicationUrl: () => 'https://argocd',
      now: new Date('2026-12-06T00:00:00Z'),
    };
    const unread = fleetDeliveryState(facts, options);
    expect(unread.rollouts).toHaveLength(1);
    expect(unread.applications[0].incomplete).toEqual([NO_ANALYSIS_RUNS]);

    facts.cells[0].rollouts[0].analysisRuns = [analysisRun('Failed')];
    const read = fleetDeliveryState(facts, options);
    expect(read.applications[0].incomplete).toEqual([]);
    expect(read.rollouts[0].view.analysisRuns).toEqual([
      expect.objectContaining({ name: RUN, phase: 'Failed' }),
    ]);

    facts.cells[0].rollouts[0].analysisErrors = ['AnalysisRun: timed out'];
    expect(
      fleetDeliveryState(facts, options).applications[0].incomplete,
    ).toEqual(['AnalysisRun: timed out']);
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

describe("the fleet's reads of a canary's AnalysisRuns", () => {
  it("reads a canary's AnalysisRuns as the tab does, so the policy's analysis gate has a verdict", async () => {
    const argocd = analysisReads('Failed');
    const seen: any[] = [];
    const contributor: OverviewContributor = {
      source: 'policy',
      async contribute(state) {
        seen.push(state);
        for (const environment of state.overview.environments) {
          const runs = state.rollouts.flatMap(r => r.view.analysisRuns);
          environment.summary = {
            ...environment.summary,
            policy: {
              allowed: runs.every(r => r.phase === 'Successful'),
              failing: runs.some(r => r.phase === 'Failed') ? ['analysis'] : [],
              pending: true,
            },
          };
        }
        return [{ source: 'policy', status: 'ok' }];
      },
    };
    const facts = canaryRow();
    await engine([contributor], { argocd }).fill([facts], credentials);
    expect(argocd.getResourceTree).toHaveBeenCalledTimes(1);
    expect(argocd.getResourceTree.mock.calls[0][1]).toEqual({
      name: 'checkout-production',
      appNamespace: 'argocd',
      project: 'shop',
    });
    // only the run of the canary's current revision
    expect(argocd.getResource).toHaveBeenCalledTimes(1);
    expect(seen[0].applications[0].incomplete).toEqual([]);
    expect(assembleRow(facts).cells[0]).toMatchObject({
      signalsStatus: 'ready',
      policy: { allowed: false, failing: ['analysis'] },
    });
  });

  it('issues no tree or AnalysisRun read for cells without a Rollout in progress', async () => {
    const argocd = analysisReads();
    const settled = row();
    // a canary without analyses is read for its step, not for runs
    const plain = canaryRow();
    (plain.cells[0].rollouts[0].rollout as any).spec.strategy.canary.steps = [
      { setWeight: 20 },
      { pause: {} },
    ];
    plain.item.entityRef = 'component:default/plain';
    await engine([policyContributor()], { argocd }).fill(
      [settled, plain],
      credentials,
    );
    expect(argocd.getResourceTree).not.toHaveBeenCalled();
    expect(argocd.getResource).not.toHaveBeenCalled();
    expect(assembleRow(settled).cells[1].signalsStatus).toBe('ready');
  });

  it('keeps the policy from judging a canary whose AnalysisRuns could not be read, and says why', async () => {
    const argocd = analysisReads();
    argocd.getResourceTree.mockRejectedValue(new Error('connection reset'));
    const policy = createPolicyContributor({
      evaluate: async () => {
        throw new Error('not evaluated over an incomplete state');
      },
    });
    const facts = canaryRow();
    await engine([policy], { argocd }).fill([facts], credentials);
    const cell = assembleRow(facts).cells[0];
    expect(cell.policy).toBeUndefined();
    expect(cell.signalsMessage).toContain('its Argo CD data is incomplete');
    expect(cell.signalsMessage).toContain('connection reset');
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
