import { registerMswTestHooks } from '@backstage/backend-test-utils';
import type { DeliveryOverview } from '@gitops-delivery/backstage-plugin-delivery-common';
import { http, HttpResponse, passthrough } from 'msw';
import { setupServer } from 'msw/node';
import request from 'supertest';
import { fakeArgoCdHandlers } from '@gitops-delivery/backstage-plugin-delivery-node/testUtils';
import { jsonFixture } from './__testUtils__/fixtures';
import {
  capturedLogLines,
  startOverviewBackend,
} from './__testUtils__/startOverviewBackend';
import { createWorld } from './__testUtils__/world';

// An entity annotated for GitLab gets its CI stage from GitLab's pipelines
// of the deployed commit (GitLab's documented payloads), not from GitHub.

const GITLAB = 'http://gitlab.test/api/v4';
const TOKEN = 'glpat-overviewgitlabtoken42';

jest.setTimeout(60_000);

const server = setupServer(
  http.all(/^http:\/\/127\.0\.0\.1:\d+\/api\/delivery\//, () => passthrough()),
);
registerMswTestHooks(server);

const STOREFRONT = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'storefront',
    namespace: 'default',
    annotations: {
      'argocd/app-selector': 'app=checkout',
      'gitlab.com/project-slug': 'acme/checkout',
    },
  },
  spec: { type: 'service', owner: 'team-storefront', lifecycle: 'production' },
};

const INTEGRATIONS = {
  integrations: {
    gitlab: [{ host: 'gitlab.com', apiBaseUrl: GITLAB, token: TOKEN }],
  },
};

async function overview(): Promise<DeliveryOverview> {
  const app = await startOverviewBackend({}, [STOREFRONT], [], INTEGRATIONS);
  const res = await request(app).get(
    '/api/delivery/v1/entities/default/component/storefront/overview',
  );
  expect(res.status).toBe(200);
  expect(JSON.stringify(res.body)).not.toContain(TOKEN);
  return res.body;
}

const production = (body: DeliveryOverview) =>
  body.environments.find(e => e.name === 'production')!;

describe('GET /entities/:ref/overview for a GitLab-annotated entity', () => {
  beforeEach(() => {
    server.use(...fakeArgoCdHandlers(createWorld(), []));
  });

  it('fills the CI stage from the GitLab pipelines of the deployed commit', async () => {
    const calls: string[] = [];
    // pipeline 47 of the recorded list, as GitLab answers for the asked sha
    const [recorded] = jsonFixture('gitlab/pipelines-list.json');
    server.use(
      http.get(`${GITLAB}/projects/:id/pipelines`, ({ request: r }) => {
        calls.push(new URL(r.url).pathname);
        expect(r.headers.get('authorization')).toBe(`Bearer ${TOKEN}`);
        const sha = new URL(r.url).searchParams.get('sha');
        return HttpResponse.json([{ ...recorded, sha }]);
      }),
      http.get(
        `${GITLAB}/projects/:id/pipelines/:pipeline/jobs`,
        ({ request: r }) => {
          calls.push(new URL(r.url).pathname);
          return HttpResponse.json(jsonFixture('gitlab/pipeline-jobs.json'));
        },
      ),
    );
    const body = await overview();
    const env = production(body);
    const revision = env.stages.find(s => s.name === 'commit')?.revision;
    expect(revision).toMatch(/^[0-9a-f]{40}$/);
    expect(env.stages.find(s => s.name === 'ci')).toMatchObject({
      status: 'running',
      message: 'Build pipeline: pending',
      revision,
      links: [
        {
          title: 'Build pipeline',
          url: 'https://example.com/foo/bar/pipelines/47',
        },
      ],
    });
    expect(env.summary?.ci).toMatchObject({
      status: 'running',
      runs: [
        {
          id: 47,
          headSha: revision,
          jobs: [
            { name: 'rspec:other', kind: 'test', conclusion: 'failure' },
            { name: 'teaspoon', kind: 'test', conclusion: 'failure' },
          ],
        },
      ],
    });
    expect(body.sources).toContainEqual({ source: 'gitlab', status: 'ok' });
    expect(body.sources.map(s => s.source)).not.toContain('github');
    expect(calls).toContain('/api/v4/projects/acme%2Fcheckout/pipelines');
  });

  it('reports a GitLab error without the token, in the response and the logs', async () => {
    server.use(
      http.get(`${GITLAB}/projects/:id/pipelines`, () =>
        HttpResponse.json(
          {
            error: 'invalid_token',
            error_description: `Token ${TOKEN} expired`,
          },
          { status: 401 },
        ),
      ),
    );
    const body = await overview();
    expect(production(body).stages.find(s => s.name === 'ci')).toMatchObject({
      status: 'unknown',
      message:
        'GitLab refused the configured token (HTTP 401): Token *** expired',
    });
    expect(body.sources).toContainEqual({
      source: 'gitlab',
      status: 'error',
      message: expect.stringContaining('HTTP 401'),
    });
    expect(capturedLogLines.join('\n')).not.toContain(TOKEN);
  });
});
