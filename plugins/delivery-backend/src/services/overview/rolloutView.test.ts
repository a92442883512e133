import { yamlFixture } from '../../__testUtils__/fixtures';
import { toAnalysisRunView, isRunOfCurrentRevision } from './analysisRunView';
import { parseRolloutDuration } from '@gitops-delivery/backstage-plugin-delivery-node';
import { currentSetWeight, rolloutHealth, toRolloutView } from './rolloutView';
import type { RolloutObject } from './rolloutTypes';

const base = {
  instance: 'main',
  application: 'app',
  treeNodes: [],
  analysisRuns: [],
  actions: [],
};

describe('toRolloutView', () => {
  it('models a canary paused at an indefinite pause step', () => {
    const rollout: RolloutObject = yamlFixture(
      'argo-rollouts/rollout-canary-paused-step.yaml',
    );
    const view = toRolloutView({
      ...base,
      rollout,
      now: new Date('2021-07-15T21:18:55Z'),
    });
    expect(view).toMatchObject({
      name: 'rollouts-demo',
      namespace: 'rollouts-demo',
      strategy: 'canary',
      phase: 'Paused',
      health: { status: 'Suspended', message: 'CanaryPauseStep' },
      currentStepIndex: 1,
      canaryWeight: 21,
      stableWeight: 79,
      pause: {
        reason: 'CanaryPauseStep',
        startedAt: '2021-07-15T21:08:55Z',
      },
      stablePodHash: '77f4f8ff97',
      canaryPodHash: '8566c77b97',
      canaryImages: ['argoproj/rollouts-demo:yellow'],
      aborted: false,
      fullyPromoted: false,
    });
    expect(view.pause?.durationSeconds).toBeUndefined();
    expect(view.pause?.remainingSeconds).toBeUndefined();
    expect(view.steps).toEqual([
      { kind: 'setWeight', weight: 21 },
      { kind: 'pause' },
      { kind: 'setWeight', weight: 40 },
      { kind: 'pause', durationSeconds: 10 },
      { kind: 'setWeight', weight: 60 },
      { kind: 'pause', durationSeconds: 10 },
      { kind: 'setWeight', weight: 80 },
      { kind: 'pause', durationSeconds: 10 },
    ]);
  });

  it('computes the remaining time of a timed pause', () => {
    const rollout: RolloutObject = yamlFixture(
      'argo-rollouts/rollout-canary-paused-step.yaml',
    );
    rollout.status!.currentStepIndex = 3;
    const view = toRolloutView({
      ...base,
      rollout,
      now: new Date('2021-07-15T21:09:01Z'),
    });
    expect(view.canaryWeight).toBe(40);
    expect(view.pause).toMatchObject({
      durationSeconds: 10,
      remainingSeconds: 4,
    });
  });

  it('models a healthy, fully promoted canary with a workloadRef', () => {
    const rollout: RolloutObject = yamlFixture(
      'argo-rollouts/rollout-canary-healthy.yaml',
    );
    const view = toRolloutView({
      ...base,
      rollout,
      treeNodes: [
        {
          kind: 'ReplicaSet',
          name: 'rollout-ref-deployment-75bbd56864',
          images: ['nginx:1.19'],
        },
      ],
      now: new Date(),
    });
    expect(view).toMatchObject({
      phase: 'Healthy',
      health: { status: 'Healthy' },
      fullyPromoted: true,
      canaryWeight: 0,
      stableWeight: 100,
      canaryImages: ['nginx:1.19'],
      stableImages: ['nginx:1.19'],
      aborted: false,
    });
    expect(view.pause).toBeUndefined();
  });

  it('models an aborted canary without status.phase (pre-v1.0 object)', () => {
    const rollout: RolloutObject = yamlFixture(
      'argo-rollouts/rollout-canary-aborted.yaml',
    );
    const run = toAnalysisRunView(
      yamlFixture('argo-rollouts/analysisrun-web-failed-aborted.yaml'),
    );
    const view = toRolloutView({
      ...base,
      rollout,
      analysisRuns: [run],
      now: new Date(),
    });
    expect(view).toMatchObject({
      aborted: true,
      abortedAt: '2020-09-22T09:10:05Z',
      health: { status: 'Degraded' },
      phase: 'Degraded',
      canaryWeight: 0,
      stableWeight: 100,
      canaryPodHash: 'db976bc44',
      stablePodHash: '7d84d44bb8',
    });
    expect(view.analysisRuns[0]).toMatchObject({
      name: 'rollout-background-analysis-db976bc44-2',
      type: 'Background',
      phase: 'Failed',
    });
  });

  it('prefers the actual weights reported by traffic routing', () => {
    const rollout: RolloutObject = yamlFixture(
      'argo-rollouts/rollout-canary-traffic-weights.yaml',
    );
    const view = toRolloutView({ ...base, rollout, now: new Date() });
    expect(view.canaryWeight).toBe(20);
    expect(view.stableWeight).toBe(60);
    expect(view.canaryImages).toEqual([
      'argoproj/rollouts-demo:does-not-exist',
    ]);
  });

  it('reads ReplicaSet images from its Pods, as Argo CD reports them', () => {
    const rollout: RolloutObject = yamlFixture(
      'argo-rollouts/rollout-canary-paused-step.yaml',
    );
    const view = toRolloutView({
      ...base,
      rollout,
      treeNodes: [
        { kind: 'ReplicaSet', name: 'rollouts-demo-77f4f8ff97' },
        {
          kind: 'Pod',
          name: 'rollouts-demo-77f4f8ff97-a',
          parentRefs: [
            { kind: 'ReplicaSet', name: 'rollouts-demo-77f4f8ff97' },
          ],
          images: ['argoproj/rollouts-demo:blue'],
        },
        {
          kind: 'Pod',
          name: 'other',
          parentRefs: [
            { kind: 'ReplicaSet', name: 'rollouts-demo-8566c77b97' },
          ],
          images: ['argoproj/rollouts-demo:yellow'],
        },
      ],
      now: new Date(),
    });
    expect(view.stableImages).toEqual(['argoproj/rollouts-demo:blue']);
  });

  it('models a blue-green rollout waiting for promotion', () => {
    const rollout: RolloutObject = {
      metadata: { name: 'inventory', namespace: 'inventory' },
      spec: {
        strategy: {
          blueGreen: {
            activeService: 'inventory',
            previewService: 'inventory-preview',
          },
        },
        template: { spec: { containers: [{ image: 'inventory:2' }] } },
      },
      status: {
        phase: 'Paused',
        currentPodHash: 'bbb',
        stableRS: 'aaa',
        pauseConditions: [
          { reason: 'BlueGreenPause', startTime: '2026-01-01T00:00:00Z' },
        ],
        blueGreen: { activeSelector: 'aaa', previewSelector: 'bbb' },
      },
    };
    const view = toRolloutView({
      ...base,
      rollout,
      treeNodes: [
        { kind: 'ReplicaSet', name: 'inventory-aaa', images: ['inventory:1'] },
      ],
      now: new Date(),
    });
    expect(view).toMatchObject({
      strategy: 'blueGreen',
      steps: [],
      pause: { reason: 'BlueGreenPause' },
      canaryImages: ['inventory:2'],
      stableImages: ['inventory:1'],
      blueGreen: {
        activeService: 'inventory',
        previewService: 'inventory-preview',
        activeSelector: 'aaa',
        previewSelector: 'bbb',
      },
      health: { status: 'Suspended' },
    });
  });

  it('takes the health Argo CD computed from the tree when present', () => {
    const rollout: RolloutObject = yamlFixture(
      'argo-rollouts/rollout-canary-paused-step.yaml',
    );
    const view = toRolloutView({
      ...base,
      rollout,
      treeNodes: [
        {
          kind: 'Rollout',
          name: 'rollouts-demo',
          namespace: 'rollouts-demo',
          health: { status: 'Degraded', message: 'from tree' },
        },
      ],
      now: new Date(),
    });
    expect(view.health).toEqual({ status: 'Degraded', message: 'from tree' });
  });
});

