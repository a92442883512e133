import {
  formatAgainstThreshold,
  formatNumber,
  formatQuantity,
  formatSeconds,
} from './units';

describe('units', () => {
  it('prints at most three significant digits', () => {
    expect(formatNumber(0.0003843816678132862)).toBe('0.000384');
    expect(formatNumber(1234.5)).toBe('1,230');
    expect(formatNumber(2)).toBe('2');
    expect(formatNumber(-0.0000001)).toBe('-0.0000001');
    expect(formatNumber(-0)).toBe('0');
  });

  it('prints ratios as percentages', () => {
    expect(formatQuantity(0.0003843816678132862, 'ratio')).toBe('0.0384%');
    expect(formatQuantity(0.001, 'ratio')).toBe('0.1%');
    expect(formatQuantity(0, 'ratio')).toBe('0%');
    expect(formatQuantity(1, 'ratio')).toBe('100%');
    expect(formatQuantity('0.0004832555594621226', 'ratio')).toBe('0.0483%');
  });

  it('prints seconds as ms, s or a duration in words', () => {
    expect(formatQuantity(0.23456, 'seconds')).toBe('235 ms');
    expect(formatQuantity(4.217, 'seconds')).toBe('4.22 s');
    expect(formatQuantity(184, 'seconds')).toBe('3 min 4 s');
    expect(formatQuantity(180, 'seconds')).toBe('3 min');
    expect(formatQuantity(7500, 'seconds')).toBe('2 h 5 min');
    expect(formatQuantity(3 * 86400 + 4 * 3600, 'seconds')).toBe('3 d 4 h');
    expect(formatQuantity(850, 'milliseconds')).toBe('850 ms');
    expect(formatSeconds(0)).toBe('0 s');
  });

  it('prints minutes, hours and rates', () => {
    expect(formatQuantity(3.8, 'minutes')).toBe('3.8 min');
    expect(formatQuantity(90, 'minutes')).toBe('1 h 30 min');
    expect(formatQuantity(0.5, 'hours')).toBe('30 min');
    expect(formatQuantity(5.25, 'hours')).toBe('5.25 h');
    expect(formatQuantity(72, 'hours')).toBe('3 d');
    expect(formatQuantity(2.345, 'per-day')).toBe('2.35 / day');
    expect(formatQuantity(0.2, 'per-day')).toBe('1.4 / week');
    expect(formatQuantity(12000, 'count')).toBe('12,000');
    expect(formatQuantity(3.14159, 'req/s')).toBe('3.14 req/s');
    expect(formatQuantity(3.14159)).toBe('3.14');
  });

  it('says no data for missing values and keeps text that is not a number', () => {
    expect(formatQuantity(null, 'ratio')).toBe('no data');
    expect(formatQuantity(undefined)).toBe('no data');
    expect(formatQuantity(NaN, 'seconds')).toBe('no data');
    expect(formatQuantity(Infinity)).toBe('no data');
    expect(formatQuantity('Successful')).toBe('Successful');
    expect(formatQuantity('1.5.0')).toBe('1.5.0');
    expect(formatQuantity('[0.1]', 'ratio')).toBe('[0.1]');
  });

  it('prints a threshold the same way as the value it bounds', () => {
    expect(formatAgainstThreshold(0.000414, 0.001, 'below', 'ratio')).toBe(
      '0.0414% ≤ 0.1%',
    );
    expect(formatAgainstThreshold(0.002, 0.001, 'below', 'ratio')).toBe(
      '0.2% > 0.1%',
    );
    expect(formatAgainstThreshold(0.95, 0.99, 'above', 'ratio')).toBe(
      '95% < 99%',
    );
    expect(formatAgainstThreshold(0.21, 0.3, 'below', 'seconds')).toBe(
      '210 ms ≤ 300 ms',
    );
    expect(formatAgainstThreshold(null, 0.3, 'below', 'seconds')).toBe(
      'no data (threshold ≤ 300 ms)',
    );
  });
});
