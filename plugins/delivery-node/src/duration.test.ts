import { ConfigReader } from '@backstage/config';
import type { JsonValue } from '@backstage/types';
import {
  formatRolloutDuration,
  parseRolloutDuration,
  readConfigDurationMs,
} from './duration';

describe('parseRolloutDuration', () => {
  it.each([
    [10, 10],
    ['30s', 30],
    ['10m', 600],
    ['1h', 3600],
    ['5', 5],
    [' 2m ', 120],
  ])('reads %j as %d seconds', (value, seconds) => {
    expect(parseRolloutDuration(value)).toBe(seconds);
  });

  it.each([
    ['soon'],
    ['10d'],
    ['1.5h'],
    ['-5m'],
    [2.5],
    [-1],
    [Number.NaN],
    [undefined],
    [null],
    [{}],
  ])('refuses %j', value => {
    expect(parseRolloutDuration(value)).toBeUndefined();
  });

  it('formats seconds the way a Rollout writes them', () => {
    expect(formatRolloutDuration(600)).toBe('10m');
    expect(formatRolloutDuration(7200)).toBe('2h');
    expect(formatRolloutDuration(90)).toBe('90s');
    expect(formatRolloutDuration(0)).toBe('0s');
  });
});

describe('readConfigDurationMs', () => {
  const read = (value: JsonValue, allowSeconds = false) =>
    readConfigDurationMs(new ConfigReader({ a: { b: value } }), 'a.b', {
      allowSeconds,
    });

  it('is undefined when the key is absent', () => {
    expect(readConfigDurationMs(new ConfigReader({}), 'a.b')).toBeUndefined();
  });

  it.each([
    [{ minutes: 10 }, 600_000],
    ['PT2S', 2_000],
    ['1h', 3_600_000],
    ['1500ms', 1_500],
  ])('reads the Backstage duration %j', (value, ms) => {
    expect(read(value)).toBe(ms);
  });

  it('reads a number as seconds only where the key allows it', () => {
    expect(read(3, true)).toBe(3_000);
    expect(() => read(3)).toThrow(/a\.b must be a duration such as/);
  });

  it('refuses other values and negative numbers, naming the key', () => {
    expect(() => read('soon', true)).toThrow(
      /^a\.b must be a number of seconds or a duration/,
    );
    expect(() =>
      readConfigDurationMs(new ConfigReader({ a: { b: -1 } }), 'a.b', {
        allowSeconds: true,
        name: 'delivery.cache.b',
      }),
    ).toThrow('delivery.cache.b must not be negative');
  });
});
