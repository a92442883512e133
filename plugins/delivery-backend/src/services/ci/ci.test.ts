import { ConfigReader } from '@backstage/config';
import { registerMswTestHooks } from '@backstage/backend-test-utils';
import {
  DefaultGithubCredentialsProvider,
  ScmIntegrations,
} from '@backstage/integration';
import type { CiRunView } from '@gitops-delivery/backstage-plugin-delivery-common';
import { delay, http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { ciStatus } from './ciStatus';
import { createGithubActionsClient } from './GithubActionsClient';
import { jobKind } from './jobKind';

const API = 'http://github.test/api';
const SHA = 'c1b2c3d4e5f60718293a4b5c6d7e8f9012345678';
const TOKEN = 'ghp_secretgithubtoken123';
const server = setupServer();
registerMswTestHooks(server);

function client(timeoutMs = 1000) {
  const integrations = ScmIntegrations.fromConfig(
    new ConfigReader({
      integrations: {
        github: [{ host: 'github.com', apiBaseUrl: API, token: TOKEN }],
      },
    }),
  );
  return createGithubActionsClient({
    integrations,
    credentialsProvider:
      DefaultGithubCredentialsProvider.fromIntegrations(integrations),
    timeoutMs,
  });
}

const run = (
  id: number,
  name: string,
  status: string,
  conclusion: string | null,
) => ({
  id,
  name,
  head_sha: SHA,
  status,
  conclusion,
  html_url: `https://github.com/acme/checkout/actions/runs/${id}`,
  created_at: '2026-11-27T09:00:00Z',
  updated_at: '2026-11-27T09:10:00Z',
});

describe('jobKind', () => {
  it.each([
    ['build', 'build'],
    ['Build and push image', 'container-build'],
    ['docker', 'container-build'],
    ['Unit tests', 'test'],
    ['e2e', 'test'],
    ['CodeQL', 'sast'],
    ['semgrep', 'sast'],
    ['Trivy image scan', 'image-scan'],
    ['Scan image', 'image-scan'],
    ['lint', 'other'],
  ])('%s → %s', (name, kind) => {
    expect(jobKind(name)).toBe(kind);
  });
});

describe('ciStatus', () => {
  const view = (over: Partial<CiRunView>): CiRunView => ({
    id: 1,
    name: 'ci',
    headSha: SHA,
    status: 'completed',
    conclusion: 'success',
    jobs: [],
    url: 'u1',
    ...over,
  });
  it('fails on a failed run and names the failed jobs', () => {
    expect(
      ciStatus([
        view({}),
        view({
          id: 2,
          name: 'release',
          conclusion: 'failure',
          url: 'u2',
          jobs: [
            {
              name: 'Trivy image scan',
              kind: 'image-scan',
              status: 'completed',
              conclusion: 'failure',
            },
            {
              name: 'build',
              kind: 'build',
              status: 'completed',
              conclusion: 'success',
            },
          ],
        }),
      ]),
    ).toMatchObject({
      status: 'failed',
      conclusion: 'failure',
      message: 'release: failure in Trivy image scan (image-scan)',
      url: 'u2',
    });
  });
  it('is running while a run is unfinished, succeeded when all passed, waiting with none', () => {
    expect(
      ciStatus([
        view({}),
        view({ status: 'in_progress', conclusion: undefined }),
      ]).status,
    ).toBe('running');
    expect(ciStatus([view({}), view({ conclusion: 'skipped' })])).toMatchObject(
      {
        status: 'succeeded',
        conclusion: 'success',
        message: '2 workflow runs passed',
      },
    );
    expect(ciStatus([]).status).toBe('waiting');
  });
});

describe('GithubActionsClient', () => {
  it('reads the runs of the commit and their jobs with the integration credentials', async () => {
    const auth: Array<string | null> = [];
    server.use(
      http.get(`${API}/repos/acme/checkout/actions/runs`, ({ request }) => {
        auth.push(request.headers.get('authorization'));
        expect(new URL(request.url).searchParams.get('head_sha')).toBe(SHA);
        return HttpResponse.json({
          total_count: 2,
          workflow_runs: [
            run(11, 'ci', 'completed', 'success'),
            run(12, 'release', 'in_progress', null),
          ],
        });
      }),
      http.get(
        `${API}/repos/acme/checkout/actions/runs/:id/jobs`,
        ({ params, request }) => {
          auth.push(request.headers.get('authorization'));
          return HttpResponse.json({
            jobs:
              params.id === '11'
                ? [
                    {
                      name: 'build',
                      status: 'completed',
                      conclusion: 'success',
                      html_url: 'j1',
                    },
                    {
                      name: 'test',
                      status: 'completed',
                      conclusion: 'success',
                    },
                    {
                      name: 'CodeQL',
                      status: 'completed',
                      conclusion: 'success',
                    },
                  ]
                : [
                    {
                      name: 'Build and push image',
                      status: 'in_progress',
                      conclusion: null,
                    },
                  ],
          });
        },
      ),
    );
    const runs = await client().runsForCommit('acme/checkout', SHA);
    expect(auth).toEqual(Array(3).fill(`Bearer ${TOKEN}`));
    expect(runs.map(r => [r.id, r.name, r.status, r.conclusion])).toEqual([
      [11, 'ci', 'completed', 'success'],
      [12, 'release', 'in_progress', undefined],
    ]);
    expect(runs[0].jobs.map(j => j.kind)).toEqual(['build', 'test', 'sast']);
    expect(runs[1].jobs[0]).toEqual({
      name: 'Build and push image',
      kind: 'container-build',
      status: 'in_progress',
      conclusion: undefined,
      startedAt: undefined,
      completedAt: undefined,
      url: undefined,
    });
    expect(ciStatus(runs).status).toBe('running');
  });

  it('explains 401, 404, rate limits and timeouts without the token', async () => {
    const answer = (status: number, headers: Record<string, string> = {}) =>
      server.use(
        http.get(`${API}/repos/acme/checkout/actions/runs`, () =>
          HttpResponse.json(
            { message: 'Bad credentials' },
            { status, headers },
          ),
        ),
      );
    answer(401);
    await expect(client().runsForCommit('acme/checkout', SHA)).rejects.toThrow(
      'GitHub refused the configured credentials (HTTP 401)',
    );
    answer(404);
    await expect(client().runsForCommit('acme/checkout', SHA)).rejects.toThrow(
      /not found or not visible/,
    );
    answer(403, { 'x-ratelimit-remaining': '0' });
    await expect(client().runsForCommit('acme/checkout', SHA)).rejects.toThrow(
      'GitHub rate limit reached (HTTP 403)',
    );
    server.use(
      http.get(`${API}/repos/acme/checkout/actions/runs`, async () => {
        await delay(500);
        return HttpResponse.json({ workflow_runs: [] });
      }),
    );
    const error = await client(50)
      .runsForCommit('acme/checkout', SHA)
      .catch(e => e);
    expect(error.message).toBe('GitHub: no answer within 50 ms');
    expect(error.message).not.toContain(TOKEN);
  });

  it('refuses a malformed slug or SHA before calling GitHub', async () => {
    await expect(client().runsForCommit('acme/../x/y', SHA)).rejects.toThrow(
      /is not owner\/repository/,
    );
    await expect(
      client().runsForCommit('acme/checkout', 'main'),
    ).rejects.toThrow(/is not a commit SHA/);
  });
});
