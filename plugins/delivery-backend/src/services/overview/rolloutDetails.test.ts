import { parseAllDocuments } from 'yaml';
import { fixtureText } from 'delivery-test-data';
import type { ArgoCdResourceNode } from '@gitops-delivery/backstage-plugin-delivery-node';
import { yamlFixture } from '../../__testUtils__/fixtures';
import { canaryScaleInEffect, mirrorRoutes } from './canaryDetails';
import { toExperimentView } from './experimentView';
import { analysisRunNamesInStatus, toRolloutView } from './rolloutView';
import type { ExperimentObject, RolloutObject } from './rolloutTypes';

const base = {
  instance: 'main',
  application: 'app',
  analysisRuns: [],
  actions: [],
  now: new Date('2026-12-06T05:00:00Z'),
};

/** One document of a multi-document upstream example, by kind. */
function documentOf<T>(fixture: string, kind: string): T {
  const docs = parseAllDocuments(fixtureText(fixture)).map(d => d.toJS());
  const doc = docs.find(d => d?.kind === kind);
  if (!doc) throw new Error(`${fixture} has no ${kind}`);
  return doc as T;
}

/** The Rollout of argo-rollouts' Istio mirror example, at `currentStepIndex`. */
function istioMirror(currentStepIndex: number): RolloutObject {
  const rollout = documentOf<RolloutObject>(
    'argo-rollouts/rollout-canary-istio-mirror.yaml',
    'Rollout',
  );
  // The example is a spec; the status is what the controller writes part way.
  rollout.metadata = { ...rollout.metadata, namespace: 'demo' };
  rollout.status = {
    phase: 'Paused',
    currentStepIndex,
    currentPodHash: 'canaryhash',
    stableRS: 'stablehash',
    canary: {
      weights: {
        canary: { weight: 0, serviceName: 'istio-host-split-canary' },
        stable: { weight: 100, serviceName: 'istio-host-split-stable' },
      },
    },
  };
  return rollout;
}

const virtualServiceNode: ArgoCdResourceNode = {
  group: 'networking.istio.io',
  version: 'v1alpha3',
  kind: 'VirtualService',
  namespace: 'demo',
  name: 'istio-host-split-vsvc',
  health: { status: 'Healthy' },
};

