import { jsonFixture } from 'delivery-test-data';
import { commitSha } from '../ids';
import type { Sandbox } from '../server';
import { shapeDiff } from '../shapeDiff';
import { ARGO_AUTH, getJson, testSandbox } from '../testUtils';

describe('GitHub compare and Argo CD manifests (what a promotion changes)', () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = await testSandbox('demo');
  });
  afterAll(() => sandbox.close());

  const checkout = () =>
    sandbox.world.services.find(s => s.name === 'checkout')!;

  it('compares two releases in the shape of GitHub’s recorded example', async () => {
    const { versions, repository } = checkout();
    const base = commitSha('checkout', versions[0]);
    const head = commitSha('checkout', versions[versions.length - 1]);
    const res = await getJson(
      `${sandbox.url}/github/repos/${repository}/compare/${base}...${head}`,
    );
    expect(res.status).toBe(200);
    expect(
      shapeDiff(res.body, jsonFixture('github/compare-commits.json')),
    ).toEqual([]);
    expect(res.body).toMatchObject({
      status: 'ahead',
      ahead_by: versions.length - 1,
      behind_by: 0,
      total_commits: versions.length - 1,
    });
    expect(res.body.commits.map((c: any) => c.sha)).toEqual(
      versions.slice(1).map(v => commitSha('checkout', v)),
    );
    expect(res.body.commits[0].commit.message).toMatch(
      new RegExp(`^release: checkout ${versions[1]} \\(#\\d+\\)`),
    );
    // the other way round: behind, no commits
    const back = await getJson(
      `${sandbox.url}/github/repos/${repository}/compare/${head.slice(
        0,
        7,
      )}...${base.slice(0, 7)}`,
    );
    expect(back.body).toMatchObject({
      status: 'behind',
      behind_by: versions.length - 1,
      commits: [],
    });
    const unknown = await getJson(
      `${sandbox.url}/github/repos/${repository}/compare/${base}...deadbeef00`,
    );
    expect(unknown.status).toBe(404);
    expect(unknown.body.message).toBe('Not Found');
  });

  it('renders an application’s manifests at a revision', async () => {
    const { versions, image } = checkout();
    const older = versions[0];
    const res = await getJson(
      `${
        sandbox.url
      }/argocd/main/api/v1/applications/checkout-staging/manifests?revision=${commitSha(
        'checkout',
        older,
      )}`,
      { headers: ARGO_AUTH },
    );
    expect(res.status).toBe(200);
    expect(res.body.revision).toBe(commitSha('checkout', older));
    const objects = res.body.manifests.map((m: string) => JSON.parse(m));
    const deployment = objects.find((o: any) => o.kind === 'Deployment');
    expect(deployment.spec.template.spec.containers[0].image).toBe(
      `${image}:${older}`,
    );
    const bad = await getJson(
      `${sandbox.url}/argocd/main/api/v1/applications/checkout-staging/manifests?revision=0000000`,
      { headers: ARGO_AUTH },
    );
    expect(bad.status).toBeGreaterThanOrEqual(400);
    expect(bad.body.message).toMatch(/unable to resolve '0000000'/);
  });
});
