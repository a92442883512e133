import type {
  ApplicationView,
  RolloutView,
} from '@gitops-delivery/backstage-plugin-delivery-common';
import { mockApplication } from '../../__testUtils__/argocdFixtures';
import {
  revisionMetadataRequests,
  sourceTypeOf,
  toApplicationView,
} from './applicationView';
import { detectEnvironment, orderEnvironments } from './environment';
import { commitUrl } from './links';
import {
  deriveStages,
  environmentStatus,
  reconcileStatus,
  stageEnvironments,
  type EnvironmentFacts,
} from './stages';

const rules = {
  environments: ['dev', 'staging', 'production'],
  label: 'environment',
};
const SHA = 'abcdef0123456789abcdef0123456789abcdef01';

describe('environments', () => {
  it('reads the label first, then the name suffix', () => {
    const app = (name: string, labels?: Record<string, string>) => ({
      metadata: { name, labels },
    });
    expect(detectEnvironment(app('x-dev', { environment: 'qa' }), rules)).toBe(
      'qa',
    );
    expect(detectEnvironment(app('checkout-staging'), rules)).toBe('staging');
    expect(detectEnvironment(app('checkout-production'), rules)).toBe(
      'production',
    );
    expect(detectEnvironment(app('checkout'), rules)).toBe('unassigned');
    expect(
      detectEnvironment(app('a-prod'), {
        environments: ['prod', 'pre-prod'],
        label: 'env',
      }),
    ).toBe('prod');
    expect(
      detectEnvironment(app('a-pre-prod'), {
        environments: ['prod', 'pre-prod'],
        label: 'env',
      }),
    ).toBe('pre-prod');
  });

  it('orders configured environments first, others after, unassigned last', () => {
    expect(
      orderEnvironments(
        ['unassigned', 'production', 'qa', 'dev', 'dev'],
        rules.environments,
      ),
    ).toEqual(['dev', 'production', 'qa', 'unassigned']);
  });

  it('finds the staging and production roles', () => {
    expect(stageEnvironments(['dev', 'staging', 'production'])).toEqual({
      staging: 'staging',
      production: 'production',
    });
    expect(stageEnvironments(['test', 'acc', 'live'])).toEqual({
      staging: 'acc',
      production: 'live',
    });
  });
});

describe('applications', () => {
  it('knows git, Helm, OCI and multi-source applications', () => {
    expect(sourceTypeOf(mockApplication({ name: 'a' }))).toBe('git');
    expect(
      sourceTypeOf(
        mockApplication({
          name: 'a',
          source: { repoURL: 'https://c', chart: 'c' },
        }),
      ),
    ).toBe('helm');
    expect(
      sourceTypeOf(
        mockApplication({ name: 'a', source: { repoURL: 'oci://r/c' } }),
      ),
    ).toBe('oci');
    expect(
      sourceTypeOf(
        mockApplication({
          name: 'a',
          sources: [{ repoURL: 'https://a' }, { repoURL: 'https://b' }],
        }),
      ),
    ).toBe('multi-source');
  });

  it('asks metadata for the newest N git commits only, once per revision', () => {
    const history = [1, 2, 3, 4].map(id => ({
      id,
      revision: id === 2 ? 'main' : `${id}`.repeat(40),
      deployedAt: `2026-01-0${id}T00:00:00Z`,
    }));
    const app = mockApplication({
      name: 'a',
      revision: '4'.repeat(40),
      history,
    });
    expect(revisionMetadataRequests(app, 3)).toEqual([
      { historyIds: [4, -1], revision: '4'.repeat(40) },
      { historyIds: [3], revision: '3'.repeat(40) },
    ]);
    expect(revisionMetadataRequests(app, 0)).toEqual([
      { historyIds: [-1], revision: '4'.repeat(40) },
    ]);
  });

  it('builds the view with history newest first and metadata where fetched', () => {
    const app = mockApplication({
      name: 'a',
      revision: SHA,
      history: [
        { id: 1, revision: 'old', deployedAt: '2026-01-01T00:00:00Z' },
        {
          id: 2,
          revision: SHA,
          deployedAt: '2026-01-02T00:00:00Z',
          initiatedBy: { automated: true },
        },
      ],
    });
    const view = toApplicationView({
      instance: 'main',
      app,
      metadata: new Map([[2, { author: 'A' }]]),
      links: [],
      binding: { bound: true, by: 'label', enforced: true },
    });
    expect(
      view.history.map(h => [h.id, h.metadata?.author, h.initiatedBy]),
    ).toEqual([
      [2, 'A', 'automated'],
      [1, undefined, undefined],
    ]);
    expect(view).toMatchObject({
      sync: { status: 'Synced', revision: SHA },
      health: { status: 'Healthy' },
      operation: { phase: 'Succeeded' },
      sourceType: 'git',
    });
  });

  it('links commits on GitHub and GitLab only', () => {
    expect(commitUrl('https://github.com/acme/app.git', SHA)).toBe(
      `https://github.com/acme/app/commit/${SHA}`,
    );
    expect(commitUrl('git@gitlab.com:group/sub/app.git', SHA)).toBe(
      `https://gitlab.com/group/sub/app/-/commit/${SHA}`,
    );
    expect(commitUrl('https://evil.example.com/acme/app', SHA)).toBeUndefined();
    expect(commitUrl('https://github.com/acme/app', 'main')).toBeUndefined();
  });
});

