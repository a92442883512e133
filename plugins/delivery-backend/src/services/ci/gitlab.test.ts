import { ConfigReader } from '@backstage/config';
import { registerMswTestHooks } from '@backstage/backend-test-utils';
import { ScmIntegrations } from '@backstage/integration';
import { createSecretRedactor } from '@gitops-delivery/backstage-plugin-delivery-node';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { jsonFixture } from '../../__testUtils__/fixtures';
import { ciStatus } from './ciStatus';
import { createGitlabCiClient, GitlabCiError } from './GitlabCiClient';
import { gitlabJobKind, gitlabState } from './gitlabStatus';

const API = 'http://gitlab.test/api/v4';
const TOKEN = 'glpat-secretgitlabtoken123';
// the sha of pipeline 47 in GitLab's documented example
const SHA = 'a91957a858320c0e17f3a0eca7cfacbff50ea29a';
const OTHER_SHA = 'c1b2c3d4e5f60718293a4b5c6d7e8f9012345678';
const pipelines = jsonFixture('gitlab/pipelines-list.json') as Array<{
  id: number;
  sha: string;
}>;
const jobs = jsonFixture('gitlab/pipeline-jobs.json') as unknown[];

const server = setupServer();
registerMswTestHooks(server);

function client(redactor = createSecretRedactor()) {
  const integrations = ScmIntegrations.fromConfig(
    new ConfigReader({
      integrations: {
        gitlab: [{ host: 'gitlab.com', apiBaseUrl: API, token: TOKEN }],
      },
    }),
  );
  return createGitlabCiClient({ integrations, timeoutMs: 1000, redactor });
}

/** GitLab as its docs describe it: pipelines filtered by sha, jobs per pipeline. */
function serveRecorded(seen: Request[] = []) {
  server.use(
    http.get(`${API}/projects/:id/pipelines`, ({ request }) => {
      seen.push(request);
      const sha = new URL(request.url).searchParams.get('sha');
      return HttpResponse.json(pipelines.filter(p => !sha || p.sha === sha));
    }),
    http.get(`${API}/projects/:id/pipelines/:pipeline/jobs`, ({ request }) => {
      seen.push(request);
      return HttpResponse.json(jobs);
    }),
  );
}

describe('gitlabState', () => {
  it.each([
    ['success', false, { status: 'completed', conclusion: 'success' }],
    ['failed', false, { status: 'completed', conclusion: 'failure' }],
    ['failed', true, { status: 'completed', conclusion: 'neutral' }],
    ['canceled', false, { status: 'completed', conclusion: 'cancelled' }],
    ['skipped', false, { status: 'completed', conclusion: 'skipped' }],
    ['created', false, { status: 'queued' }],
    ['waiting_for_resource', false, { status: 'waiting_for_resource' }],
    ['preparing', false, { status: 'preparing' }],
    ['pending', false, { status: 'pending' }],
    ['running', false, { status: 'in_progress' }],
    ['manual', false, { status: 'waiting_for_manual_action' }],
    ['scheduled', false, { status: 'scheduled' }],
  ] as const)('%s (allow_failure %s)', (status, allowFailure, state) => {
    expect(gitlabState(status, allowFailure)).toEqual(state);
  });

  it('feeds ciStatus like GitHub runs do', () => {
    const run = (status: string) => ({
      id: 1,
      name: 'Build pipeline',
      headSha: SHA,
      jobs: [],
      ...gitlabState(status, false),
    });
    expect(ciStatus([run('success')]).status).toBe('succeeded');
    expect(ciStatus([run('failed')]).status).toBe('failed');
    expect(ciStatus([run('canceled')]).status).toBe('failed');
    expect(ciStatus([run('running')])).toMatchObject({
      status: 'running',
      message: 'Build pipeline: in progress',
    });
    expect(ciStatus([run('manual')]).message).toBe(
      'Build pipeline: waiting for manual action',
    );
  });
});

describe('gitlabJobKind', () => {
  it.each([
    ['build-image', 'test', 'container-build'],
    ['semgrep-sast', 'test', 'sast'],
    ['container_scanning', 'test', 'image-scan'],
    ['rspec:other', 'test', 'test'],
    ['compile', 'build', 'build'],
    ['deploy', 'deploy', 'other'],
  ])('%s in stage %s → %s', (name, stage, kind) => {
    expect(gitlabJobKind(name, stage)).toBe(kind);
  });
});

