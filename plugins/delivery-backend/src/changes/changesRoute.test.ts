import { createServiceFactory } from '@backstage/backend-plugin-api';
import { actionsRegistryServiceRef } from '@backstage/backend-plugin-api/alpha';
import {
  mockCredentials,
  registerMswTestHooks,
} from '@backstage/backend-test-utils';
import { actionsRegistryServiceMock } from '@backstage/backend-test-utils/alpha';
import { fakeArgoCdHandlers } from '@gitops-delivery/backstage-plugin-delivery-node/testUtils';
import { http, HttpResponse, passthrough } from 'msw';
import { setupServer } from 'msw/node';
import request from 'supertest';
import { mockApplication } from '../__testUtils__/argocdFixtures';
import { jsonFixture } from '../__testUtils__/fixtures';
import { specViolations } from '../__testUtils__/specViolations';
import { startOverviewBackend } from '../__testUtils__/startOverviewBackend';
import { createWorld } from '../__testUtils__/world';

jest.setTimeout(30_000);

const server = setupServer(
  http.all(/^http:\/\/127\.0\.0\.1:\d+\/api\/delivery\//, () => passthrough()),
);
registerMswTestHooks(server);

// the world's checkout: dev runs 1.5.0 at DEV, staging 1.4.0 at STAGING
const DEV = 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678';
const STAGING = 'b1b2c3d4e5f60718293a4b5c6d7e8f9012345678';
const PROD = 'c1b2c3d4e5f60718293a4b5c6d7e8f9012345678';
// production's second Application (another region), a release ahead
const PROD_EU = 'e1b2c3d4e5f60718293a4b5c6d7e8f9012345678';
const GIT_TOKEN = 'ghp_compareToken0123456789abcdef';
const DB_PASSWORD_OLD = 'b2xkLWRiLXBhc3N3b3Jk';
const DB_PASSWORD_NEW = 'bmV3LWRiLXBhc3N3b3Jk';

const deployment = (image: string, replicas: number) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'checkout', namespace: 'checkout-staging' },
  spec: {
    replicas,
    template: { spec: { containers: [{ name: 'checkout', image }] } },
  },
});
const secret = (password: string) => ({
  apiVersion: 'v1',
  kind: 'Secret',
  metadata: { name: 'checkout-db', namespace: 'checkout-staging' },
  data: { password },
});
const service = {
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: 'checkout-canary', namespace: 'checkout-staging' },
  spec: { ports: [{ port: 80 }] },
};

/** Argo CD's rendered manifests of checkout-staging (swagger repositoryManifestResponse). */
const MANIFESTS: Record<string, object[]> = {
  [STAGING]: [
    deployment('ghcr.io/acme/checkout:1.4.0', 3),
    secret(DB_PASSWORD_OLD),
  ],
  [DEV]: [
    deployment('ghcr.io/acme/checkout:1.5.0', 4),
    secret(DB_PASSWORD_NEW),
    service,
  ],
};

const url = (from: string, to: string, name = 'checkout') =>
  `/api/delivery/v1/entities/default/component/${name}/changes?from=${from}&to=${to}`;

