import type { Entity } from '@backstage/catalog-model';
import { APPLICATION_ANNOTATION_ENTITY_REF } from '@gitops-delivery/backstage-plugin-delivery-common';
import { jsonFixture, yamlFixture } from '../../__testUtils__/fixtures';
import type {
  ArgoCdApplication,
  ArgoCdApplicationTree,
} from '@gitops-delivery/backstage-plugin-delivery-node';
import { argocdSources, assembleOverview } from './assembleOverview';
import type { LoadedApplication } from './loadArgoCdState';
import type { AnalysisRunObject, RolloutObject } from './rolloutTypes';

const SHA = '6bed858de32a0e876ec49dad1a2e3c5840d3fb07';
const entity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'guestbook', namespace: 'default' },
  spec: { owner: 'team-a' },
};

/** The recorded guestbook Application, renamed into an environment. */
function application(
  name: string,
  options: { environment?: string; boundTo?: string } = {},
): ArgoCdApplication {
  const app = jsonFixture('argocd/application-guestbook-synced.json');
  app.metadata.name = name;
  app.metadata.labels = options.environment
    ? { environment: options.environment }
    : {};
  if (options.boundTo) {
    app.metadata.annotations = {
      [APPLICATION_ANNOTATION_ENTITY_REF]: options.boundTo,
    };
  }
  return app;
}

function loaded(
  app: ArgoCdApplication,
  environment: string,
  extra: Partial<LoadedApplication> = {},
): LoadedApplication {
  return {
    live: {
      environment,
      instance: 'main',
      ref: { name: app.metadata.name, appNamespace: 'argocd' },
      application: app,
      incomplete: [],
    },
    metadata: new Map(),
    rollouts: [],
    ...extra,
  };
}

const input = (apps: LoadedApplication[]) => ({
  entity,
  loaded: apps,
  environments: ['dev', 'staging', 'production'],
  binding: { required: true, ownerProjects: [] },
  applicationUrl: (instance: string, app: { name: string }) =>
    `https://argocd.example.com/${instance}/applications/${app.name}`,
  now: new Date('2021-07-15T21:18:55Z'),
});

