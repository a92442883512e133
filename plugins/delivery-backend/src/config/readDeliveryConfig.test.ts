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
