import { ConfigReader } from '@backstage/config';
import { readDoraConfig } from './readDoraConfig';

const read = (dora?: object) =>
  readDoraConfig(new ConfigReader(dora ? { delivery: { dora } } : {}));

describe('readDoraConfig', () => {
  it('defaults to a minute of response cache and a recorder every 10 minutes', () => {
    expect(read()).toEqual({ cacheTtlMs: 60_000, recordIntervalMs: 600_000 });
  });

  it('reads the older numbers and Backstage durations alike', () => {
    expect(read({ cacheTtlSeconds: 30, recordIntervalMinutes: 5 })).toEqual({
      cacheTtlMs: 30_000,
      recordIntervalMs: 300_000,
    });
    expect(
      read({ cacheTtlSeconds: '2m', recordIntervalMinutes: { hours: 1 } }),
    ).toEqual({ cacheTtlMs: 120_000, recordIntervalMs: 3_600_000 });
    expect(read({ cacheTtlSeconds: 0, recordIntervalMinutes: 'PT0S' })).toEqual(
      { cacheTtlMs: 0, recordIntervalMs: 0 },
    );
  });

  it('refuses negative and unreadable values, naming the key', () => {
    expect(() => read({ cacheTtlSeconds: -1 })).toThrow(
      'delivery.dora.cacheTtlSeconds must not be negative',
    );
    expect(() => read({ recordIntervalMinutes: 'often' })).toThrow(
      /^delivery\.dora\.recordIntervalMinutes must be a number of minutes or a duration/,
    );
  });
});
