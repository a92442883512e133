import { registerMswTestHooks } from '@backstage/backend-test-utils';
import { argocdSwagger } from 'delivery-test-data';
import { setupServer } from 'msw/node';
import { createCoalescingCache } from '../cache/createCoalescingCache';
import { createFakeArgoCd } from '../testUtils/fakeArgoCd';
import type { FakeArgoCdApplication } from '../testUtils/fakeArgoCdTypes';
import { memoryCache } from '../testUtils/memoryCache';
import { createArgoCdClient } from './createArgoCdClient';

const server = setupServer();
registerMswTestHooks(server);

const BASE = 'http://argocd.test';

function app(autoSync: boolean): FakeArgoCdApplication {
  return {
    metadata: { name: 'checkout-prod', namespace: 'argocd' },
    spec: {
      project: 'shop',
      ...(autoSync ? { syncPolicy: { automated: { prune: true } } } : {}),
    },
    status: {
      sync: { status: 'OutOfSync', revision: 'b'.repeat(40) },
      history: [
        { id: 4, revision: 'a'.repeat(40) },
        { id: 5, revision: 'b'.repeat(40) },
      ],
    },
  };
}

function setup(autoSync = false) {
  // the contract rejects any route, query parameter or body not in the swagger
  const argocd = createFakeArgoCd({
    baseUrl: BASE,
    name: 'main',
    contract: argocdSwagger(),
    tokens: ['t-0123456789'],
    applications: [app(autoSync)],
  });
  server.use(...argocd.handlers);
  const client = createArgoCdClient({
    instances: [{ name: 'main', url: BASE, token: 't-0123456789' }],
    timeoutMs: 2000,
    cache: createCoalescingCache(memoryCache()),
    liveTtlMs: 60_000,
  });
  return { argocd, client };
}

const ref = { name: 'checkout-prod', appNamespace: 'argocd', project: 'shop' };

describe('Application writes', () => {
  it('refreshes normally or hard through GET with ?refresh, bypassing the cache', async () => {
    const { argocd, client } = setup();
    await client.getApplication('main', ref);
    await client.refreshApplication('main', ref, false);
    await client.refreshApplication('main', ref, true);
    await client.getApplication('main', ref);
    const gets = argocd.calls.filter(c => c.method === 'GET');
    expect(gets.map(c => new URLSearchParams(c.search).get('refresh'))).toEqual(
      [null, 'normal', 'hard', null],
    );
  });

  it('syncs with prune and only the chosen resources, per the swagger', async () => {
    const { argocd, client } = setup();
    const answer = await client.syncApplication('main', ref, {
      prune: true,
      resources: [
        { group: 'apps', kind: 'Deployment', namespace: 'shop', name: 'web' },
        { group: '', kind: 'ConfigMap', name: 'settings' },
      ],
      syncOptions: ['ApplyOutOfSyncOnly=true'],
    });
    expect(answer.status?.operationState?.phase).toBe('Running');
    expect(argocd.writes().map(c => [c.path, c.body])).toEqual([
      [
        '/api/v1/applications/checkout-prod/sync',
        {
          name: 'checkout-prod',
          appNamespace: 'argocd',
          project: 'shop',
          prune: true,
          dryRun: false,
          resources: [
            {
              group: 'apps',
              kind: 'Deployment',
              name: 'web',
              namespace: 'shop',
            },
            { group: '', kind: 'ConfigMap', name: 'settings' },
          ],
          syncOptions: { items: ['ApplyOutOfSyncOnly=true'] },
        },
      ],
    ]);
  });

  it('sends no resources for a whole sync, and Argo CD refuses a second while one runs', async () => {
    const { argocd, client } = setup();
    await client.syncApplication('main', ref, {});
    expect(argocd.writes()[0].body).toEqual({
      name: 'checkout-prod',
      appNamespace: 'argocd',
      project: 'shop',
      prune: false,
      dryRun: false,
    });
    await expect(client.syncApplication('main', ref, {})).rejects.toMatchObject(
      {
        name: 'ArgoCdError',
        status: 400,
        message: expect.stringContaining(
          'another operation is already in progress',
        ),
      },
    );
  });

  it('rolls back to a history id where auto-sync is off', async () => {
    const { argocd, client } = setup(false);
    const answer = await client.rollbackApplication('main', ref, 4);
    expect(answer.status?.operationState?.phase).toBe('Running');
    expect(argocd.writes()[0]).toMatchObject({
      path: '/api/v1/applications/checkout-prod/rollback',
      body: {
        name: 'checkout-prod',
        appNamespace: 'argocd',
        project: 'shop',
        id: 4,
        prune: false,
        dryRun: false,
      },
    });
  });

  it("passes on Argo CD's refusal of a rollback while auto-sync is on", async () => {
    const { client } = setup(true);
    await expect(
      client.rollbackApplication('main', ref, 4),
    ).rejects.toMatchObject({
      name: 'ArgoCdError',
      instance: 'main',
      status: 400,
      message: expect.stringContaining(
        'rollback cannot be initiated when auto-sync is enabled',
      ),
    });
  });
});
