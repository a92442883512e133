import { jsonFixture } from 'delivery-test-data';
import { ARGO_AUTH, getJson, testSandbox } from '../testUtils';
import { shapeDiff } from '../shapeDiff';
import type { Sandbox } from '../server';

describe('GitLab CI', () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = await testSandbox('demo');
  });
  afterAll(() => sandbox.close());

  const api = (path: string) =>
    getJson(`${sandbox.url}/gitlab/api/v4${path}`, {
      headers: { authorization: 'Bearer sandbox-gitlab-token' },
    });

  async function deployedSha() {
    const app = await getJson(
      `${sandbox.url}/argocd/main/api/v1/applications/payments-production`,
      { headers: ARGO_AUTH },
    );
    return app.body.status.sync.revision as string;
  }

  it('lists the pipeline of a sha and its five jobs in the recorded shapes', async () => {
    const sha = await deployedSha();
    const pipelines = await api(
      `/projects/acme%2Fpayments/pipelines?sha=${sha}`,
    );
    expect(pipelines.status).toBe(200);
    expect(
      shapeDiff(pipelines.body, jsonFixture('gitlab/pipelines-list.json')),
    ).toEqual([]);
    expect(pipelines.body).toHaveLength(1);
    const [pipeline] = pipelines.body;
    expect(pipeline).toMatchObject({ sha, ref: 'main', status: 'failed' });

    const jobs = await api(
      `/projects/acme%2Fpayments/pipelines/${pipeline.id}/jobs?per_page=100`,
    );
    expect(jobs.status).toBe(200);
    expect(
      shapeDiff(jobs.body, jsonFixture('gitlab/pipeline-jobs.json')),
    ).toEqual([]);
    expect(jobs.body.map((j: any) => [j.name, j.stage, j.status])).toEqual([
      ['container_scanning', 'test', 'failed'],
      ['docker-build', 'package', 'success'],
      ['semgrep-sast', 'test', 'success'],
      ['unit-test', 'test', 'success'],
      ['build', 'build', 'success'],
    ]);
    expect(jobs.body.every((j: any) => j.pipeline.sha === sha)).toBe(true);
  });

  it('answers the same project by its numeric id', async () => {
    const sha = await deployedSha();
    const byPath = await api(`/projects/acme%2Fpayments/pipelines?sha=${sha}`);
    const byId = await api(
      `/projects/${byPath.body[0].project_id}/pipelines?sha=${sha}`,
    );
    expect(byId.body).toEqual(byPath.body);
  });

  it('lists nothing for an unknown sha and 404s an unknown project or pipeline', async () => {
    const none = await api(
      `/projects/acme%2Fpayments/pipelines?sha=${'0'.repeat(40)}`,
    );
    expect(none).toMatchObject({ status: 200, body: [] });
    expect(await api('/projects/acme%2Fnope/pipelines')).toMatchObject({
      status: 404,
      body: { message: '404 Project Not Found' },
    });
    expect(
      (await api('/projects/acme%2Fpayments/pipelines/1/jobs')).status,
    ).toBe(404);
  });
});
