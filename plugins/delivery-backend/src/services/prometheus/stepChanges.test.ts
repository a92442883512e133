import type {
  AnalysisRunView,
  RolloutStep,
} from '@gitops-delivery/backstage-plugin-delivery-common';
import { mockServices } from '@backstage/backend-test-utils';
import { memoryCache } from '@gitops-delivery/backstage-plugin-delivery-node/testUtils';
import { createSignalCache } from '../signals/SignalCache';
import { createMetricsService } from './MetricsService';
import {
  deriveStepChanges,
  weightAtStep,
  type StepAction,
} from './stepChanges';

// checkout's canary: 5% → pause 10m → analysis → 25% → pause → 100%
const STEPS: RolloutStep[] = [
  { kind: 'setWeight', weight: 5 },
  { kind: 'pause', durationSeconds: 600 },
  { kind: 'analysis', templates: ['checkout-slo'] },
  { kind: 'setWeight', weight: 25 },
  { kind: 'pause' },
  { kind: 'setWeight', weight: 100 },
];
const T0 = Date.parse('2026-11-27T11:30:00Z') / 1000;
const iso = (t: number) => new Date(t * 1000).toISOString();
const WINDOW = { start: T0 - 3600, end: T0 + 3600 };

function run(stepIndex: number, t: number): AnalysisRunView {
  return {
    name: `checkout-abc-${stepIndex}`,
    phase: 'Successful',
    type: 'Step',
    stepIndex,
    startedAt: iso(t),
    metrics: [],
  };
}

function action(
  name: StepAction['action'],
  t: number,
  extra: Partial<StepAction> = {},
): StepAction {
  return {
    action: name,
    createdAt: iso(t - 1),
    updatedAt: iso(t),
    decision: 'allowed',
    outcome: 'succeeded',
    actor: 'user:default/alice',
    reason: 'looks good',
    ...extra,
  };
}

describe('weightAtStep', () => {
  it('is the last setWeight at or before the step, 100 when done', () => {
    expect(weightAtStep(STEPS, 0)).toBe(5);
    expect(weightAtStep(STEPS, 2)).toBe(5);
    expect(weightAtStep(STEPS, 4)).toBe(25);
    expect(weightAtStep(STEPS, 6)).toBe(100);
    expect(weightAtStep([{ kind: 'pause' }], 0)).toBe(0);
    expect(weightAtStep([], 0)).toBeUndefined();
  });
});

