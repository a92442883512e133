import { parseRangeSeconds, queryWindow } from './queryWindow';

describe('parseRangeSeconds', () => {
  it.each([
    [undefined, 3600],
    ['', 3600],
    ['15m', 900],
    ['1h', 3600],
    ['600', 600],
    ['2d', 172800],
    ['30d', 604800],
  ])('%j → %d seconds', (input, seconds) => {
    expect(parseRangeSeconds(input)).toBe(seconds);
  });

  it.each(['1w', '-1h', '1.5h', '1h30m', '9999999999', 'now-1h'])(
    'rejects %j',
    input => {
      expect(() => parseRangeSeconds(input)).toThrow(/Invalid range/);
    },
  );

  it('rejects windows shorter than 5 minutes', () => {
    expect(() => parseRangeSeconds('60s')).toThrow(
      'Invalid range: must be at least 5 minutes',
    );
  });
});

describe('queryWindow', () => {
  it('aligns the end to 15 s and keeps the step at 15 s or more', () => {
    expect(queryWindow(900, 1_000_007_000)).toEqual({
      rangeSeconds: 900,
      stepSeconds: 15,
      start: 1_000_005 - 900,
      end: 1_000_005,
    });
  });

  it('caps the number of points and the range', () => {
    const w = queryWindow(86400, 0);
    expect(w.stepSeconds).toBe(360);
    expect(w.rangeSeconds / w.stepSeconds).toBeLessThanOrEqual(240);
    expect(queryWindow(1e9, 0).rangeSeconds).toBe(604800);
    expect(queryWindow(1, 0).rangeSeconds).toBe(300);
  });
});