describe('canary details', () => {
  it('shows the Istio router, its VirtualService in the tree and the mirror while it lasts', () => {
    const view = toRolloutView({
      ...base,
      rollout: istioMirror(2),
      treeNodes: [virtualServiceNode],
    });
    expect(view.steps).toEqual([
      { kind: 'setCanaryScale', weight: 50 },
      {
        kind: 'setMirrorRoute',
        name: 'mirror-route',
        percentage: 50,
        remove: false,
      },
      { kind: 'pause' },
    ]);
    expect(view.canary).toMatchObject({
      setWeight: 0,
      routedWeight: 0,
      canaryService: 'istio-host-split-canary',
      stableService: 'istio-host-split-stable',
      canaryScale: { weight: 50 },
      replicas: 4,
      dynamicStableScale: false,
      trafficRouting: {
        routers: [
          {
            provider: 'istio',
            resources: [
              {
                kind: 'VirtualService',
                name: 'istio-host-split-vsvc',
                namespace: 'demo',
                found: true,
                health: { status: 'Healthy' },
              },
            ],
          },
        ],
        managedRoutes: ['mirror-route'],
      },
      mirrors: [
        { name: 'mirror-route', percentage: 50, stepIndex: 1, active: true },
      ],
    });
  });

  it('reports the weight the VirtualService, read live, sends to the canary', () => {
    const vs = documentOf<any>(
      'argo-rollouts/rollout-canary-istio-mirror.yaml',
      'VirtualService',
    );
    vs.spec.http[0].route[0].weight = 90;
    vs.spec.http[0].route[1].weight = 10;
    const view = toRolloutView({
      ...base,
      rollout: istioMirror(2),
      treeNodes: [virtualServiceNode],
      routerObjects: [
        {
          kind: 'VirtualService',
          namespace: 'demo',
          name: 'istio-host-split-vsvc',
          object: vs,
        },
      ],
    });
    expect(
      view.canary?.trafficRouting?.routers[0].resources[0].canaryWeight,
    ).toBe(10);
  });

  it('does not mirror before the step has run, nor once the update is aborted', () => {
    const before = toRolloutView({
      ...base,
      rollout: istioMirror(1),
      treeNodes: [],
    });
    expect(before.canary?.mirrors[0].active).toBe(false);
    // a router resource missing from the tree is reported as such
    expect(before.canary?.trafficRouting?.routers[0].resources[0].found).toBe(
      false,
    );
    const abortedRollout = istioMirror(2);
    abortedRollout.status!.abort = true;
    const aborted = toRolloutView({
      ...base,
      rollout: abortedRollout,
      treeNodes: [virtualServiceNode],
    });
    expect(aborted.canary?.mirrors[0].active).toBe(false);
    expect(aborted.canary?.canaryScale).toBeUndefined();
  });

  it('reports the weight the SMI TrafficSplit routes next to the steps’ weight', () => {
    const rollout: RolloutObject = yamlFixture(
      'argo-rollouts/rollout-canary-traffic-weights.yaml',
    );
    const view = toRolloutView({
      ...base,
      rollout,
      treeNodes: [
        {
          group: 'split.smi-spec.io',
          kind: 'TrafficSplit',
          namespace: 'jesse-test',
          name: 'rollout-example-traffic-split',
        },
      ],
    });
    expect(view.canary).toMatchObject({
      setWeight: 20,
      routedWeight: 20,
      trafficRouting: {
        routers: [
          {
            provider: 'smi',
            resources: [
              {
                kind: 'TrafficSplit',
                name: 'rollout-example-traffic-split',
                found: true,
              },
            ],
          },
        ],
      },
    });
    expect(view.canaryWeight).toBe(20);
    expect(view.stableWeight).toBe(60);
  });

  it('names the resources of NGINX, ALB and Gateway API routers', () => {
    const rollout: RolloutObject = {
      metadata: { name: 'web', namespace: 'prod' },
      spec: {
        strategy: {
          canary: {
            trafficRouting: {
              nginx: { stableIngress: 'web' },
              alb: { ingress: 'web-alb' },
              plugins: {
                'argoproj-labs/gatewayAPI': {
                  httpRoute: 'web-route',
                  namespace: 'gateways',
                },
              },
            },
          },
        },
      },
    };
    const view = toRolloutView({
      ...base,
      rollout,
      treeNodes: [
        { kind: 'Ingress', namespace: 'prod', name: 'web-web-canary' },
        { kind: 'HTTPRoute', namespace: 'gateways', name: 'web-route' },
      ],
    });
    const routers = view.canary?.trafficRouting?.routers ?? [];
    expect(
      routers.map(r => [
        r.provider,
        r.resources.map(x => `${x.kind} ${x.namespace}/${x.name} ${x.found}`),
      ]),
    ).toEqual([
      ['nginx', ['Ingress prod/web false', 'Ingress prod/web-web-canary true']],
      ['alb', ['Ingress prod/web-alb false']],
      ['gatewayAPI', ['HTTPRoute gateways/web-route true']],
    ]);
  });

  it('models an Experiment step and the live Experiment it runs', () => {
    const rollout: RolloutObject = yamlFixture(
      'argo-rollouts/rollout-canary-experiment-step.yaml',
    );
    const experiment: ExperimentObject = yamlFixture(
      'argo-rollouts/experiment-running.yaml',
    );
    const view = toRolloutView({ ...base, rollout, treeNodes: [], experiment });
    expect(view.steps).toEqual([
      {
        kind: 'experiment',
        templates: [{ name: 'canary-preview', specRef: 'canary' }],
        analyses: [{ name: 'stress-test', templateName: 'stress-test' }],
      },
    ]);
    expect(view.currentStepIndex).toBe(0);
    expect(view.canary?.experiment).toEqual({
      name: 'canary-demo-645d5dbc4c-2-0',
      phase: 'Running',
      message: 'Experiment "canary-demo-645d5dbc4c-2-0" is running.',
      availableAt: '2019-11-07T22:38:22Z',
      templates: [
        {
          name: 'canary-preview',
          replicas: 1,
          readyReplicas: 1,
          availableReplicas: 1,
          status: 'Running',
          images: ['argoproj/rollouts-demo:blue'],
        },
      ],
      analyses: [
        {
          name: 'stress-test',
          templateName: 'stress-test',
          phase: 'Running',
          analysisRun: 'canary-demo-645d5dbc4c-2-0-stress-test',
        },
      ],
    });
  });

  it('takes an Experiment duration and defaults', () => {
    const experiment: ExperimentObject = {
      metadata: { name: 'e' },
      spec: { duration: '5m', templates: [{ name: 'baseline' }] },
    };
    expect(toExperimentView(experiment)).toMatchObject({
      phase: 'Pending',
      durationSeconds: 300,
      templates: [{ name: 'baseline', replicas: 1, images: [] }],
      analyses: [],
    });
  });

  it('shows background analysis beside the steps', () => {
    const rollout: RolloutObject = yamlFixture(
      'argo-rollouts/rollout-canary-background-analysis.yaml',
    );
    const view = toRolloutView({ ...base, rollout, treeNodes: [] });
    expect(view.canary?.backgroundAnalysis).toEqual({
      templates: ['random-fail'],
    });
    expect(view.canary?.trafficRouting).toBeUndefined();
    expect(view.canary?.routedWeight).toBeUndefined();
  });

  it('finds the setCanaryScale in effect as the controller does', () => {
    const steps = [
      { kind: 'setCanaryScale' as const, replicas: 2 },
      { kind: 'setWeight' as const, weight: 10 },
      { kind: 'setCanaryScale' as const, matchTrafficWeight: true },
      { kind: 'pause' as const },
    ];
    expect(canaryScaleInEffect(steps, 1, true, false)).toEqual({ replicas: 2 });
    expect(canaryScaleInEffect(steps, 3, true, false)).toBeUndefined();
    // only with traffic routing
    expect(canaryScaleInEffect(steps, 1, false, false)).toBeUndefined();
  });

  it('ends a mirror at the step that removes it', () => {
    const steps = [
      {
        kind: 'setMirrorRoute' as const,
        name: 'm',
        percentage: 30,
        remove: false,
      },
      { kind: 'pause' as const },
      { kind: 'setMirrorRoute' as const, name: 'm', remove: true },
      { kind: 'pause' as const },
    ];
    expect(mirrorRoutes(steps, 1, false)).toEqual([
      {
        name: 'm',
        percentage: 30,
        stepIndex: 0,
        untilStepIndex: 2,
        active: true,
      },
    ]);
    expect(mirrorRoutes(steps, 3, false)[0].active).toBe(false);
  });
});

