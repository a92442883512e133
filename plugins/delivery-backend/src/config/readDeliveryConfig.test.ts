import { ConfigReader } from '@backstage/config';
import { readDeliveryConfig } from './readDeliveryConfig';

describe('readDeliveryConfig', () => {
  it('reads delivery.argocd instances and defaults', () => {
    const config = readDeliveryConfig(
      new ConfigReader({
        delivery: {
          argocd: {
            instances: [
              { name: 'a', url: 'https://argocd.example.com/', token: 't' },
            ],
          },
        },
      }),
    );
    expect(config.argocd.instances).toEqual([
      expect.objectContaining({
        name: 'a',
        url: 'https://argocd.example.com',
        token: 't',
      }),
    ]);
    expect(config.argocd.timeoutMs).toBe(10000);
    expect(config.environments).toEqual(['dev', 'staging', 'production']);
    expect(config.environmentLabel).toBe('environment');
    expect(config.overviewTimeoutMs).toBe(15000);
    expect(config.argocd.revisionMetadataCount).toBe(5);
    expect(config.cache).toEqual({
      liveTtlMs: 10_000,
      revisionMetadataTtlMs: 7 * 24 * 3600 * 1000,
      failureTtlMs: 5_000,
      notFoundTtlMs: 600_000,
    });
  });

  it.each([
    [{ failureTtl: 3, notFoundTtl: 3600 }, 3_000, 3_600_000],
    [{ failureTtl: 0, notFoundTtl: { minutes: 30 } }, 0, 1_800_000],
    [{ failureTtl: 'PT2S', notFoundTtl: '1h' }, 2_000, 3_600_000],
  ])(
    'reads the failure TTLs in seconds or as a duration: %j',
    (cache, failureTtlMs, notFoundTtlMs) => {
      const config = readDeliveryConfig(
        new ConfigReader({ delivery: { cache } }),
      );
      expect(config.cache).toMatchObject({ failureTtlMs, notFoundTtlMs });
    },
  );

  it('rejects a failure TTL that is not a duration', () => {
    expect(() =>
      readDeliveryConfig(
        new ConfigReader({ delivery: { cache: { failureTtl: 'soon' } } }),
      ),
    ).toThrow(/delivery.cache.failureTtl must be a number of seconds/);
    expect(() =>
      readDeliveryConfig(
        new ConfigReader({ delivery: { cache: { failureTtl: -1 } } }),
      ),
    ).toThrow(/delivery.cache.failureTtl must not be negative/);
  });

  it('reads timeouts, cache TTLs and the environment label', () => {
    const config = readDeliveryConfig(
      new ConfigReader({
        delivery: {
          argocd: { instances: [], timeoutMs: 500, revisionMetadataCount: 0 },
          overviewTimeoutMs: 2000,
          environments: ['qa', 'prod'],
          environmentLabel: 'stage',
          cache: { ttlSeconds: 0, revisionMetadataTtlSeconds: 60 },
        },
      }),
    );
    expect(config).toMatchObject({
      argocd: { timeoutMs: 500, revisionMetadataCount: 0 },
      overviewTimeoutMs: 2000,
      environments: ['qa', 'prod'],
      environmentLabel: 'stage',
      cache: { liveTtlMs: 0, revisionMetadataTtlMs: 60_000 },
    });
    expect(() =>
      readDeliveryConfig(
        new ConfigReader({
          delivery: { argocd: { instances: [], timeoutMs: 0 } },
        }),
      ),
    ).toThrow(/timeoutMs must be a number >= 1/);
    expect(() =>
      readDeliveryConfig(
        new ConfigReader({ delivery: { environments: ['Prod!'] } }),
      ),
    ).toThrow(/"Prod!" is not a valid environment name/);
  });

  it('reads the timeout and TTL keys as their numbers or as Backstage durations', () => {
    const config = readDeliveryConfig(
      new ConfigReader({
        delivery: {
          argocd: { instances: [], timeoutMs: '5s' },
          overviewTimeoutMs: { seconds: 20 },
          cache: { ttlSeconds: 'PT1M', revisionMetadataTtlSeconds: '1d' },
        },
      }),
    );
    expect(config).toMatchObject({
      argocd: { timeoutMs: 5_000 },
      overviewTimeoutMs: 20_000,
      cache: { liveTtlMs: 60_000, revisionMetadataTtlMs: 86_400_000 },
    });
    expect(() =>
      readDeliveryConfig(
        new ConfigReader({ delivery: { overviewTimeoutMs: 'soon' } }),
      ),
    ).toThrow(
      /^delivery\.overviewTimeoutMs must be a number of milliseconds or a duration/,
    );
  });

  it('falls back to the argocd: block of the Roadie and community plugins', () => {
    const config = readDeliveryConfig(
      new ConfigReader({
        argocd: {
          username: 'admin',
          password: 'pw',
          appLocatorMethods: [
            {
              type: 'config',
              instances: [
                { name: 'prod', url: 'https://prod.example.com' },
                { name: 'dev', url: 'https://dev.example.com', token: 'tok' },
              ],
            },
          ],
        },
      }),
    );
    expect(config.argocd.instances).toEqual([
      expect.objectContaining({
        name: 'prod',
        username: 'admin',
        password: 'pw',
      }),
      expect.objectContaining({ name: 'dev', token: 'tok' }),
    ]);
  });

  it('rejects duplicate names and non-http URLs with a clear message', () => {
    expect(() =>
      readDeliveryConfig(
        new ConfigReader({
          delivery: {
            argocd: {
              instances: [
                { name: 'a', url: 'https://x' },
                { name: 'a', url: 'https://y' },
              ],
            },
          },
        }),
      ),
    ).toThrow(/"a" is used twice/);
    expect(() =>
      readDeliveryConfig(
        new ConfigReader({
          delivery: {
            argocd: { instances: [{ name: 'a', url: 'file:///etc' }] },
          },
        }),
      ),
    ).toThrow(/must start with http/);
  });
});
