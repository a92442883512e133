import type {
  CanaryVsStableGateDefinition,
  GateDefinition,
  SeriesPoint,
} from '@gitops-delivery/backstage-plugin-delivery-common';
import { evaluateGate } from '../evaluatePolicy';
import { input, NOW, slo } from '../__testUtils__/policyInputs';
import { canaryVsStableGate } from './canaryVsStableGate';

const gate: CanaryVsStableGateDefinition = {
  kind: 'canary-vs-stable',
  name: 'no-worse',
  onUnknown: 'fail',
  slo: 'error-rate',
};

const nowSeconds = NOW.getTime() / 1000;

/**
 * A series of `n` points 15 s apart ending now, around `level` with a
 * deterministic wobble of ±`spread` (no two points equal, no randomness).
 */
function series(
  n: number,
  level: number,
  spread = level * 0.1,
  phase = 0,
): SeriesPoint[] {
  return Array.from({ length: n }, (_, i) => ({
    t: nowSeconds - (n - 1 - i) * 15,
    value: level + spread * Math.sin(i * 1.7 + phase),
  }));
}

function withSeries(
  canary: SeriesPoint[],
  stable: SeriesPoint[],
  comparison: 'below' | 'above' = 'below',
) {
  const s = slo('error-rate', canary[canary.length - 1]?.value ?? null);
  return input({
    slos: [
      {
        ...s,
        comparison,
        canary: { ...s.canary, series: canary },
        stable: { ...s.stable, series: stable },
      },
    ],
  });
}

const evidenceOf = (verdict: ReturnType<typeof canaryVsStableGate>) =>
  Object.fromEntries(verdict.evidence.map(e => [e.label, e.value]));

describe('canary-vs-stable gate', () => {
  it('passes when canary and stable are clearly the same', () => {
    const verdict = canaryVsStableGate(
      gate,
      withSeries(series(40, 0.005, 0.0005, 0), series(40, 0.005, 0.0005, 1)),
    );
    expect(verdict.outcome).toBe('pass');
    expect(verdict.reason).toMatch(
      /^error-rate: The canary is no worse than stable/,
    );
    const evidence = evidenceOf(verdict);
    expect(evidence['canary samples']).toBe(40);
    expect(evidence['stable samples']).toBe(40);
    expect(evidence['p-value (one-sided)']).toBeGreaterThan(0.05);
    expect(evidence.SLO).toBe('error-rate');
    expect(evidence['window (minutes)']).toBe(10);
  });

  it('fails when the canary is clearly worse, with the statistic, p-value and effect as evidence', () => {
    const verdict = canaryVsStableGate(
      gate,
      withSeries(series(40, 0.012), series(40, 0.005)),
    );
    expect(verdict.outcome).toBe('fail');
    expect(verdict.reason).toMatch(/canary is worse than stable \(p = /);
    const evidence = evidenceOf(verdict);
    expect(evidence['Mann-Whitney U']).toBe(1600);
    expect(evidence['p-value (one-sided)']).toBeLessThan(0.001);
    expect(evidence['effect (rank-biserial, worse > 0)']).toBe(1);
  });

  it('passes when the canary is clearly better', () => {
    const verdict = canaryVsStableGate(
      gate,
      withSeries(series(40, 0.002), series(40, 0.005)),
    );
    expect(verdict.outcome).toBe('pass');
    expect(verdict.reason).toMatch(/it is better; effect -1/);
  });

  it('is unknown with too little data, and blocks by default', async () => {
    const few = withSeries(series(5, 0.05), series(40, 0.005));
    const verdict = canaryVsStableGate(gate, few);
    expect(verdict.outcome).toBe('unknown');
    expect(verdict.reason).toMatch(
      /Too little data .* \(5 and 40 samples; need 8 each\)/,
    );
    expect(await evaluateGate(gate, few)).toMatchObject({
      kind: 'canary-vs-stable',
      outcome: 'unknown',
      blocking: true,
    });
    expect(
      (await evaluateGate({ ...gate, onUnknown: 'pass' }, few)).blocking,
    ).toBe(false);
  });

  it('judges only the window: samples before it do not count', () => {
    const old = series(60, 0.05).map(p => ({ ...p, t: p.t - 3600 }));
    const verdict = canaryVsStableGate(
      { ...gate, windowMinutes: 5 },
      withSeries([...old, ...series(6, 0.05)], series(40, 0.005)),
    );
    expect(verdict.outcome).toBe('unknown');
    expect(evidenceOf(verdict)['canary samples']).toBe(6);
  });

  it('follows its settings: a small shift fails only with a small minimum effect', () => {
    // canary 6% higher on half the points: significant, but a small effect
    const canary = series(40, 0.005, 0.0005).map((p, i) => ({
      ...p,
      value: i % 2 ? p.value! * 1.06 : p.value,
    }));
    const stable = series(40, 0.005, 0.0005, 1);
    const lenient = canaryVsStableGate(gate, withSeries(canary, stable));
    const strict = canaryVsStableGate(
      { ...gate, minEffect: 0.1 },
      withSeries(canary, stable),
    );
    expect(lenient.outcome).toBe('pass');
    expect(evidenceOf(lenient)['p-value (one-sided)']).toBeLessThan(0.05);
    expect(
      evidenceOf(lenient)['effect (rank-biserial, worse > 0)'],
    ).toBeLessThan(0.3);
    expect(strict.outcome).toBe('fail');
  });

  it('reads "worse" from the SLO comparison: lower is worse for an `above` SLO', () => {
    const verdict = canaryVsStableGate(
      gate,
      withSeries(series(40, 0.95, 0.01), series(40, 0.999, 0.0005), 'above'),
    );
    expect(verdict.outcome).toBe('fail');
  });

  it('drops missing values (NaN, gaps) and is unknown without a rollout, series or the SLO', () => {
    const gappy = series(40, 0.005).map((p, i) =>
      i < 35 ? { ...p, value: null } : p,
    );
    expect(
      canaryVsStableGate(gate, withSeries(gappy, series(40, 0.005))).outcome,
    ).toBe('unknown');
    expect(
      canaryVsStableGate(gate, input({ rollout: undefined })).reason,
    ).toMatch(/no rollout/);
    expect(
      canaryVsStableGate(
        gate,
        input({ slos: undefined, slosError: 'Prometheus is down' }),
      ).reason,
    ).toBe('SLO series are not available: Prometheus is down');
    expect(
      canaryVsStableGate({ ...gate, slo: 'saturation' }, input()).reason,
    ).toBe('The SLO "saturation" was not measured for this rollout');
  });

  it('is dispatched by the policy engine', async () => {
    const result = await evaluateGate(
      gate as GateDefinition,
      withSeries(series(40, 0.012), series(40, 0.005)),
    );
    expect(result).toMatchObject({
      name: 'no-worse',
      kind: 'canary-vs-stable',
      outcome: 'fail',
      blocking: true,
    });
  });
});