describe('blue-green details', () => {
  it('shows the services and promotion settings with the controller defaults', () => {
    const rollout: RolloutObject = yamlFixture(
      'argo-rollouts/rollout-bluegreen-paused.yaml',
    );
    const view = toRolloutView({ ...base, rollout, treeNodes: [] });
    expect(view.strategy).toBe('blueGreen');
    expect(view.canary).toBeUndefined();
    expect(view.blueGreen).toEqual({
      activeService: 'bluegreen-demo',
      previewService: 'bluegreen-demo-preview',
      activeSelector: '6cbccd9f99',
      previewSelector: '74b948fccb',
      autoPromotionEnabled: false,
      scaleDownDelaySeconds: 30,
      prePromotionAnalysis: [],
      postPromotionAnalysis: [],
    });
  });

  it('shows pre- and post-promotion analysis, auto-promotion and the scale-down delay', () => {
    const rollout: RolloutObject = yamlFixture(
      'argo-rollouts/rollout-bluegreen-paused.yaml',
    );
    rollout.spec!.strategy!.blueGreen = {
      ...rollout.spec!.strategy!.blueGreen,
      autoPromotionEnabled: undefined,
      autoPromotionSeconds: 600,
      scaleDownDelaySeconds: 120,
      prePromotionAnalysis: { templates: [{ templateName: 'smoke' }] },
      postPromotionAnalysis: { templates: [{ templateName: 'success-rate' }] },
    };
    rollout.status!.blueGreen = {
      ...rollout.status!.blueGreen,
      prePromotionAnalysisRunStatus: {
        name: 'bluegreen-demo-74b948fccb-11-pre',
      },
    };
    const view = toRolloutView({ ...base, rollout, treeNodes: [] });
    expect(view.blueGreen).toMatchObject({
      autoPromotionEnabled: true,
      autoPromotionSeconds: 600,
      scaleDownDelaySeconds: 120,
      prePromotionAnalysis: ['smoke'],
      postPromotionAnalysis: ['success-rate'],
    });
    expect(analysisRunNamesInStatus(rollout)).toEqual([
      'bluegreen-demo-74b948fccb-11-pre',
    ]);
  });
});