describe('GitlabCiClient', () => {
  it('reads the pipelines of the commit and their jobs, with the token', async () => {
    const seen: Request[] = [];
    serveRecorded(seen);
    const runs = await client().runsForCommit('acme/checkout', SHA);
    expect(runs).toEqual([
      {
        id: 47,
        name: 'Build pipeline',
        headSha: SHA,
        status: 'pending',
        url: 'https://example.com/foo/bar/pipelines/47',
        createdAt: '2016-08-11T11:28:34.085Z',
        updatedAt: '2016-08-11T11:32:35.169Z',
        jobs: [
          {
            name: 'rspec:other',
            kind: 'test',
            status: 'completed',
            conclusion: 'failure',
            startedAt: '2015-12-24T17:54:24.729Z',
            completedAt: '2015-12-24T17:54:24.921Z',
            url: 'https://example.com/foo/bar/-/jobs/6',
          },
          {
            name: 'teaspoon',
            kind: 'test',
            status: 'completed',
            conclusion: 'failure',
            startedAt: '2015-12-24T17:54:27.722Z',
            completedAt: '2015-12-24T17:54:27.895Z',
            url: 'https://example.com/foo/bar/-/jobs/7',
          },
        ],
      },
    ]);
    expect(seen.map(r => new URL(r.url).pathname)).toEqual([
      '/api/v4/projects/acme%2Fcheckout/pipelines',
      '/api/v4/projects/acme%2Fcheckout/pipelines/47/jobs',
    ]);
    expect(new URL(seen[0].url).searchParams.get('sha')).toBe(SHA);
    expect(seen.every(r => r.headers.get('authorization'))).toBe(true);
    expect(seen[0].headers.get('authorization')).toBe(`Bearer ${TOKEN}`);
    expect(ciStatus(runs)).toMatchObject({
      status: 'running',
      message: 'Build pipeline: pending',
    });
  });

  it('takes a numeric project id as it is', async () => {
    const seen: Request[] = [];
    serveRecorded(seen);
    await client().runsForCommit('278964', SHA);
    expect(new URL(seen[0].url).pathname).toBe(
      '/api/v4/projects/278964/pipelines',
    );
  });

  it('finds no pipeline for a commit GitLab has none for', async () => {
    const seen: Request[] = [];
    serveRecorded(seen);
    const runs = await client().runsForCommit('acme/checkout', OTHER_SHA);
    expect(runs).toEqual([]);
    expect(seen).toHaveLength(1);
    expect(ciStatus(runs).status).toBe('waiting');
  });

  it('refuses a project that is neither an id nor a path, without a call', async () => {
    const seen: Request[] = [];
    serveRecorded(seen);
    for (const project of ['../../users', 'checkout', 'a/b?sha=x', '0']) {
      await expect(client().runsForCommit(project, SHA)).rejects.toThrow(
        /neither a project id nor group\/project/,
      );
    }
    expect(seen).toEqual([]);
  });

  it('says that GitLab refused the token on 401', async () => {
    server.use(
      http.get(`${API}/projects/:id/pipelines`, () =>
        HttpResponse.json({ message: '401 Unauthorized' }, { status: 401 }),
      ),
    );
    const error = await client()
      .runsForCommit('acme/checkout', SHA)
      .catch(e => e);
    expect(error).toBeInstanceOf(GitlabCiError);
    expect(error.httpStatus).toBe(401);
    expect(error.message).toBe(
      'GitLab refused the configured token (HTTP 401): 401 Unauthorized',
    );
  });

  it('says that the project was not found on 404', async () => {
    server.use(
      http.get(`${API}/projects/:id/pipelines`, () =>
        HttpResponse.json(
          { message: '404 Project Not Found' },
          { status: 404 },
        ),
      ),
    );
    await expect(
      client().runsForCommit('acme/gone', SHA),
    ).rejects.toMatchObject({
      httpStatus: 404,
      message:
        'GitLab: project not found or not visible to the configured token (HTTP 404): 404 Project Not Found',
    });
  });

  it('never passes on the token when GitLab echoes it in an error', async () => {
    server.use(
      http.get(`${API}/projects/:id/pipelines`, () =>
        HttpResponse.json(
          {
            error: 'invalid_token',
            error_description: `Token ${TOKEN} was revoked. You have to re-authorize from the user.`,
          },
          { status: 401 },
        ),
      ),
      http.get(`${API}/projects/:id/pipelines/:pipeline/jobs`, () =>
        HttpResponse.json(
          { message: `500 Internal Server Error (${TOKEN})` },
          { status: 500 },
        ),
      ),
    );
    const refused = await client()
      .runsForCommit('acme/checkout', SHA)
      .catch(e => e);
    expect(refused.message).toBe(
      'GitLab refused the configured token (HTTP 401): Token *** was revoked. You have to re-authorize from the user.',
    );
    serveRecordedPipelinesOnly();
    const failed = await client()
      .runsForCommit('acme/checkout', SHA)
      .catch(e => e);
    expect(failed.message).toBe(
      'GitLab answered (HTTP 500): 500 Internal Server Error (***)',
    );
    expect(JSON.stringify([refused, failed, refused.stack])).not.toContain(
      TOKEN,
    );
  });

  it('registers the integrations tokens with the shared redactor', () => {
    const redactor = createSecretRedactor();
    client(redactor);
    expect(redactor.redact(`token=${TOKEN}`)).toBe('token=***');
  });
});

function serveRecordedPipelinesOnly() {
  server.use(
    http.get(`${API}/projects/:id/pipelines`, () =>
      HttpResponse.json(pipelines.filter(p => p.sha === SHA)),
    ),
  );
}
