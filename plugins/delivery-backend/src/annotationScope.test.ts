import { registerMswTestHooks } from '@backstage/backend-test-utils';
import type { DeliveryOverview } from '@gitops-delivery/backstage-plugin-delivery-common';
import { http, passthrough } from 'msw';
import { setupServer } from 'msw/node';
import request from 'supertest';
import {
  fakeArgoCdHandlers,
  type FakeArgoCdCall,
} from '@gitops-delivery/backstage-plugin-delivery-node/testUtils';
import { startOverviewBackend } from './__testUtils__/startOverviewBackend';
import { createWorld } from './__testUtils__/world';

/**
 * Issue 16, part 5: an entity's annotations can only narrow what is
 * searched, and however much they list, the response stays small.
 */

const server = setupServer(
  http.all(/^http:\/\/127\.0\.0\.1:\d+\/api\/delivery\//, () => passthrough()),
);
registerMswTestHooks(server);

let calls: FakeArgoCdCall[];
beforeEach(() => {
  calls = [];
  server.use(...fakeArgoCdHandlers(createWorld(), calls));
});

function entity(name: string, annotations: Record<string, string>) {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name, namespace: 'default', annotations },
    spec: { type: 'service', owner: 'team-a', lifecycle: 'production' },
  };
}

async function overview(entities: object[], name: string) {
  const app = await startOverviewBackend({}, entities);
  const res = await request(app).get(
    `/api/delivery/v1/entities/default/component/${name}/overview`,
  );
  expect(res.status).toBe(200);
  return res.body as DeliveryOverview;
}

describe('argocd/instance-name', () => {
  it('naming only unknown or invalid instances searches no instance and says why', async () => {
    const invalid = entity('invalid', {
      'argocd/app-selector': 'app=checkout',
      'argocd/instance-name': 'not a name!',
    });
    const unknown = entity('unknown', {
      'argocd/app-selector': 'app=checkout',
      'argocd/instance-name': 'elsewhere',
    });

    const first = await overview([invalid, unknown], 'invalid');
    expect(first.warnings).toEqual([
      'Annotation argocd/instance-name lists "not a name!", which is not a valid instance name; it is ignored.',
    ]);
    expect(first.sources).toEqual([
      {
        source: 'argocd',
        status: 'error',
        message:
          'Annotation argocd/instance-name names no configured Argo CD instance; nothing is searched',
      },
    ]);
    expect(first.environments).toEqual([]);

    const second = await overview([invalid, unknown], 'unknown');
    expect(second.warnings).toEqual([
      'Annotation argocd/instance-name lists "elsewhere", which is not a configured Argo CD instance; it is not searched.',
    ]);
    expect(second.sources).toEqual([
      {
        source: 'argocd',
        status: 'error',
        message:
          'Annotation argocd/instance-name names no configured Argo CD instance ("elsewhere" unknown); nothing is searched',
      },
    ]);
    // neither widened the search to the configured instances
    expect(calls).toEqual([]);
  });
});

describe('list annotations', () => {
  it('listing thousands of names gives a few warnings, not one per name', async () => {
    const many = (prefix: string, count: number) =>
      Array.from({ length: count }, (_, i) => `${prefix}${i}`).join(',');
    const body = await overview(
      [
        entity('flood', {
          'argocd/app-selector': 'app=checkout',
          // the first one is configured, then invalid and unknown names
          'argocd/instance-name': `main,${many('bad name ', 10)},${many(
            'unknown-',
            5000,
          )}`,
          'argocd/project-name': many('Bad_Project', 3000),
        }),
      ],
      'flood',
    );
    expect(body.warnings).toEqual([
      'Annotation argocd/instance-name lists 5011 names; only the first 20 are used.',
      'Annotation argocd/instance-name lists 10 names that are not valid instance names; they are ignored: "bad name 0", "bad name 1", "bad name 2", "bad name 3", "bad name 4" and 5 more.',
      'Annotation argocd/project-name lists 3000 names; only the first 20 are used.',
      'Annotation argocd/project-name lists 20 names that are not valid Argo CD project names; they are ignored: "Bad_Project0", "Bad_Project1", "Bad_Project2", "Bad_Project3", "Bad_Project4" and 15 more.',
      'Annotation argocd/instance-name lists "unknown-0", "unknown-1", "unknown-2", "unknown-3", "unknown-4", "unknown-5", "unknown-6", "unknown-7", "unknown-8", which are not configured Argo CD instances; they are not searched.',
    ]);
    expect(body.annotations.instances).toHaveLength(10);
    // only the configured instance the annotation names is searched
    expect(new Set(calls.map(c => c.instance))).toEqual(new Set(['main']));
  });
});