function appView(overrides: Partial<ApplicationView> = {}): ApplicationView {
  return {
    instance: 'main',
    name: 'app',
    project: 'default',
    destination: {},
    sourceType: 'git',
    sync: { status: 'Synced', revision: SHA },
    health: { status: 'Healthy' },
    images: ['img:1'],
    history: [],
    links: [{ title: 'Argo CD', url: 'http://argocd/app' }],
    binding: { bound: true, by: 'label', enforced: true },
    ...overrides,
  };
}

function rollout(overrides: Partial<RolloutView> = {}): RolloutView {
  return {
    instance: 'main',
    application: 'app',
    namespace: 'n',
    name: 'r',
    strategy: 'canary',
    health: { status: 'Progressing' },
    steps: [
      { kind: 'setWeight', weight: 5 },
      { kind: 'pause', durationSeconds: 600 },
      { kind: 'setWeight', weight: 100 },
    ],
    currentStepIndex: 1,
    canaryWeight: 5,
    stableWeight: 95,
    stableImages: ['img:1'],
    canaryImages: ['img:2'],
    aborted: false,
    fullyPromoted: false,
    analysisRuns: [],
    actions: [],
    ...overrides,
  };
}

describe('stages', () => {
  it('reports reconciliation from the sync operation and drift', () => {
    expect(reconcileStatus([appView()]).status).toBe('succeeded');
    expect(
      reconcileStatus([appView({ sync: { status: 'OutOfSync' } })]),
    ).toMatchObject({
      status: 'waiting',
      message: expect.stringContaining('OutOfSync'),
    });
    expect(
      reconcileStatus([
        appView({ operation: { phase: 'Running', startedAt: 't' } }),
      ]),
    ).toMatchObject({ status: 'running', startedAt: 't' });
    expect(
      reconcileStatus([
        appView({ operation: { phase: 'Failed', message: 'boom' } }),
      ]),
    ).toMatchObject({ status: 'failed', message: 'app: sync Failed: boom' });
    expect(reconcileStatus([]).status).toBe('not-configured');
  });

  it('reports an environment from its rollouts first', () => {
    const env = (r: RolloutView): EnvironmentFacts => ({
      name: 'production',
      applications: [appView()],
      rollouts: [r],
    });
    expect(
      environmentStatus(env(rollout({ pause: { reason: 'CanaryPauseStep' } }))),
    ).toMatchObject({
      status: 'running',
      message: 'r: canary paused at step 2/3 (5% canary)',
    });
    expect(
      environmentStatus(
        env(rollout({ aborted: true, message: 'metric failed' })),
      ),
    ).toEqual({
      status: 'failed',
      message: 'r: aborted: metric failed',
    });
    expect(
      environmentStatus(
        env(rollout({ fullyPromoted: true, health: { status: 'Healthy' } })),
      ).status,
    ).toBe('succeeded');
  });

  it('derives the seven stages of every environment', () => {
    const facts: EnvironmentFacts[] = [
      {
        name: 'dev',
        applications: [appView({ images: ['img:3'] })],
        rollouts: [],
        commit: {
          revision: SHA,
          metadata: { author: 'A', message: 'feat: x\n\nbody', date: 'd' },
        },
      },
      {
        name: 'staging',
        applications: [appView({ images: ['img:2'] })],
        rollouts: [],
      },
      {
        name: 'production',
        applications: [
          appView({
            images: ['img:1', 'img:2'],
            health: { status: 'Suspended' },
          }),
        ],
        rollouts: [rollout({ pause: { reason: 'CanaryPauseStep' } })],
      },
    ];
    const stages = (env: string) =>
      Object.fromEntries(
        deriveStages({
          environments: facts,
          environment: env,
          stagingEnvironment: 'staging',
          productionEnvironment: 'production',
          ...(env === 'dev'
            ? { ci: { status: 'succeeded', url: 'http://ci' } }
            : {}),
        }).map(s => [s.name, s]),
      );
    const dev = stages('dev');
    expect(Object.keys(dev)).toEqual([
      'commit',
      'ci',
      'image',
      'manifest',
      'reconcile',
      'staging',
      'production',
    ]);
    expect(dev.commit).toMatchObject({
      status: 'succeeded',
      author: 'A',
      message: 'feat: x',
      commitMessage: 'feat: x\n\nbody',
    });
    expect(dev.ci).toMatchObject({
      status: 'succeeded',
      links: [{ url: 'http://ci' }],
    });
    expect(dev.image).toMatchObject({ status: 'succeeded', message: 'img:3' });
    // dev has no stage of its own: its reconcile stage carries its health
    expect(dev.reconcile).toMatchObject({
      status: 'succeeded',
      message: 'Synced and healthy',
    });
    expect(dev.reconcile.environment).toBeUndefined();
    // dev's change (img:3) is in neither staging nor production
    expect(dev.staging).toMatchObject({
      status: 'waiting',
      environment: 'staging',
      message: 'Not reached: staging runs img:2',
    });
    expect(dev.production).toMatchObject({
      status: 'waiting',
      environment: 'production',
      message: 'Not reached: production runs img:1, img:2',
    });

    const staging = stages('staging');
    expect(staging.ci.status).toBe('not-configured');
    expect(staging.reconcile.message).toBe('Synced');
    // staging's own stage: its own health, about no other environment
    expect(staging.staging).toMatchObject({
      status: 'succeeded',
      message: 'Synced and healthy',
    });
    expect(staging.staging.environment).toBeUndefined();
    // staging's change (img:2) is production's canary
    expect(staging.production).toMatchObject({
      status: 'running',
      environment: 'production',
      message: 'Canary in production: 5% at step 2/3, paused',
      links: [{ url: 'http://argocd/app' }],
    });

    const prod = stages('production');
    expect(prod.staging).toMatchObject({
      status: 'succeeded',
      environment: 'staging',
      message: 'Runs in staging, healthy',
    });
    expect(prod.production).toMatchObject({
      status: 'running',
      message: 'r: canary paused at step 2/3 (5% canary)',
    });
    expect(prod.production.environment).toBeUndefined();
    expect(prod.commit.status).toBe('unknown');
  });

  it("describes each row's own environment, not production's rollout, when the change is everywhere", () => {
    const app = (images: string[]) => appView({ images });
    const facts = (prodRollout: RolloutView): EnvironmentFacts[] => [
      { name: 'dev', applications: [app(['img:2'])], rollouts: [] },
      {
        name: 'staging',
        applications: [
          appView({ images: ['img:2'], health: { status: 'Degraded' } }),
        ],
        rollouts: [],
      },
      {
        name: 'production',
        applications: [app(['img:1', 'img:2'])],
        rollouts: [prodRollout],
      },
    ];
    const stagesOf = (env: string, prod: RolloutView) =>
      Object.fromEntries(
        deriveStages({
          environments: facts(prod),
          environment: env,
          stagingEnvironment: 'staging',
          productionEnvironment: 'production',
        }).map(s => [s.name, s]),
      );
    const paused = rollout({ pause: { reason: 'CanaryPauseStep' } });
    const dev = stagesOf('dev', paused);
    // dev's own state stays dev's: synced and healthy
    expect(dev.reconcile.status).toBe('succeeded');
    // staging's degradation is reported as where dev's change is, not as dev's
    expect(dev.staging).toMatchObject({
      status: 'failed',
      environment: 'staging',
      message: expect.stringMatching(/^In staging: app: Degraded/),
    });
    expect(dev.production).toMatchObject({
      status: 'running',
      environment: 'production',
      message: 'Canary in production: 5% at step 2/3, paused',
    });
    // the same change aborted in production
    expect(
      stagesOf('dev', rollout({ aborted: true, message: 'SLO breach' }))
        .production,
    ).toMatchObject({
      status: 'failed',
      environment: 'production',
      message: 'In production: r: aborted: SLO breach',
    });
    // fully promoted: it runs there
    expect(
      stagesOf(
        'dev',
        rollout({
          fullyPromoted: true,
          stableImages: ['img:2'],
          canaryImages: ['img:2'],
          health: { status: 'Healthy' },
        }),
      ).production,
    ).toMatchObject({
      status: 'succeeded',
      message: 'Runs in production, healthy',
    });
  });

  it("says a later environment's change passed an earlier one that has moved on", () => {
    const stages = deriveStages({
      environments: [
        {
          name: 'staging',
          applications: [appView({ images: ['img:3'] })],
          rollouts: [],
        },
        {
          name: 'production',
          applications: [appView({ images: ['img:1', 'img:2'] })],
          rollouts: [rollout()],
        },
      ],
      environment: 'production',
      stagingEnvironment: 'staging',
      productionEnvironment: 'production',
    });
    expect(stages.find(s => s.name === 'staging')).toMatchObject({
      status: 'succeeded',
      environment: 'staging',
      message: 'Passed; staging now runs img:3',
    });
  });

  it('marks staging and production not configured when the entity has none', () => {
    const stages = deriveStages({
      environments: [{ name: 'dev', applications: [appView()], rollouts: [] }],
      environment: 'dev',
      stagingEnvironment: 'staging',
      productionEnvironment: 'production',
    });
    expect(stages.find(s => s.name === 'staging')?.status).toBe(
      'not-configured',
    );
    expect(stages.find(s => s.name === 'production')?.status).toBe(
      'not-configured',
    );
  });
});
