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
