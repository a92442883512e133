import { ConfigReader } from '@backstage/config';
import { readArgoCdConfig } from './readArgoCdConfig';

const legacy = {
  argocd: {
    username: 'admin',
    password: 'pw',
    appLocatorMethods: [
      {
        type: 'config',
        instances: [
          { name: 'prod', url: 'https://prod.example.com/' },
          { name: 'dev', url: 'https://dev.example.com', token: 'tok' },
          {
            name: 'qa',
            url: 'https://qa.example.com',
            username: 'qa-user',
            password: 'qa-pw',
          },
        ],
      },
    ],
  },
};

describe('readArgoCdConfig', () => {
  it('reads delivery.argocd with its defaults, trimming trailing slashes', () => {
    const config = readArgoCdConfig(
      new ConfigReader({
        delivery: {
          argocd: {
            instances: [
              {
                name: 'a',
                url: 'https://argocd.example.com/',
                token: 't',
                frontendUrl: 'https://ui.example.com/',
              },
            ],
          },
        },
      }),
    );
    expect(config).toEqual({
      instances: [
        {
          name: 'a',
          url: 'https://argocd.example.com',
          token: 't',
          username: undefined,
          password: undefined,
          frontendUrl: 'https://ui.example.com',
        },
      ],
      timeoutMs: 10_000,
      revisionMetadataCount: 5,
    });
  });

  it('falls back to the legacy argocd: block, its credentials as defaults', () => {
    const config = readArgoCdConfig(new ConfigReader(legacy));
    expect(config.instances).toEqual([
      expect.objectContaining({
        name: 'prod',
        url: 'https://prod.example.com',
        username: 'admin',
        password: 'pw',
      }),
      expect.objectContaining({ name: 'dev', token: 'tok' }),
      expect.objectContaining({
        name: 'qa',
        username: 'qa-user',
        password: 'qa-pw',
      }),
    ]);
    expect(config.timeoutMs).toBe(10_000);
  });

  it('prefers delivery.argocd over the legacy block', () => {
    const config = readArgoCdConfig(
      new ConfigReader({
        ...legacy,
        delivery: { argocd: { instances: [{ name: 'x', url: 'http://x' }] } },
      }),
    );
    expect(config.instances.map(i => i.name)).toEqual(['x']);
  });

  it('has no instances when neither block is configured', () => {
    expect(readArgoCdConfig(new ConfigReader({})).instances).toEqual([]);
  });

  it('rejects duplicate names (legacy ones too), non-http URLs and bad limits', () => {
    const twice = [
      { name: 'a', url: 'https://x' },
      { name: 'a', url: 'https://y' },
    ];
    expect(() =>
      readArgoCdConfig(
        new ConfigReader({ delivery: { argocd: { instances: twice } } }),
      ),
    ).toThrow('delivery.argocd.instances: the instance name "a" is used twice');
    expect(() =>
      readArgoCdConfig(
        new ConfigReader({
          argocd: {
            appLocatorMethods: [
              { type: 'config', instances: twice.slice(0, 1) },
              { type: 'config', instances: twice.slice(1) },
            ],
          },
        }),
      ),
    ).toThrow(/"a" is used twice/);
    expect(() =>
      readArgoCdConfig(
        new ConfigReader({
          delivery: { argocd: { instances: [{ name: 'a', url: 'file:///' }] } },
        }),
      ),
    ).toThrow(/the url of "a" must start with http/);
    expect(() =>
      readArgoCdConfig(
        new ConfigReader({
          delivery: { argocd: { instances: [], timeoutMs: 0 } },
        }),
      ),
    ).toThrow('delivery.argocd: timeoutMs must be a number >= 1');
  });
});
