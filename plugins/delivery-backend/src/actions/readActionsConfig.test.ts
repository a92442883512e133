import { ConfigReader } from '@backstage/config';
import { readActionsConfig } from './readActionsConfig';

const read = (guard: object) =>
  readActionsConfig(new ConfigReader({ delivery: { guard } })).guard;

describe('readActionsConfig: the guard', () => {
  it('derives the per-entity deadline from the interval: a third, between 2 s and 60 s', () => {
    expect(read({})).toEqual({
      enabled: false,
      intervalSeconds: 30,
      concurrency: 4,
      entityDeadlineMs: 10_000,
    });
    expect(read({ intervalSeconds: 1 }).entityDeadlineMs).toBe(2_000);
    expect(read({ intervalSeconds: 12 }).entityDeadlineMs).toBe(4_000);
    expect(read({ intervalSeconds: 3600 }).entityDeadlineMs).toBe(60_000);
  });

  it.each([
    [{ seconds: 7 }, 7_000],
    ['PT1M', 60_000],
    ['1500ms', 1_500],
    ['3s', 3_000],
  ])('reads entityDeadline %j as a Backstage duration', (value, ms) => {
    expect(read({ entityDeadline: value }).entityDeadlineMs).toBe(ms);
  });

  it('refuses bad values, naming the key', () => {
    expect(() => read({ entityDeadline: 'soon' })).toThrow(
      /delivery\.guard\.entityDeadline must be a duration/,
    );
    expect(() => read({ entityDeadline: '20m' })).toThrow(
      'delivery.guard.entityDeadline must be between 100 ms and 10 minutes',
    );
    expect(() => read({ concurrency: 0 })).toThrow(
      'delivery.guard.concurrency must be a whole number between 1 and 64',
    );
    expect(() => read({ concurrency: 2.5 })).toThrow(/concurrency/);
    expect(read({ concurrency: 16 }).concurrency).toBe(16);
  });
});

describe('readActionsConfig: durations', () => {
  const config = (delivery: object) =>
    readActionsConfig(new ConfigReader({ delivery }));

  it('reads lockTtlSeconds and intervalSeconds as seconds or as durations', () => {
    expect(config({}).lockTtlMs).toBe(60_000);
    expect(config({ actions: { lockTtlSeconds: 90 } }).lockTtlMs).toBe(90_000);
    expect(config({ actions: { lockTtlSeconds: '2m' } }).lockTtlMs).toBe(
      120_000,
    );
    expect(
      config({ guard: { intervalSeconds: { minutes: 1 } } }).guard
        .intervalSeconds,
    ).toBe(60);
    expect(config({ guard: { intervalSeconds: 'PT15S' } }).guard).toMatchObject(
      { intervalSeconds: 15, entityDeadlineMs: 5_000 },
    );
  });

  it('keeps the ranges, naming the key', () => {
    expect(() => config({ actions: { lockTtlSeconds: '2h' } })).toThrow(
      'delivery.actions.lockTtlSeconds must be between 5 and 3600',
    );
    expect(() => config({ guard: { intervalSeconds: '500ms' } })).toThrow(
      'delivery.guard.intervalSeconds must be between 1 and 3600',
    );
    expect(() => config({ actions: { lockTtlSeconds: 'soon' } })).toThrow(
      /^delivery\.actions\.lockTtlSeconds must be a number of seconds or a duration/,
    );
  });
});
