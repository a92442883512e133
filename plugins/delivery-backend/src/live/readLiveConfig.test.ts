import { ConfigReader } from '@backstage/config';
import { readLiveSignalsConfig } from './readLiveConfig';

const read = (signals?: object) =>
  readLiveSignalsConfig(
    new ConfigReader({ delivery: signals ? { live: { signals } } : {} }),
  );

describe('readLiveSignalsConfig', () => {
  it('defaults: on, 500 ms coalescing, the entity list re-read each minute', () => {
    expect(read()).toEqual({
      enabled: true,
      coalesceMs: 500,
      entityRefreshMs: 60_000,
    });
  });

  it('reads numbers in their units and durations', () => {
    expect(
      read({ enabled: false, coalesce: 0, entityRefresh: { minutes: 5 } }),
    ).toEqual({ enabled: false, coalesceMs: 0, entityRefreshMs: 300_000 });
    // the README's example
    expect(read({ coalesce: '500ms', entityRefresh: '60s' })).toMatchObject({
      coalesceMs: 500,
      entityRefreshMs: 60_000,
    });
    expect(read({ coalesce: 250, entityRefresh: 30 })).toMatchObject({
      coalesceMs: 250,
      entityRefreshMs: 30_000,
    });
  });

  it('names the key of a bad value', () => {
    expect(() => read({ coalesce: 'soon' })).toThrow(
      /delivery\.live\.signals\.coalesce/,
    );
    expect(() => read({ entityRefresh: 0 })).toThrow(
      /delivery\.live\.signals: entityRefresh must be a number >= 1/,
    );
  });
});
