import { ConfigReader } from '@backstage/config';
import { loadConfigSchema } from '@backstage/config-loader';
import path from 'node:path';
import { FLEET_DEFAULTS, readFleetConfig } from './readFleetConfig';

const read = (fleet?: object) =>
  readFleetConfig(new ConfigReader(fleet ? { delivery: { fleet } } : {}));

describe('readFleetConfig', () => {
  it('defaults every key: a 2 s wait, 8 entities at a time, 15 min of last signals, 1 min of DORA bands', () => {
    expect(read()).toEqual({
      signalsWaitMs: 2_000,
      signalsConcurrency: 8,
      lastSignalsTtlMs: 900_000,
      doraTtlMs: 60_000,
    });
    expect(read({})).toEqual(FLEET_DEFAULTS);
  });

  it('reads numbers in the unit their names say, and Backstage durations', () => {
    expect(
      read({
        signalsWaitMs: 500,
        signalsConcurrency: 2,
        lastSignalsTtlSeconds: 120,
        doraTtlSeconds: '30',
      }),
    ).toEqual({
      signalsWaitMs: 500,
      signalsConcurrency: 2,
      lastSignalsTtlMs: 120_000,
      doraTtlMs: 30_000,
    });
    expect(
      read({
        signalsWaitMs: '3s',
        lastSignalsTtlSeconds: { minutes: 5 },
        doraTtlSeconds: 'PT2M',
      }),
    ).toMatchObject({
      signalsWaitMs: 3_000,
      lastSignalsTtlMs: 300_000,
      doraTtlMs: 120_000,
    });
    expect(read({ signalsConcurrency: '4' }).signalsConcurrency).toBe(4);
    // 0: the page does not wait for the signals
    expect(read({ signalsWaitMs: 0 }).signalsWaitMs).toBe(0);
  });

  it.each([
    [
      { signalsWaitMs: -1 },
      'delivery.fleet.signalsWaitMs must not be negative',
    ],
    [
      { signalsWaitMs: 'soon' },
      'delivery.fleet.signalsWaitMs must be a number of milliseconds or a duration',
    ],
    [
      { signalsConcurrency: 0 },
      'delivery.fleet: signalsConcurrency must be a whole number from 1 to 64, got 0',
    ],
    [
      { signalsConcurrency: 2.5 },
      'delivery.fleet: signalsConcurrency must be a whole number from 1 to 64, got 2.5',
    ],
    [
      { signalsConcurrency: 'many' },
      "config value for key 'delivery.fleet.signalsConcurrency' in 'mock-config' to a number",
    ],
    [
      { lastSignalsTtlSeconds: '1 fortnight' },
      'delivery.fleet.lastSignalsTtlSeconds must be a number of seconds or a duration',
    ],
    [
      { doraTtlSeconds: -5 },
      'delivery.fleet.doraTtlSeconds must not be negative',
    ],
  ])('rejects %j naming the key', (fleet, message) => {
    expect(() => read(fleet)).toThrow(message);
  });

  it('is in config.d.ts, visible to the backend only', async () => {
    const schema = await loadConfigSchema({
      dependencies: [],
      packagePaths: [path.resolve(__dirname, '../../package.json')],
      excludePackageDependencies: true,
    });
    const data = {
      delivery: {
        fleet: {
          signalsWaitMs: '2s',
          signalsConcurrency: 8,
          lastSignalsTtlSeconds: 900,
          doraTtlSeconds: { minutes: 1 },
        },
      },
    };
    const [frontend] = schema.process([{ data, context: 'test' }], {
      visibility: ['frontend'],
    });
    expect(frontend.data).toEqual({});
    // a wrong type is a schema error
    expect(() =>
      schema.process(
        [
          {
            data: { delivery: { fleet: { signalsConcurrency: 'many' } } },
            context: 'test',
          },
        ],
        { visibility: ['frontend', 'backend', 'secret'] },
      ),
    ).toThrow(/signalsConcurrency/);
  });
});