describe('rollout helpers', () => {
  it('follows GetCurrentSetWeight', () => {
    const steps = [
      { kind: 'setWeight' as const, weight: 5 },
      { kind: 'pause' as const },
      { kind: 'setWeight' as const, weight: 25 },
    ];
    expect(currentSetWeight(steps, 0, false)).toBe(5);
    expect(currentSetWeight(steps, 1, false)).toBe(5);
    expect(currentSetWeight(steps, 2, false)).toBe(25);
    expect(currentSetWeight(steps, 3, false)).toBe(100);
    expect(currentSetWeight(steps, 2, true)).toBe(0);
  });

  it('parses rollout durations', () => {
    expect(parseRolloutDuration(10)).toBe(10);
    expect(parseRolloutDuration('30s')).toBe(30);
    expect(parseRolloutDuration('10m')).toBe(600);
    expect(parseRolloutDuration('1h')).toBe(3600);
    expect(parseRolloutDuration('5')).toBe(5);
    expect(parseRolloutDuration('soon')).toBeUndefined();
    expect(parseRolloutDuration(undefined)).toBeUndefined();
  });

  it('maps health like health.lua', () => {
    expect(rolloutHealth({ status: { phase: 'Paused' } }).status).toBe(
      'Suspended',
    );
    expect(rolloutHealth({ spec: { paused: true }, status: {} }).status).toBe(
      'Suspended',
    );
    expect(
      rolloutHealth({
        status: {
          conditions: [{ reason: 'ProgressDeadlineExceeded', message: 'x' }],
        },
      }),
    ).toEqual({ status: 'Degraded', message: 'x' });
  });
});

describe('toAnalysisRunView', () => {
  it('shows every measurement with the success and failure conditions (old analysisSpec layout)', () => {
    const view = toAnalysisRunView(
      yamlFixture('argo-rollouts/analysisrun-prometheus-failed.yaml'),
    );
    expect(view.phase).toBe('Failed');
    expect(view.metrics).toHaveLength(1);
    expect(view.metrics[0]).toMatchObject({
      name: 'memory-usage',
      phase: 'Failed',
      successCondition: 'len(result) > 0',
      failureCondition: 'len(result) > 0',
      measurements: [{ phase: 'Failed', value: '[0.9768211920529802]' }],
    });
    expect(view.metrics[0].query).toContain(
      'nginx_ingress_controller_requests',
    );
  });

  it('reads a successful run', () => {
    const view = toAnalysisRunView(
      yamlFixture('argo-rollouts/analysisrun-prometheus-successful.yaml'),
    );
    expect(view.phase).toBe('Successful');
    expect(view.metrics.every(m => m.measurements.length > 0)).toBe(true);
  });

  it('keeps only the runs of the current revision', () => {
    const run = yamlFixture(
      'argo-rollouts/analysisrun-web-failed-aborted.yaml',
    );
    expect(isRunOfCurrentRevision(run, 'db976bc44', [])).toBe(true);
    expect(isRunOfCurrentRevision(run, 'other', [])).toBe(false);
    expect(
      isRunOfCurrentRevision({ metadata: { name: 'x' } }, 'h', ['x']),
    ).toBe(true);
  });
});
