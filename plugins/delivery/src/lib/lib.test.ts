import { ResponseError } from '@backstage/errors';
import {
  abortedRollout,
  blueGreenRollout,
  canaryRollout,
  checkoutOverview,
  progressingRollout,
  promotedRollout,
} from '../__fixtures__/overview';
import { blockingGates, metricsResponse } from '../__fixtures__/signals';
import { countGaps, toChartRows } from './chartData';
import {
  formatDuration,
  formatMeasurement,
  formatTimeOfDay,
  formatValue,
  shortRevision,
  unitOfMetric,
} from './format';
import { errorMessage, gatesFromError } from './gateErrors';
import { nextPollDelay } from './polling';
import {
  describeStep,
  rolloutState,
  shouldPollOverview,
  stepLabel,
  stepState,
} from './rollout';
import { currentStage, orderedStages } from './stages';
import { severityDelta } from './vulnerabilities';

describe('format', () => {
  it('formats durations, revisions and values', () => {
    expect(formatDuration(5)).toBe('5 s');
    expect(formatDuration(125)).toBe('2 min 5 s');
    expect(formatDuration(3725)).toBe('1 h 2 min');
    expect(formatDuration(-1)).toBe('—');
    expect(shortRevision('8f3c2a1d9e7b6c5a4f3e2d1c0b9a8f7e6d5c4b3a')).toBe(
      '8f3c2a1',
    );
    expect(shortRevision('v1.2.3')).toBe('v1.2.3');
    expect(formatValue(0.001, 'ratio')).toBe('0.1%');
    expect(formatValue(0.21, 'seconds')).toBe('210 ms');
    expect(formatValue(0.0003843816678132862, 'ratio')).toBe('0.0384%');
    expect(formatMeasurement('[0.0004832555594621226]', 'ratio')).toBe(
      '0.0483%',
    );
    expect(formatMeasurement('[0.1, 0.25]', 'seconds')).toBe('100 ms, 250 ms');
    expect(formatMeasurement('Successful')).toBe('Successful');
    expect(unitOfMetric('error-rate')).toBe('ratio');
    expect(unitOfMetric('custom')).toBeUndefined();
    expect(formatValue(null)).toBe('no data');
    expect(formatValue(NaN)).toBe('no data');
  });
});

describe('chartData', () => {
  it('merges both sides by time and turns missing and non-finite values into null', () => {
    const slo = {
      ...metricsResponse.rollouts[0].slos[0],
      canary: {
        current: 1,
        series: [
          { t: 1, value: 1 },
          { t: 2, value: NaN },
          { t: 3, value: Infinity },
          { t: 4, value: 2 },
        ],
      },
      stable: { current: 1, series: [{ t: 2, value: 0.5 }] },
    };
    expect(toChartRows(slo)).toEqual([
      { t: 1, canary: 1, stable: null },
      { t: 2, canary: null, stable: 0.5 },
      { t: 3, canary: null, stable: null },
      { t: 4, canary: 2, stable: null },
    ]);
    expect(countGaps(toChartRows(slo), 'canary')).toBe(1);
    // Leading and trailing nulls are no gaps.
    expect(countGaps(toChartRows(slo), 'stable')).toBe(0);
  });
});

describe('rollout', () => {
  it('describes steps', () => {
    const steps = canaryRollout().steps.map(describeStep);
    expect(steps).toEqual([
      'Set weight 5%',
      'Pause 10 min',
      'Analysis (checkout-slo)',
      'Set weight 25%',
      'Pause until promoted',
      'Set weight 100%',
    ]);
  });

  it('classifies rollouts and their steps', () => {
    expect(rolloutState(canaryRollout())).toBe('paused');
    expect(rolloutState(progressingRollout)).toBe('progressing');
    expect(rolloutState(abortedRollout)).toBe('aborted');
    expect(rolloutState(promotedRollout)).toBe('promoted');
    expect(rolloutState(blueGreenRollout)).toBe('paused');
    expect(stepState(abortedRollout, 2)).toBe('aborted');
    expect(stepState(promotedRollout, 5)).toBe('done');
    expect(stepLabel(canaryRollout())).toBe('step 2/6');
    expect(stepLabel(promotedRollout)).toBe('step 6/6');
    expect(stepLabel(blueGreenRollout)).toBe('no steps');
  });

  it('polls while a rollout moves on its own only', () => {
    expect(shouldPollOverview(checkoutOverview(progressingRollout))).toBe(true);
    // A timed pause ends by itself; an indefinite one waits for a person.
    expect(shouldPollOverview(checkoutOverview(canaryRollout()))).toBe(true);
    expect(
      shouldPollOverview(
        checkoutOverview(
          canaryRollout({ pause: { reason: 'CanaryPauseStep' } }),
        ),
      ),
    ).toBe(false);
    expect(shouldPollOverview(checkoutOverview(promotedRollout))).toBe(false);
    expect(shouldPollOverview(checkoutOverview(abortedRollout))).toBe(false);
    expect(shouldPollOverview(undefined)).toBe(false);
  });

  it('polls while an Application operation (a sync or rollback) runs', () => {
    const settled = checkoutOverview(promotedRollout);
    const running = {
      ...settled,
      environments: settled.environments.map((env, i) =>
        i === 0
          ? {
              ...env,
              applications: env.applications.map(app => ({
                ...app,
                operation: { phase: 'Running' },
              })),
            }
          : env,
      ),
    };
    expect(shouldPollOverview(settled)).toBe(false);
    expect(running.environments[0].applications.length).toBeGreaterThan(0);
    expect(shouldPollOverview(running)).toBe(true);
  });
});

