import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import request from 'supertest';
import { deliveryPlugin } from './plugin';

const checkout = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'checkout',
    namespace: 'default',
    annotations: {
      'argocd/app-selector': 'app=checkout',
      'argocd/instance-name': 'main',
    },
  },
  spec: { type: 'service', owner: 'team-a', lifecycle: 'production' },
};

const MAIN_INSTANCE = {
  name: 'main',
  url: 'http://argocd.test',
  token: 'super-secret-argocd-token',
};

async function startBackend(delivery: Record<string, unknown> = {}) {
  const { server } = await startTestBackend({
    features: [
      deliveryPlugin,
      catalogServiceMock.factory({ entities: [checkout] }),
      mockServices.rootConfig.factory({
        data: {
          delivery: { argocd: { instances: [MAIN_INSTANCE] }, ...delivery },
        },
      }),
    ],
  });
  return server;
}

describe('delivery backend: annotations route', () => {
  it('returns the entity resolved annotations to an authenticated user', async () => {
    const server = await startBackend();
    const res = await request(server).get(
      '/api/delivery/v1/entities/default/component/checkout/annotations',
    );
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      entityRef: 'component:default/checkout',
      annotations: {
        appSelector: 'app=checkout',
        instances: ['main'],
        projects: [],
      },
      warnings: [],
    });
    expect(JSON.stringify(res.body)).not.toContain('super-secret');
  });

  it('rejects unauthenticated calls with 401', async () => {
    const server = await startBackend();
    const res = await request(server)
      .get('/api/delivery/v1/entities/default/component/checkout/annotations')
      .set('Authorization', mockCredentials.none.header());
    expect(res.status).toBe(401);
  });

  it('answers 404 for an entity that does not exist or cannot be seen', async () => {
    const server = await startBackend();
    const res = await request(server).get(
      '/api/delivery/v1/entities/default/component/missing/annotations',
    );
    expect(res.status).toBe(404);
    expect(res.body.error.message).toContain('component:default/missing');
  });

  it('answers 400 naming the bad parameter', async () => {
    const server = await startBackend();
    const res = await request(server).get(
      '/api/delivery/v1/entities/default/comp%20onent/checkout/annotations',
    );
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/Invalid kind/);
  });
});

describe('delivery backend: choices route', () => {
  const startWithPolicies = () =>
    startBackend({
      argocd: {
        instances: [
          MAIN_INSTANCE,
          {
            name: 'nonprod',
            url: 'http://argocd-nonprod.test',
            username: 'admin',
            password: 'super-secret-password',
          },
        ],
      },
      policies: {
        strict: {
          description: 'Soak 30 minutes',
          gates: [{ kind: 'soak', minutes: 30 }],
        },
      },
      defaultPolicy: 'strict',
    });

  it('lists the configured policies (default first) and Argo CD instances by name only', async () => {
    const server = await startWithPolicies();
    const res = await request(server).get('/api/delivery/v1/choices');
    expect(res.status).toBe(200);
    expect(res.body.policies.map((p: { name: string }) => p.name)).toEqual([
      'strict',
      'default',
    ]);
    expect(res.body.policies[0]).toEqual({
      name: 'strict',
      description: 'Soak 30 minutes',
      isDefault: true,
    });
    expect(res.body.policies[1].isDefault).toBe(false);
    expect(res.body.argocdInstances).toEqual([
      { name: 'main' },
      { name: 'nonprod' },
    ]);
    const text = JSON.stringify(res.body);
    expect(text).not.toContain('super-secret');
    expect(text).not.toContain('http://');
  });

  it('rejects unauthenticated calls with 401', async () => {
    const server = await startWithPolicies();
    const res = await request(server)
      .get('/api/delivery/v1/choices')
      .set('Authorization', mockCredentials.none.header());
    expect(res.status).toBe(401);
  });
});
