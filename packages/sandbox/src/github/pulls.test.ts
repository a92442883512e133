import { jsonFixture } from 'delivery-test-data';
import { commitSha } from '../ids';
import { shapeDiff } from '../shapeDiff';
import type { Sandbox } from '../server';
import { SYNC_DURATION_MS } from '../world/state';
import { ARGO_AUTH, getJson, testSandbox } from '../testUtils';
import { AUTO_MERGE_MS } from './pulls';

describe('GitHub git data and pull requests (the GitOps rollback)', () => {
  let sandbox: Awaited<ReturnType<typeof testSandbox>>;
  beforeEach(async () => {
    sandbox = await testSandbox('demo');
  });
  afterEach(() => (sandbox as Sandbox).close());

  const checkout = () =>
    sandbox.world.services.find(s => s.name === 'checkout')!;
  const staging = () =>
    sandbox.world.apps.find(a => a.name === 'checkout-staging')!;
  const api = () => `${sandbox.url}/github/repos/acme/checkout`;
  const post = (path: string, body: unknown) =>
    getJson(`${api()}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });

  /** The backend's calls: restore deploy/staging to the release before the newest. */
  async function openRestore() {
    const { versions } = checkout();
    const target = commitSha('checkout', versions[versions.length - 2]);
    const ref = await getJson(`${api()}/git/ref/heads/main`);
    expect(ref.status).toBe(200);
    const head = await getJson(`${api()}/git/commits/${ref.body.object.sha}`);
    let tree = (await getJson(`${api()}/git/commits/${target}`)).body.tree.sha;
    for (const segment of ['deploy', 'staging']) {
      const t = await getJson(`${api()}/git/trees/${tree}`);
      tree = t.body.tree.find((e: any) => e.path === segment).sha;
    }
    const newTree = await post('/git/trees', {
      base_tree: head.body.tree.sha,
      tree: [
        { path: 'deploy/staging', mode: '040000', type: 'tree', sha: tree },
      ],
    });
    expect(newTree.status).toBe(201);
    const commit = await post('/git/commits', {
      message: 'Roll back checkout-staging',
      tree: newTree.body.sha,
      parents: [ref.body.object.sha],
    });
    expect(commit.status).toBe(201);
    const branch = await post('/git/refs', {
      ref: 'refs/heads/delivery/rollback-checkout-staging-1',
      sha: commit.body.sha,
    });
    expect(branch.status).toBe(201);
    const pull = await post('/pulls', {
      title: 'Roll back checkout-staging',
      head: 'delivery/rollback-checkout-staging-1',
      base: 'main',
      body: 'Requested by user:default/guest',
    });
    return { pull, previous: versions[versions.length - 2] };
  }

  it('opens a pull request that, merged, makes the auto-synced Application sync the restored release', async () => {
    const { pull, previous } = await openRestore();
    expect(pull.status).toBe(201);
    expect(pull.body).toMatchObject({
      number: 200,
      state: 'open',
      merged: false,
      html_url: 'https://github.com/acme/checkout/pull/200',
      head: { ref: 'delivery/rollback-checkout-staging-1' },
      base: { ref: 'main' },
    });
    expect(staging().autoSync).toBe(true);
    // GitHub's recorded example; null where GitHub's schema allows it (an
    // open pull request has no merge, milestone or assignee)
    expect(
      shapeDiff(pull.body, jsonFixture('github/pull-request.json')).filter(
        d => !/: null where the fixture has /.test(d),
      ),
    ).toEqual([]);

    const merged = await getJson(`${api()}/pulls/200/merge`, { method: 'PUT' });
    expect(merged.body).toMatchObject({
      merged: true,
      message: 'Pull Request successfully merged',
    });
    const after = await getJson(`${api()}/pulls/200`);
    expect(after.body).toMatchObject({
      state: 'closed',
      merged: true,
      merge_commit_sha: merged.body.sha,
    });
    // the other environments' paths did not change
    expect(staging().targetVersion).toBe(previous);
    expect(
      sandbox.world.apps.find(a => a.name === 'checkout-dev')!.targetVersion,
    ).not.toBe(previous);

    sandbox.clock.advance(SYNC_DURATION_MS + 1000);
    const app = await getJson(
      `${sandbox.url}/argocd/main/api/v1/applications/checkout-staging`,
      { headers: ARGO_AUTH },
    );
    expect(app.body.status.sync).toMatchObject({
      status: 'Synced',
      revision: commitSha('checkout', previous),
    });
    expect(app.body.status.operationState.phase).toBe('Succeeded');
  });

  it('merges an open pull request by itself after a while', async () => {
    await openRestore();
    sandbox.clock.advance(AUTO_MERGE_MS);
    const after = await getJson(`${api()}/pulls/200`);
    expect(after.body).toMatchObject({ state: 'closed', merged: true });
  });

  it("answers GitHub's 404 and 422 for what does not exist", async () => {
    expect((await getJson(`${api()}/pulls/999`)).status).toBe(404);
    expect((await getJson(`${api()}/git/trees/${'0'.repeat(40)}`)).status).toBe(
      404,
    );
    expect(
      (await post('/git/refs', { ref: 'refs/heads/main', sha: 'x' })).status,
    ).toBe(422);
  });
});
