import type { Sandbox } from '../server';
import { ARGO_AUTH, getJson, testSandbox } from '../testUtils';
import type { Clock } from '../clock';
import { SYNC_DURATION_MS } from '../world/state';

/** Sync, refresh and rollback as Argo CD runs them: an operation that runs and finishes. */
describe('Argo CD operations', () => {
  let sandbox: Sandbox & { clock: Clock };
  const app = (name: string) =>
    `${sandbox.url}/argocd/main/api/v1/applications/${name}`;
  const get = (url: string) => getJson(url, { headers: ARGO_AUTH });
  const post = (url: string, body: unknown) =>
    getJson(url, {
      method: 'POST',
      headers: { ...ARGO_AUTH, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });

  beforeEach(async () => {
    sandbox = await testSandbox('demo');
  });
  afterEach(() => sandbox.close());

  it('runs a sync of the picked resources and finishes it', async () => {
    const before = (await get(app('search-production'))).body;
    const rollout = before.status.resources.find(
      (r: any) => r.kind === 'Rollout',
    );
    const started = await post(`${app('search-production')}/sync`, {
      prune: true,
      resources: [
        {
          group: rollout.group,
          kind: rollout.kind,
          namespace: rollout.namespace,
          name: rollout.name,
        },
      ],
    });
    expect(started.status).toBe(200);
    expect(started.body.operation.sync).toMatchObject({
      prune: true,
      resources: [{ kind: 'Rollout', name: rollout.name }],
    });
    expect(started.body.status.operationState.phase).toBe('Running');
    expect(started.body.status.operationState.finishedAt).toBeUndefined();

    sandbox.clock.advance(SYNC_DURATION_MS);
    const done = (await get(app('search-production'))).body;
    expect(done.operation).toBeUndefined();
    expect(done.status.operationState).toMatchObject({
      phase: 'Succeeded',
      message: 'successfully synced (all tasks run)',
      operation: { initiatedBy: { username: 'admin' } },
    });
    expect(
      done.status.operationState.syncResult.resources.map((r: any) => r.kind),
    ).toEqual(['Rollout']);
    expect(done.status.history.length).toBe(before.status.history.length + 1);
  });

  it('refuses a sync of a resource the application does not manage', async () => {
    const res = await post(`${app('search-production')}/sync`, {
      resources: [{ group: 'apps', kind: 'Deployment', name: 'nope' }],
    });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({
      code: 3,
      message:
        'Deployment apps nope not found as part of application search-production',
    });
  });

  it('reconciles on a normal or hard refresh', async () => {
    sandbox.clock.advance(60_000);
    const plain = (await get(app('search-production'))).body;
    const now = Date.parse(plain.status.reconciledAt) + 30_000;
    expect(Date.parse(plain.status.reconciledAt)).toBeLessThan(now);
    for (const mode of ['normal', 'hard']) {
      const refreshed = await get(
        `${app('search-production')}?refresh=${mode}`,
      );
      expect(refreshed.status).toBe(200);
      expect(Date.parse(refreshed.body.status.reconciledAt)).toBe(now);
    }
  });

  it('rolls back to a history entry where auto-sync is off, and refuses it where it is on', async () => {
    const before = (await get(app('payments-production'))).body;
    const target = before.status.history[0];
    const started = await post(`${app('payments-production')}/rollback`, {
      id: target.id,
    });
    expect(started.status).toBe(200);
    sandbox.clock.advance(SYNC_DURATION_MS);
    const done = (await get(app('payments-production'))).body;
    expect(done.status.operationState.phase).toBe('Succeeded');
    const newest = done.status.history[done.status.history.length - 1];
    expect(newest.revision).toBe(target.revision);

    const refused = await post(`${app('payments-dev')}/rollback`, { id: 0 });
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({
      code: 9,
      message: 'rollback cannot be initiated when auto-sync is enabled',
    });
    const unknown = await post(`${app('payments-production')}/rollback`, {
      id: 999,
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body.message).toBe(
      'application payments-production does not have deployment with id 999',
    );
  });
});
