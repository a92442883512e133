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