describe('GET /entities/:ref/changes', () => {
  let manifestCalls: string[];
  let compareCalls: string[];

  beforeEach(() => {
    manifestCalls = [];
    compareCalls = [];
    server.use(
      http.get(
        'http://argocd-main.test/api/v1/applications/:name/manifests',
        ({ request: upstream, params }) => {
          const revision =
            new URL(upstream.url).searchParams.get('revision') ?? '';
          manifestCalls.push(`${params.name}@${revision.slice(0, 7)}`);
          const manifests = MANIFESTS[revision];
          if (params.name !== 'checkout-staging' || !manifests) {
            return HttpResponse.json(
              { error: 'not found', code: 5, message: 'not found' },
              { status: 404 },
            );
          }
          return HttpResponse.json({
            manifests: manifests.map(m => JSON.stringify(m)),
            revision,
            sourceType: 'Kustomize',
          });
        },
      ),
      http.get(
        'https://api.github.com/repos/:owner/:repo/compare/:basehead',
        ({ request: upstream, params }) => {
          compareCalls.push(
            `${params.owner}/${params.repo} ${
              params.basehead
            } ${upstream.headers.get('authorization')}`,
          );
          return HttpResponse.json(jsonFixture('github/compare-commits.json'));
        },
      ),
      ...fakeArgoCdHandlers(createWorld(), []),
    );
  });

  const start = () =>
    startOverviewBackend({}, undefined, [], {
      integrations: { github: [{ host: 'github.com', token: GIT_TOKEN }] },
    });

  it('answers the commits, images, vulnerabilities and manifest diff of a promotion', async () => {
    const app = await start();
    const res = await request(app).get(url('dev', 'staging'));
    expect(res.status).toBe(200);
    expect(specViolations('ChangesResponse', res.body)).toEqual([]);
    expect(res.body.from).toMatchObject({
      selector: 'dev',
      environment: 'dev',
      instance: 'main',
      application: 'checkout-dev',
      revision: DEV,
      images: ['ghcr.io/acme/checkout:1.5.0'],
    });
    expect(res.body.to).toMatchObject({
      environment: 'staging',
      revision: STAGING,
    });
    // GitHub compare base...head = to...from, with the integration's token
    expect(compareCalls).toEqual([
      `argoproj/argocd-example-apps ${STAGING}...${DEV} Bearer ${GIT_TOKEN}`,
    ]);
    expect(res.body.commits).toMatchObject({
      state: 'ok',
      repository: 'argoproj/argocd-example-apps',
      compareUrl:
        'https://github.com/octocat/Hello-World/compare/master...topic',
      status: 'behind',
      aheadBy: 1,
      totalCommits: 1,
      items: [
        {
          sha: '6dcb09b5b57875f334f61aebed695e2e4193db5e',
          message: 'Fix all the bugs',
          author: 'Monalisa Octocat',
          authorLogin: 'octocat',
          url: 'https://github.com/octocat/Hello-World/commit/6dcb09b5b57875f334f61aebed695e2e4193db5e',
        },
      ],
    });
    expect(res.body.images).toEqual([
      {
        repository: 'ghcr.io/acme/checkout',
        before: { reference: 'ghcr.io/acme/checkout:1.4.0', tag: '1.4.0' },
        after: { reference: 'ghcr.io/acme/checkout:1.5.0', tag: '1.5.0' },
      },
    ]);
    expect(res.body.vulnerabilities.state).toBe('ok');
    // staging's Application rendered at its revision and at dev's
    expect(manifestCalls.sort()).toEqual([
      'checkout-staging@a1b2c3d',
      'checkout-staging@b1b2c3d',
    ]);
    const byKind = Object.fromEntries(
      res.body.manifests.resources.map((r: { kind: string }) => [r.kind, r]),
    );
    expect(byKind.Deployment.changes).toEqual([
      { path: 'spec.replicas', before: '3', after: '4' },
      {
        path: 'spec.template.spec.containers[0].image',
        before: 'ghcr.io/acme/checkout:1.4.0',
        after: 'ghcr.io/acme/checkout:1.5.0',
      },
    ]);
    expect(byKind.Service).toMatchObject({
      change: 'added',
      name: 'checkout-canary',
    });
    expect(byKind.Secret.changes).toEqual([
      {
        path: 'data.password',
        before: '[redacted: live value]',
        after: '[redacted: desired value]',
      },
    ]);
    const text = JSON.stringify(res.body);
    for (const secretValue of [DB_PASSWORD_OLD, DB_PASSWORD_NEW, GIT_TOKEN]) {
      expect(text).not.toContain(secretValue);
    }
  });

  it('degrades one part: a failed compare still answers images and manifests, naming the error', async () => {
    server.use(
      http.get(
        'https://api.github.com/repos/:owner/:repo/compare/:basehead',
        () =>
          HttpResponse.json(
            { message: `Server Error ${GIT_TOKEN}` },
            { status: 502 },
          ),
      ),
    );
    const app = await start();
    const res = await request(app).get(url('dev', 'staging'));
    expect(res.status).toBe(200);
    expect(res.body.commits).toEqual({
      state: 'error',
      repository: 'argoproj/argocd-example-apps',
      error:
        'GitHub compare of argoproj/argocd-example-apps: GitHub failed (HTTP 502)',
      items: [],
    });
    expect(res.body.images).toHaveLength(1);
    expect(res.body.manifests.state).toBe('ok');
    expect(JSON.stringify(res.body)).not.toContain(GIT_TOKEN);
  });

  it('degrades the manifests when Argo CD cannot render them', async () => {
    const app = await start();
    // production's Application has no manifests in this fake: 404
    const res = await request(app).get(url('staging', 'production'));
    expect(res.status).toBe(200);
    expect(res.body.manifests.state).toBe('error');
    expect(res.body.manifests.error).toMatch(/main/);
    expect(res.body.commits.state).toBe('ok');
  });

  it('answers 400 naming the parameter for a selector that names nothing', async () => {
    const app = await start();
    const syntax = await request(app).get(url('staging@x', 'production'));
    expect(syntax.status).toBe(400);
    expect(syntax.body.error.message).toMatch(/from/);
    const unknown = await request(app).get(url('staging', 'qa'));
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.message).toBe(
      'Invalid to: component:default/checkout has no environment "qa"; it has dev, staging, production',
    );
    const entry = await request(app).get(url('staging@42', 'production'));
    expect(entry.status).toBe(400);
    expect(entry.body.error.message).toBe(
      'Invalid from: checkout-staging (staging) has no history entry 42; it has 0',
    );
    const noEntity = await request(app).get(url('dev', 'staging', 'nobody'));
    expect(noEntity.status).toBe(404);
    expect(manifestCalls).toEqual([]);
    expect(compareCalls).toEqual([]);
  });

  it('compares a history entry with the environment it belongs to', async () => {
    const app = await start();
    const res = await request(app).get(url('staging@0', 'staging'));
    expect(res.status).toBe(200);
    expect(res.body.from).toMatchObject({ historyId: 0, revision: STAGING });
    expect(res.body.images).toEqual([]);
    expect(res.body.manifests).toEqual({ state: 'ok', resources: [] });
  });
  it('answers the same through the delivery:what-changes action', async () => {
    const registry = actionsRegistryServiceMock();
    await startOverviewBackend(
      {},
      undefined,
      [
        createServiceFactory({
          service: actionsRegistryServiceRef,
          deps: {},
          factory: () => registry,
        }),
      ],
      { integrations: { github: [{ host: 'github.com', token: GIT_TOKEN }] } },
    );
    const { output } = await registry.invoke({
      id: 'test:what-changes',
      input: {
        entityRef: 'component:default/checkout',
        from: 'dev',
        to: 'staging',
      },
      credentials: mockCredentials.user(),
    });
    expect(output).toMatchObject({
      entityRef: 'component:default/checkout',
      commits: { state: 'ok', items: [{ message: 'Fix all the bugs' }] },
      images: [
        {
          repository: 'ghcr.io/acme/checkout',
          before: 'ghcr.io/acme/checkout:1.4.0',
          after: 'ghcr.io/acme/checkout:1.5.0',
        },
      ],
      manifests: { state: 'ok' },
    });
    expect(JSON.stringify(output)).not.toContain(DB_PASSWORD_NEW);
    await expect(
      registry.invoke({
        id: 'test:what-changes',
        input: {
          entityRef: 'component:default/checkout',
          from: 'staging',
          to: 'qa',
        },
        credentials: mockCredentials.user(),
      }),
    ).rejects.toThrow(/Invalid to/);
  });
});

