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

  describe('with a logger', () => {
    const logger = () => ({ info: jest.fn(), warn: jest.fn() });
    const deliveryArgocd = {
      argocd: {
        instances: [{ name: 'main', url: 'https://argocd.example.com' }],
      },
    };

    it('says it read delivery.argocd', () => {
      const log = logger();
      readArgoCdConfig(new ConfigReader({ delivery: deliveryArgocd }), {
        logger: log,
      });
      expect(log.info).toHaveBeenCalledWith(
        'Delivery reads its Argo CD instances from delivery.argocd: main',
      );
      expect(log.warn).not.toHaveBeenCalled();
    });

    it('says it read the legacy argocd: block when delivery.argocd is absent', () => {
      const log = logger();
      readArgoCdConfig(new ConfigReader(legacy), { logger: log });
      expect(log.info).toHaveBeenCalledWith(
        expect.stringMatching(
          /^Delivery reads its Argo CD instances from the argocd: block .*: prod, dev, qa$/,
        ),
      );
      expect(log.warn).not.toHaveBeenCalled();
    });

    it('warns that argocd: is ignored when both blocks exist, naming its instances', () => {
      const log = logger();
      const config = readArgoCdConfig(
        new ConfigReader({ ...legacy, delivery: deliveryArgocd }),
        { logger: log },
      );
      expect(config.instances.map(i => i.name)).toEqual(['main']);
      expect(log.info).toHaveBeenCalledWith(
        'Delivery reads its Argo CD instances from delivery.argocd: main',
      );
      expect(log.warn).toHaveBeenCalledTimes(1);
      expect(log.warn.mock.calls[0][0]).toMatch(
        /^Delivery ignores the argocd: block \(instances: prod, dev, qa\) because delivery.argocd is configured/,
      );
      // the credentials of either block never reach the log
      expect(
        JSON.stringify([log.info.mock.calls, log.warn.mock.calls]),
      ).not.toMatch(/pw|tok/);
    });

    it('warns when no instance is configured at all', () => {
      const log = logger();
      readArgoCdConfig(new ConfigReader({}), { logger: log });
      expect(log.warn).toHaveBeenCalledWith(
        expect.stringContaining('Delivery has no Argo CD instance'),
      );
      expect(log.info).not.toHaveBeenCalled();
    });
  });
});
