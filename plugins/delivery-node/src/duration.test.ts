import { ConfigReader } from '@backstage/config';
import type { JsonValue } from '@backstage/types';
import {
  formatRolloutDuration,
  parseRolloutDuration,
  readConfigDurationMs,
  readDurationKey,
  type DurationNumberUnit,
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
  it('reads a plain number in the unit of the older key', () => {
    const of = (value: JsonValue, numberUnit: DurationNumberUnit) =>
      readConfigDurationMs(new ConfigReader({ a: { b: value } }), 'a.b', {
        numberUnit,
      });
    expect(of(1500, 'milliseconds')).toBe(1_500);
    expect(of(30, 'seconds')).toBe(30_000);
    expect(of(10, 'minutes')).toBe(600_000);
    expect(of({ seconds: 20 }, 'milliseconds')).toBe(20_000);
    expect(of('2m', 'minutes')).toBe(120_000);
    expect(of('45', 'seconds')).toBe(45_000);
    expect(() => of('soon', 'minutes')).toThrow(
      /^a\.b must be a number of minutes or a duration such as/,
    );
    expect(() => of(-5, 'milliseconds')).toThrow('a.b must not be negative');
  });
});

describe('readDurationKey', () => {
  const read = (value: JsonValue | undefined, min?: number) =>
    readDurationKey(
      new ConfigReader(value === undefined ? {} : { timeoutMs: value }),
      'timeoutMs',
      { numberUnit: 'milliseconds', fallbackMs: 10_000, min, prefix: 'x.y' },
    );

  it('reads the older number, a HumanDuration, or the fallback', () => {
    expect(read(undefined)).toBe(10_000);
    expect(read(2500)).toBe(2_500);
    expect(read('3s')).toBe(3_000);
    expect(read({ minutes: 1 })).toBe(60_000);
    expect(read(0, 0)).toBe(0);
    expect(
      readDurationKey(undefined, 'timeoutMs', {
        numberUnit: 'seconds',
        fallbackMs: 7,
        prefix: 'x',
      }),
    ).toBe(7);
  });

  it('refuses a value under the minimum, naming the key', () => {
    expect(() => read(0)).toThrow(
      'x.y: timeoutMs must be a number >= 1 (milliseconds) or a duration at least as long',
    );
    expect(() => read('0s')).toThrow(/timeoutMs must be a number >= 1/);
    expect(() => read('soon')).toThrow(
      /^x\.y\.timeoutMs must be a number of milliseconds or a duration/,
    );
  });
});
