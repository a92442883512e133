import { sloStatus, worstSlo } from './sloStatus';

const below = { threshold: 0.001, comparison: 'below' as const };
const above = { threshold: 0.99, comparison: 'above' as const };

describe('sloStatus', () => {
  it('compares against the threshold in the configured direction', () => {
    expect(sloStatus(0.0005, below)).toBe('ok');
    expect(sloStatus(0.001, below)).toBe('ok');
    expect(sloStatus(0.08, below)).toBe('breach');
    expect(sloStatus(0.995, above)).toBe('ok');
    expect(sloStatus(0.9, above)).toBe('breach');
    expect(sloStatus(null, below)).toBe('unknown');
    expect(sloStatus(Number.NaN, below)).toBe('unknown');
  });
});

describe('worstSlo', () => {
  it('reports the breach furthest beyond its threshold', () => {
    expect(
      worstSlo([
        { name: 'error-rate', value: 0.002, ...below },
        {
          name: 'latency-p99',
          value: 1.8,
          threshold: 0.5,
          comparison: 'below',
        },
        { name: 'availability', value: null, ...above },
      ]),
    ).toEqual({
      status: 'breach',
      worst: { name: 'latency-p99', value: 1.8, threshold: 0.5 },
    });
  });

  it('is unknown when an SLO has no data and none breaches', () => {
    expect(
      worstSlo([
        { name: 'error-rate', value: 0.0001, ...below },
        {
          name: 'latency-p99',
          value: null,
          threshold: 0.5,
          comparison: 'below',
        },
      ]),
    ).toEqual({
      status: 'unknown',
      worst: { name: 'latency-p99', value: null, threshold: 0.5 },
    });
    expect(worstSlo([])).toEqual({ status: 'unknown' });
  });

  it('is ok with the SLO closest to its threshold when all keep them', () => {
    expect(
      worstSlo([
        { name: 'error-rate', value: 0.0009, ...below },
        {
          name: 'latency-p99',
          value: 0.25,
          threshold: 0.5,
          comparison: 'below',
        },
      ]),
    ).toEqual({
      status: 'ok',
      worst: { name: 'error-rate', value: 0.0009, threshold: 0.001 },
    });
  });
});