describe('deriveStepChanges', () => {
  it('marks the analysis start, the promote that left it and the pause it reached', () => {
    const changes = deriveStepChanges(
      {
        steps: STEPS,
        currentStepIndex: 4,
        canaryWeight: 25,
        pause: { reason: 'CanaryPauseStep', startedAt: iso(T0 + 600) },
        analysisRuns: [run(2, T0)],
      },
      [action('promote', T0 + 300)],
      WINDOW,
    );
    expect(changes).toEqual([
      {
        t: T0,
        stepIndex: 2,
        weight: 5,
        cause: 'analysis',
        detail: 'AnalysisRun checkout-abc-2',
      },
      {
        t: T0 + 300,
        stepIndex: 3,
        weight: 25,
        cause: 'promote',
        detail: 'promote by user:default/alice: looks good',
      },
      {
        t: T0 + 600,
        stepIndex: 4,
        weight: 25,
        cause: 'pause',
        detail: 'CanaryPauseStep',
      },
    ]);
  });

  it('marks promote-full, retry and aborts, by a user or the canary guard', () => {
    const changes = deriveStepChanges(
      { steps: STEPS, analysisRuns: [run(2, T0)] },
      [
        action('abort', T0 + 100, {
          decision: 'guard',
          actor: 'delivery-guard',
          reason: 'error-rate 8% above 0.1%',
        }),
        action('retry', T0 + 200),
        action('promote-full', T0 + 400, { decision: 'overridden' }),
      ],
      WINDOW,
    );
    expect(changes.map(c => [c.cause, c.stepIndex, c.weight])).toEqual([
      ['analysis', 2, 5],
      ['abort', 2, 0],
      ['retry', 0, 5],
      ['promote-full', 6, 100],
    ]);
    expect(changes[1].detail).toBe(
      'abort by the canary guard: error-rate 8% above 0.1%',
    );
    expect(changes[3].detail).toContain('user:default/alice (override)');
  });

  it('ignores blocked, failed and unfinished actions and those outside the window', () => {
    const changes = deriveStepChanges(
      { steps: STEPS, analysisRuns: [run(2, T0)] },
      [
        action('promote', T0 + 10, {
          decision: 'blocked',
          outcome: 'rejected',
        }),
        action('promote', T0 + 20, { outcome: 'failed' }),
        action('promote', T0 + 30, { outcome: 'requested' }),
        action('promote-full', T0 + 7200),
      ],
      WINDOW,
    );
    expect(changes.map(c => c.cause)).toEqual(['analysis']);
  });

  it('marks an abort the audit trail lacks from the rollout status, once', () => {
    const rollout = {
      steps: STEPS,
      analysisRuns: [run(2, T0)],
      aborted: true,
      abortedAt: iso(T0 + 50),
    };
    expect(deriveStepChanges(rollout, [], WINDOW).at(-1)).toEqual({
      t: T0 + 50,
      // no current step reported: the last step known before the abort
      stepIndex: 2,
      weight: 0,
      cause: 'abort',
      detail: 'Rollout aborted',
    });
    expect(
      deriveStepChanges(rollout, [action('abort', T0 + 55)], WINDOW).filter(
        c => c.cause === 'abort',
      ),
    ).toHaveLength(1);
    // the cluster's clock and the backend's differ: still one abort
    expect(
      deriveStepChanges(
        rollout,
        [action('abort', T0 + 200, { decision: 'guard' })],
        WINDOW,
      ).filter(c => c.cause === 'abort'),
    ).toEqual([expect.objectContaining({ t: T0 + 200, cause: 'abort' })]);
    // an audited abort before a retry is not the one that aborted it now
    expect(
      deriveStepChanges(
        { ...rollout, abortedAt: iso(T0 + 400) },
        [action('abort', T0 + 100), action('retry', T0 + 200)],
        WINDOW,
      ).map(c => [c.cause, c.t]),
    ).toEqual([
      ['analysis', T0],
      ['abort', T0 + 100],
      ['retry', T0 + 200],
      ['abort', T0 + 400],
    ]);
  });

  it("marks the guard's abort at the step the aborted Rollout stopped at", () => {
    // aborted at the 25% pause (index 4): the pause left the status, only
    // the earlier analysis (index 2) remains as a fact
    const changes = deriveStepChanges(
      {
        steps: STEPS,
        analysisRuns: [run(2, T0)],
        aborted: true,
        currentStepIndex: 4,
        abortedAt: iso(T0 + 900),
      },
      [
        action('abort', T0 + 100, { actor: 'user:default/sam' }),
        action('retry', T0 + 200),
        action('abort', T0 + 900, { decision: 'guard', reason: 'SLO' }),
      ],
      WINDOW,
    );
    expect(changes.map(c => [c.cause, c.stepIndex])).toEqual([
      ['analysis', 2],
      // an earlier abort, followed by a retry: the step known before it
      ['abort', 2],
      ['retry', 0],
      ['abort', 4],
    ]);
    expect(changes[3].detail).toBe('abort by the canary guard: SLO');
  });

  it('leaves a promote without a known step before it unmarked', () => {
    expect(
      deriveStepChanges({ steps: STEPS }, [action('promote', T0)], WINDOW),
    ).toEqual([]);
  });
});

describe('MetricsService step changes', () => {
  it('returns each rollout its own step changes with the metrics', async () => {
    const now = (T0 + 900) * 1000;
    const fetchStub = jest.fn(async (input: RequestInfo | URL) => {
      const url = new URL(String(input));
      const data = url.pathname.endsWith('query_range')
        ? {
            resultType: 'matrix',
            result: [{ metric: {}, values: [[T0, '0.001']] }],
          }
        : {
            resultType: 'vector',
            result: [{ metric: {}, value: [T0, '0.001'] }],
          };
      return new Response(JSON.stringify({ status: 'success', data }), {
        headers: { 'content-type': 'application/json' },
      });
    });
    const service = createMetricsService({
      config: {
        instances: [
          {
            name: 'main',
            url: 'http://prometheus.test',
            headers: {},
            timeoutMs: 1000,
            argocdInstances: [],
          },
        ],
        slos: [
          {
            name: 'error-rate',
            query: 'rate(x{pod_template_hash="{{podTemplateHash}}"}[1m])',
            threshold: 0.001,
            comparison: 'below',
          },
        ],
      },
      cache: createSignalCache(memoryCache()),
      logger: mockServices.logger.mock(),
      now: () => now,
      fetch: fetchStub as unknown as typeof fetch,
    });
    const target = {
      instance: 'main',
      application: 'checkout-production',
      namespace: 'checkout',
      canaryPodHash: 'c',
      stablePodHash: 's',
      steps: STEPS,
      analysisRuns: [run(2, T0)],
    };
    const response = await service.getMetrics({
      entityRef: 'component:default/checkout',
      environment: 'production',
      rollouts: [
        { ...target, name: 'checkout' },
        { ...target, name: 'checkout-worker', analysisRuns: [] },
      ],
      rangeSeconds: 3600,
      actions: [
        { ...action('promote', T0 + 300), rollout: 'checkout' },
        { ...action('promote', T0 + 300), rollout: 'other', instance: 'main' },
      ],
    });
    expect(response.rollouts[0].stepChanges.map(c => c.cause)).toEqual([
      'analysis',
      'promote',
    ]);
    expect(response.rollouts[1].stepChanges).toEqual([]);
    expect(response.rollouts[0].slos[0].canary.current).toBe(0.001);
  });
});
