import { ConfigReader } from '@backstage/config';
import { readWatchConfig } from './readWatchConfig';

const read = (watch: unknown) =>
  readWatchConfig(
    new ConfigReader(
      watch === undefined ? {} : { delivery: { argocd: { watch } } },
    ),
  );

describe('readWatchConfig', () => {
  it('is on by default, and a boolean turns it on or off', () => {
    expect(read(undefined)).toEqual({ enabled: true });
    expect(read(false)).toEqual({ enabled: false });
    expect(read(true)).toEqual({ enabled: true });
  });

  it('reads the intervals and the stream query per instance', () => {
    expect(
      read({
        pollIntervalSeconds: 5,
        streamRetrySeconds: 30,
        viewInterestSeconds: '2m',
        syncTimeoutSeconds: 3,
        instances: {
          main: { selector: 'team=shop', projects: ['shop'] },
          nonprod: { appNamespace: 'apps' },
        },
      }),
    ).toEqual({
      enabled: true,
      queries: {
        main: { selector: 'team=shop', projects: ['shop'] },
        nonprod: { appNamespace: 'apps' },
      },
      timing: {
        pollIntervalMs: 5000,
        streamRetryMs: 30_000,
        viewInterestMs: 120_000,
        syncTimeoutMs: 3000,
      },
    });
  });

  it('names the key of a bad value', () => {
    expect(() => read({ pollIntervalSeconds: 'often' })).toThrow(
      /delivery\.argocd\.watch\.pollIntervalSeconds/,
    );
    expect(() => read('yes')).toThrow(/delivery\.argocd\.watch/);
  });
});
