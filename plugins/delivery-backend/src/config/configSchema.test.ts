import { loadConfigSchema } from '@backstage/config-loader';
import path from 'node:path';

// The backend's config.d.ts as Backstage compiles it (the app's config
// schema, which drives the config and log redaction of secret values).
describe('config.d.ts', () => {
  const secretsOf = async (data: object) => {
    const schema = await loadConfigSchema({
      dependencies: [],
      packagePaths: [path.resolve(__dirname, '../../package.json')],
      excludePackageDependencies: true,
    });
    const [secret] = schema.process([{ data: data as any, context: 'test' }], {
      visibility: ['secret'],
    });
    return secret.data;
  };

  it('marks the legacy argocd: credentials the plugin reads as secret', async () => {
    const secrets = await secretsOf({
      argocd: {
        username: 'admin',
        password: 'legacy-password',
        appLocatorMethods: [
          {
            type: 'config',
            instances: [
              {
                name: 'main',
                url: 'https://argocd.example.com',
                token: 'legacy-token',
                username: 'user',
                password: 'instance-password',
              },
            ],
          },
        ],
      },
    });
    expect(secrets).toEqual({
      argocd: {
        password: 'legacy-password',
        appLocatorMethods: [
          {
            instances: [
              { token: 'legacy-token', password: 'instance-password' },
            ],
          },
        ],
      },
    });
  }, 60_000);

  it('marks the delivery.argocd credentials as secret', async () => {
    const secrets = await secretsOf({
      delivery: {
        argocd: {
          instances: [
            {
              name: 'main',
              url: 'https://argocd.example.com',
              token: 'token',
              username: 'user',
              password: 'password',
            },
          ],
        },
      },
    });
    expect(secrets).toEqual({
      delivery: {
        argocd: { instances: [{ token: 'token', password: 'password' }] },
      },
    });
  }, 60_000);
});
