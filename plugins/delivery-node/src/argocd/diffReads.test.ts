import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { registerMswTestHooks } from '@backstage/backend-test-utils';
import { memoryCache } from '../testUtils/memoryCache';
import { createCoalescingCache } from '../cache/createCoalescingCache';
import { createArgoCdClient } from './createArgoCdClient';

const server = setupServer();
registerMswTestHooks(server);

const client = () =>
  createArgoCdClient({
    instances: [{ name: 'a', url: 'http://a.test', token: 'token-0123456789' }],
    timeoutMs: 1000,
    cache: createCoalescingCache(memoryCache()),
    revisionMetadataTtlMs: 60_000,
  });

describe('ArgoCdClient diff reads', () => {
  it('reads managed resources with their states (swagger v1alpha1ResourceDiff)', async () => {
    let url = '';
    server.use(
      http.get(
        'http://a.test/api/v1/applications/:name/managed-resources',
        ({ request }) => {
          url = request.url;
          return HttpResponse.json({
            items: [
              {
                group: 'apps',
                kind: 'Deployment',
                namespace: 'shop',
                name: 'web',
                liveState: '{"a":1}',
                normalizedLiveState: '{"a":1}',
                predictedLiveState: '{"a":2}',
                targetState: '{"a":2}',
                modified: true,
                diff: '',
              },
              { kind: 'Service', name: 'web', targetState: 'null' },
            ],
          });
        },
      ),
    );
    const items = await client().getManagedResources('a', {
      name: 'web-prod',
      project: 'shop',
    });
    expect(url).toBe(
      'http://a.test/api/v1/applications/web-prod/managed-resources?project=shop',
    );
    expect(items).toEqual([
      {
        group: 'apps',
        kind: 'Deployment',
        namespace: 'shop',
        name: 'web',
        hook: false,
        modified: true,
        liveState: '{"a":1}',
        normalizedLiveState: '{"a":1}',
        predictedLiveState: '{"a":2}',
        targetState: '{"a":2}',
      },
      {
        group: '',
        kind: 'Service',
        namespace: '',
        name: 'web',
        hook: false,
        modified: false,
        targetState: 'null',
      },
    ]);
  });

  it('rejects a managed-resources body of the wrong shape', async () => {
    server.use(
      http.get(
        'http://a.test/api/v1/applications/:name/managed-resources',
        () => HttpResponse.json({ items: [{ kind: 1 }] }),
      ),
    );
    await expect(
      client().getManagedResources('a', { name: 'web' }),
    ).rejects.toMatchObject({ kind: 'malformed-response' });
  });

  it('reads the manifests of a revision once per SHA', async () => {
    let calls = 0;
    server.use(
      http.get(
        'http://a.test/api/v1/applications/:name/manifests',
        ({ request }) => {
          calls++;
          expect(new URL(request.url).searchParams.get('revision')).toBe(
            'a'.repeat(40),
          );
          return HttpResponse.json({
            manifests: ['{"kind":"Service"}'],
            revision: 'a'.repeat(40),
            sourceType: 'Kustomize',
          });
        },
      ),
    );
    const c = client();
    const first = await c.getManifests('a', { name: 'web' }, 'a'.repeat(40));
    await c.getManifests('a', { name: 'web' }, 'a'.repeat(40));
    expect(first).toEqual({
      manifests: ['{"kind":"Service"}'],
      revision: 'a'.repeat(40),
    });
    expect(calls).toBe(1);
  });
});