describe('assembleOverview', () => {
  it('orders environments configured first, others alphabetically, unassigned last', () => {
    const view = assembleOverview(
      input([
        loaded(application('guestbook-x'), 'unassigned'),
        loaded(application('guestbook-qa'), 'qa'),
        loaded(application('guestbook-prod'), 'production'),
        loaded(application('guestbook-stg'), 'staging'),
      ]),
    );
    expect(view.environments.map(e => e.name)).toEqual([
      'staging',
      'production',
      'qa',
      'unassigned',
    ]);
    // the live Applications keep the order they were read in
    expect(view.applications.map(a => a.ref.name)).toEqual([
      'guestbook-x',
      'guestbook-qa',
      'guestbook-prod',
      'guestbook-stg',
    ]);
    expect(view.environments[1].applications[0]).toMatchObject({
      name: 'guestbook-prod',
      instance: 'main',
      links: [
        {
          title: 'Argo CD (main)',
          url: 'https://argocd.example.com/main/applications/guestbook-prod',
        },
      ],
    });
    expect(view.environments.every(e => e.stages.length === 7)).toBe(true);
  });

  it("models each Rollout with its current AnalysisRuns, its actions and its Application's binding", () => {
    const rollout: RolloutObject = yamlFixture(
      'argo-rollouts/rollout-canary-paused-step.yaml',
    );
    const run: AnalysisRunObject = yamlFixture(
      'argo-rollouts/analysisrun-prometheus-successful.yaml',
    );
    const tree: ArgoCdApplicationTree = { nodes: [], orphanedNodes: [] };
    const app = application('guestbook-production', {
      boundTo: 'component:default/guestbook',
    });
    const base = loaded(app, 'production', {
      rollouts: [
        {
          environment: 'production',
          instance: 'main',
          app: { name: 'guestbook-production', appNamespace: 'argocd' },
          resource: {
            group: 'argoproj.io',
            version: 'v1alpha1',
            kind: 'Rollout',
            namespace: 'rollouts-demo',
            name: 'rollouts-demo',
          },
          rollout,
          analysisRuns: [run],
          actions: [
            { name: 'resume', disabled: false },
            { name: 'abort', disabled: false },
          ],
        },
      ],
    });
    base.live.tree = tree;
    const view = assembleOverview(input([base]));

    const [production] = view.environments;
    expect(production.rollouts).toHaveLength(1);
    const rolloutView = production.rollouts[0];
    expect(rolloutView).toMatchObject({
      name: 'rollouts-demo',
      application: 'guestbook-production',
      instance: 'main',
      phase: 'Paused',
      canaryWeight: 21,
      pause: { reason: 'CanaryPauseStep', startedAt: '2021-07-15T21:08:55Z' },
      actions: [
        { name: 'resume', disabled: false },
        { name: 'abort', disabled: false },
      ],
      binding: { bound: true, by: 'annotation', enforced: true },
    });
    expect(rolloutView.analysisRuns).toEqual([
      expect.objectContaining({
        name: 'canary-demo-analysis-template-6c6bb7cf6f-zvcmx',
        phase: 'Successful',
      }),
    ]);
    // the live Rollout carries the very view, and its actions only there
    expect(view.rollouts).toHaveLength(1);
    expect(view.rollouts[0].view).toBe(rolloutView);
    expect(view.rollouts[0]).not.toHaveProperty('actions');
    expect(view.rollouts[0].rollout).toBe(rollout);
    expect(production.stages.find(s => s.name === 'production')).toMatchObject({
      status: 'running',
    });
  });

  it('marks a Rollout of an Application that does not name the entity as unbound', () => {
    const rollout: RolloutObject = yamlFixture(
      'argo-rollouts/rollout-canary-healthy.yaml',
    );
    const app = application('guestbook-production', {
      boundTo: 'component:default/someone-else',
    });
    const base = loaded(app, 'production', {
      rollouts: [
        {
          environment: 'production',
          instance: 'main',
          app: { name: 'guestbook-production' },
          resource: {
            group: 'argoproj.io',
            version: 'v1alpha1',
            kind: 'Rollout',
            namespace: 'default',
            name: 'x',
          },
          rollout,
          analysisRuns: [],
          actions: [],
        },
      ],
    });
    const [env] = assembleOverview(input([base])).environments;
    expect(env.rollouts[0].binding).toMatchObject({
      bound: false,
      enforced: true,
    });
  });

  it("takes an environment's commit from the first Application whose synced revision has metadata", () => {
    const withoutMetadata = loaded(application('a-staging'), 'staging');
    const withMetadata = loaded(application('b-staging'), 'staging', {
      metadata: new Map([
        [
          -1,
          {
            author: 'Ada <ada@example.com>',
            date: '2020-11-18T16:40:00Z',
            message: 'Guestbook: larger font\n\nDetails.',
          },
        ],
      ]),
    });
    const [staging] = assembleOverview(
      input([withoutMetadata, withMetadata]),
    ).environments;
    expect(staging.stages.find(s => s.name === 'commit')).toMatchObject({
      status: 'succeeded',
      message: 'Guestbook: larger font',
      revision: SHA,
      author: 'Ada <ada@example.com>',
      links: [
        {
          title: 'Commit',
          url: `https://github.com/argoproj/argocd-example-apps/commit/${SHA}`,
        },
      ],
    });
  });

  it('says there is no commit when no synced revision has metadata', () => {
    const [env] = assembleOverview(
      input([loaded(application('a-dev'), 'dev')]),
    ).environments;
    expect(env.stages.find(s => s.name === 'commit')).toMatchObject({
      status: 'unknown',
      message: 'No git revision metadata',
      links: [],
    });
  });

  it('is empty when nothing was found', () => {
    expect(assembleOverview(input([]))).toEqual({
      environments: [],
      applications: [],
      rollouts: [],
    });
  });
});

describe('argocdSources', () => {
  it('has one status per searched instance: ok, or its errors joined', () => {
    expect(
      argocdSources(
        ['main', 'edge', 'quiet'],
        new Map([
          ['main', []],
          ['edge', ['listing applications: 500', 'tree: timeout']],
        ]),
      ),
    ).toEqual([
      { source: 'argocd', instance: 'main', status: 'ok' },
      {
        source: 'argocd',
        instance: 'edge',
        status: 'error',
        message: 'listing applications: 500; tree: timeout',
      },
      { source: 'argocd', instance: 'quiet', status: 'ok' },
    ]);
  });
});