describe('stages', () => {
  it('orders the seven stages and finds the current one', () => {
    const env = checkoutOverview().environments[2];
    expect(
      orderedStages({ ...env, stages: [...env.stages].reverse() }).map(
        s => s.name,
      ),
    ).toEqual([
      'commit',
      'ci',
      'image',
      'manifest',
      'reconcile',
      'staging',
      'production',
    ]);
    expect(currentStage(env)?.name).toBe('production');
    // Stages about other environments (dev's change rolling out in
    // production) are not dev's own: dev is done at its last own stage.
    expect(currentStage(checkoutOverview().environments[0])?.name).toBe(
      'reconcile',
    );
    // Not-configured stages are skipped.
    const staging = checkoutOverview().environments[1];
    expect(
      currentStage({
        ...staging,
        stages: staging.stages.map(s =>
          s.name === 'staging' ? { ...s, status: 'not-configured' } : s,
        ),
      })?.name,
    ).toBe('reconcile');
    expect(orderedStages({ ...env, stages: [] })[0].status).toBe('unknown');
  });
});

describe('vulnerabilities', () => {
  it('computes the canary minus stable delta', () => {
    expect(
      severityDelta(
        { CRITICAL: 1, HIGH: 0, MEDIUM: 2, LOW: 0, UNKNOWN: 0 },
        { CRITICAL: 0, HIGH: 1, MEDIUM: 2, LOW: 0, UNKNOWN: 0 },
      ),
    ).toEqual({ CRITICAL: 1, HIGH: -1, MEDIUM: 0, LOW: 0, UNKNOWN: 0 });
  });
});

describe('gateErrors', () => {
  const response = (status: number, error: object) =>
    new Response(
      JSON.stringify({
        error,
        request: { method: 'POST', url: '/' },
        response: { statusCode: status },
      }),
      {
        status,
        statusText: 'x',
        headers: { 'Content-Type': 'application/json' },
      },
    );

  it('reads the gates of a 409 wherever the backend put them', async () => {
    for (const error of [
      { name: 'ConflictError', message: 'blocked', gates: blockingGates },
      {
        name: 'ConflictError',
        message: 'blocked',
        evaluation: { gates: blockingGates },
      },
      {
        name: 'ConflictError',
        message: 'blocked',
        cause: { name: 'PolicyError', message: 'x', gates: blockingGates },
      },
    ]) {
      const e = await ResponseError.fromResponse(response(409, error));
      expect(gatesFromError(e)).toEqual(blockingGates);
      expect(errorMessage(e)).toBe('blocked');
    }
  });

  it('ignores other errors', async () => {
    const e = await ResponseError.fromResponse(
      response(500, { name: 'Error', message: 'boom', gates: blockingGates }),
    );
    expect(gatesFromError(e)).toBeUndefined();
    expect(gatesFromError(new Error('x'))).toBeUndefined();
    expect(errorMessage(e)).toBe('boom');
  });
});

describe('polling', () => {
  it('backs off exponentially up to a cap', () => {
    expect(nextPollDelay(15_000, 0)).toBe(15_000);
    expect(nextPollDelay(15_000, 1)).toBe(30_000);
    expect(nextPollDelay(15_000, 3)).toBe(120_000);
    expect(nextPollDelay(15_000, 10)).toBe(300_000);
    expect(nextPollDelay(15_000, 50, 60_000)).toBe(60_000);
  });
});

describe('formatTimeOfDay', () => {
  it('shows an ISO timestamp as the local HH:MM:SS', () => {
    const iso = '2026-12-06T03:43:46.142Z';
    const d = new Date(iso);
    const pad = (n: number) => String(n).padStart(2, '0');
    expect(formatTimeOfDay(iso)).toBe(
      `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`,
    );
    expect(formatTimeOfDay(iso)).toMatch(/^\d{2}:\d{2}:46$/);
  });

  it('returns a value that is not a time as it is', () => {
    expect(formatTimeOfDay('not a time')).toBe('not a time');
  });
});
