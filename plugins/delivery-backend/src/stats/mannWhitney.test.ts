import { compareCanaryToStable } from './canaryComparison';
import { mannWhitneyU, normalCdf } from './mannWhitney';

describe('normalCdf', () => {
  it.each([
    [0, 0.5],
    [1.959964, 0.975],
    [-1.959964, 0.025],
    [1, 0.841345],
    [-3, 0.0013499],
  ])('Φ(%p) ≈ %p', (z, p) => expect(normalCdf(z)).toBeCloseTo(p, 5));
});

describe('mannWhitneyU', () => {
  it('computes U, z and p like the textbook example', () => {
    // a classic example (no ties): U(a) = 17, U(b) = 3
    const a = [19, 22, 16, 29, 24];
    const b = [20, 11, 17, 12];
    const r = mannWhitneyU(a, b, 'two-sided');
    expect(r.u).toBe(17);
    // U of b is n1*n2 - U(a) = 3
    expect(5 * 4 - r.u).toBe(3);
    expect(r.effect).toBeCloseTo(0.7, 10);
    // z with continuity correction: (|17 - 10| - 0.5) / sqrt(5*4*10/12)
    expect(r.pValue).toBeCloseTo(
      2 * (1 - normalCdf(6.5 / Math.sqrt(200 / 12))),
      10,
    );
  });

  it('handles ties with the tie-corrected variance', () => {
    const r = mannWhitneyU([1, 2, 2, 3], [2, 3, 3, 4], 'less');
    // ranks: 1→1, 2→3 (x3), 3→6 (x3), 4→8; rank sum a = 1+3+3+6 = 13
    expect(r.u).toBe(13 - 10);
    expect(r.pValue).toBeGreaterThan(0);
    expect(r.pValue).toBeLessThan(0.5);
  });

  it('gives p = 1 when every value ties', () => {
    expect(mannWhitneyU([1, 1], [1, 1, 1]).pValue).toBe(1);
  });

  it('rejects empty samples and non-finite values', () => {
    expect(() => mannWhitneyU([], [1])).toThrow(/non-empty/);
    expect(() => mannWhitneyU([NaN], [1])).toThrow(/finite/);
  });
});

describe('compareCanaryToStable', () => {
  const stable = [
    0.004, 0.005, 0.006, 0.005, 0.004, 0.005, 0.006, 0.005, 0.004, 0.005,
  ];

  it('passes when canary and stable are clearly the same', () => {
    const canary = [
      0.005, 0.004, 0.006, 0.005, 0.005, 0.004, 0.006, 0.005, 0.005, 0.004,
    ];
    const r = compareCanaryToStable(canary, stable, { comparison: 'below' });
    expect(r.outcome).toBe('pass');
    expect(r.reason).toMatch(/no worse/);
  });

  it('fails when the canary is clearly worse, with the statistic, p-value and effect', () => {
    const canary = [
      0.08, 0.079, 0.081, 0.08, 0.082, 0.078, 0.08, 0.081, 0.079, 0.08,
    ];
    const r = compareCanaryToStable(canary, stable, { comparison: 'below' });
    expect(r.outcome).toBe('fail');
    const labels = r.evidence.map(e => e.label);
    expect(labels).toEqual(
      expect.arrayContaining([
        'Mann-Whitney U',
        'p-value (one-sided)',
        'effect (rank-biserial, worse > 0)',
      ]),
    );
    const effect = r.evidence.find(e => e.label.startsWith('effect'));
    expect(effect?.value).toBe(1);
  });

  it('passes when the canary is clearly better', () => {
    const canary = stable.map(v => v / 10);
    const r = compareCanaryToStable(canary, stable, { comparison: 'below' });
    expect(r.outcome).toBe('pass');
    expect(r.reason).toMatch(/better/);
  });

  it('treats "above" SLOs (success ratio) the other way round', () => {
    const stableOk = [0.999, 0.998, 0.999, 0.997, 0.999, 0.998, 0.999, 0.998];
    const canaryBad = [0.9, 0.91, 0.92, 0.9, 0.89, 0.9, 0.91, 0.9];
    expect(
      compareCanaryToStable(canaryBad, stableOk, { comparison: 'above' })
        .outcome,
    ).toBe('fail');
    expect(
      compareCanaryToStable(stableOk, canaryBad, { comparison: 'above' })
        .outcome,
    ).toBe('pass');
  });

  it('is unknown with too little data, ignoring NaN gaps', () => {
    const r = compareCanaryToStable([0.1, null, NaN, 0.2], stable, {
      comparison: 'below',
    });
    expect(r.outcome).toBe('unknown');
    expect(r.reason).toMatch(/2 and 10 samples/);
  });

  it('does not fail on a significant but tiny shift', () => {
    const base = Array.from(
      { length: 200 },
      (_, i) => 0.005 + (i % 10) * 0.0001,
    );
    const shifted = base.map((v, i) => (i % 4 === 0 ? v + 0.00005 : v));
    const r = compareCanaryToStable(shifted, base, { comparison: 'below' });
    expect(r.outcome).toBe('pass');
  });
});