describe('GET /entities/:ref/changes: which Application a side is read from', () => {
  let compareCalls: string[];
  let manifestCalls: string[];

  const entry = (id: number, revision: string, deployedAt: string) => ({
    id,
    revision,
    deployedAt,
    source: {
      repoURL: 'https://github.com/argoproj/argocd-example-apps',
      path: 'guestbook',
      targetRevision: 'HEAD',
    },
  });

  // checkout with a second Application in staging (at staging's revision)
  // and in production (ahead of the first, with two history entries)
  beforeEach(() => {
    compareCalls = [];
    manifestCalls = [];
    const world = createWorld();
    world.main.applications.push(
      mockApplication({
        name: 'checkout-staging-eu',
        labels: { app: 'checkout', environment: 'staging' },
        images: ['ghcr.io/acme/checkout:1.4.0'],
        revision: STAGING,
      }),
      mockApplication({
        name: 'checkout-production-eu',
        labels: { app: 'checkout', environment: 'production' },
        images: ['ghcr.io/acme/checkout:1.4.0'],
        revision: PROD_EU,
        // Argo CD's order: oldest first
        history: [
          entry(1, PROD, '2026-11-27T10:00:00Z'),
          entry(2, PROD_EU, '2026-11-28T10:00:00Z'),
        ],
      }),
    );
    server.use(
      http.get(
        'http://argocd-main.test/api/v1/applications/:name/manifests',
        ({ request: upstream, params }) => {
          const revision =
            new URL(upstream.url).searchParams.get('revision') ?? '';
          manifestCalls.push(`${params.name}@${revision.slice(0, 7)}`);
          return HttpResponse.json({
            manifests: [
              JSON.stringify(
                deployment(
                  revision === PROD_EU
                    ? 'ghcr.io/acme/checkout:1.4.0'
                    : 'ghcr.io/acme/checkout:1.3.0',
                  3,
                ),
              ),
            ],
            revision,
          });
        },
      ),
      http.get(
        'https://api.github.com/repos/:owner/:repo/compare/:basehead',
        ({ params }) => {
          compareCalls.push(String(params.basehead));
          return HttpResponse.json(jsonFixture('github/compare-commits.json'));
        },
      ),
      ...fakeArgoCdHandlers(world, []),
    );
  });

  const start = () =>
    startOverviewBackend({}, undefined, [], {
      integrations: { github: [{ host: 'github.com', token: GIT_TOKEN }] },
    });

  it('answers 400 naming the candidates when an environment has several Applications at different revisions', async () => {
    const app = await start();
    const res = await request(app).get(url('staging', 'production'));
    expect(res.status).toBe(400);
    expect(res.body.error.message).toBe(
      'Invalid to: environment "production" of component:default/checkout has 2 Applications not at one revision (checkout-production at c1b2c3d, checkout-production-eu at e1b2c3d); name one: production/checkout-production, production/checkout-production-eu',
    );
    expect(compareCalls).toEqual([]);
  });

  it('reads the first Application by instance and name when all are at one revision', async () => {
    const app = await start();
    const res = await request(app).get(
      url('staging', 'production/checkout-production-eu'),
    );
    expect(res.status).toBe(200);
    expect(specViolations('ChangesResponse', res.body)).toEqual([]);
    expect(res.body.from).toMatchObject({
      selector: 'staging',
      environment: 'staging',
      application: 'checkout-staging',
      revision: STAGING,
    });
    expect(res.body.to).toMatchObject({
      selector: 'production/checkout-production-eu',
      environment: 'production',
      instance: 'main',
      application: 'checkout-production-eu',
      revision: PROD_EU,
    });
    expect(compareCalls).toEqual([`${PROD_EU}...${STAGING}`]);
    // the named Application renders both revisions
    expect(manifestCalls.sort()).toEqual([
      'checkout-production-eu@b1b2c3d',
      'checkout-production-eu@e1b2c3d',
    ]);
  });

  it('compares two history entries of one named Application', async () => {
    const app = await start();
    const res = await request(app).get(
      url(
        'production/checkout-production-eu@2',
        'production/main:checkout-production-eu@1',
      ),
    );
    expect(res.status).toBe(200);
    expect(res.body.from).toMatchObject({
      application: 'checkout-production-eu',
      historyId: 2,
      revision: PROD_EU,
      deployedAt: '2026-11-28T10:00:00Z',
    });
    expect(res.body.to).toMatchObject({
      application: 'checkout-production-eu',
      historyId: 1,
      revision: PROD,
    });
    expect(compareCalls).toEqual([`${PROD}...${PROD_EU}`]);
    // each entry's images, read from its own rendered manifests
    expect(res.body.images).toEqual([
      {
        repository: 'ghcr.io/acme/checkout',
        before: { reference: 'ghcr.io/acme/checkout:1.3.0', tag: '1.3.0' },
        after: { reference: 'ghcr.io/acme/checkout:1.4.0', tag: '1.4.0' },
      },
    ]);
    expect(res.body.manifests.resources).toHaveLength(1);
  });

  it('answers 400 for an unknown Application, a wrong instance, an entry not in every Application and a malformed selector', async () => {
    const app = await start();
    const messages = async (from: string, to: string) => {
      const res = await request(app).get(url(from, to));
      expect(res.status).toBe(400);
      return res.body.error.message;
    };
    expect(await messages('staging', 'production/checkout-qa')).toBe(
      'Invalid to: environment "production" has no Application "checkout-qa"; it has production/checkout-production, production/checkout-production-eu',
    );
    expect(
      await messages('staging', 'production/nonprod:checkout-production'),
    ).toBe(
      'Invalid to: environment "production" has no Application "nonprod:checkout-production"; it has production/checkout-production, production/checkout-production-eu',
    );
    expect(
      await messages('production@1', 'production/checkout-production'),
    ).toBe(
      'Invalid from: environment "production" of component:default/checkout has 2 Applications not at one revision (checkout-production without entry 1, checkout-production-eu at c1b2c3d); name one: production/checkout-production@1, production/checkout-production-eu@1',
    );
    expect(
      await messages(
        'production/checkout-production-eu@7',
        'production/checkout-production',
      ),
    ).toBe(
      'Invalid from: checkout-production-eu (production) has no history entry 7; it has 2, 1',
    );
    for (const malformed of [
      'staging/',
      'staging/a:b:c',
      'staging/eu:',
      '/x',
    ]) {
      expect(await messages(malformed, 'production')).toMatch(/from/);
    }
    expect(compareCalls).toEqual([]);
    expect(manifestCalls).toEqual([]);
  });

  it('takes an Application through the delivery:what-changes action too', async () => {
    const registry = actionsRegistryServiceMock();
    await startOverviewBackend(
      {},
      undefined,
      [
        createServiceFactory({
          service: actionsRegistryServiceRef,
          deps: {},
          factory: () => registry,
        }),
      ],
      { integrations: { github: [{ host: 'github.com', token: GIT_TOKEN }] } },
    );
    const invoke = (to: string) =>
      registry.invoke({
        id: 'test:what-changes',
        input: { entityRef: 'component:default/checkout', from: 'staging', to },
        credentials: mockCredentials.user(),
      });
    const { output } = await invoke('production/checkout-production-eu');
    expect(output).toMatchObject({
      entityRef: 'component:default/checkout',
      commits: { state: 'ok' },
    });
    await expect(invoke('production')).rejects.toThrow(
      /name one: production\/checkout-production, production\/checkout-production-eu/,
    );
    await expect(invoke('production/a:b:c')).rejects.toThrow();
  });
});
