import { registerMswTestHooks } from '@backstage/backend-test-utils';
import {
  deliveryApplicationRollbackPermission,
  type ApplicationActionRequest,
  type AuditPage,
} from '@gitops-delivery/backstage-plugin-delivery-common';
import {
  fakeArgoCdHandlers,
  type FakeArgoCdCall,
} from '@gitops-delivery/backstage-plugin-delivery-node/testUtils';
import { setupServer } from 'msw/node';
import request from 'supertest';
import { createWorld } from '../__testUtils__/world';
import {
  PASSING_POLICY,
  deliveryConfig,
  passthroughBackend,
  permissionsDenying,
  startActionsBackend,
} from '../actions/__testUtils__/actionsWorld';
import { fakeGithubGitData } from './gitops/__testUtils__/fakeGithubGitData';

const server = setupServer();
registerMswTestHooks(server);

const PATH =
  '/api/delivery/v1/entities/default/component/search/applications/actions';
const AUDIT_PATH = '/api/delivery/v1/entities/default/component/search/audit';
const APP = 'search-production';
const TOKEN = 'ghp_RollbackPullRequestToken0123456789';
/** The revision of the recorded guestbook Application (its history entries). */
const REVISION = '6bed858de32a0e876ec49dad1a2e3c5840d3fb07';

/** integrations.github with a token, and the app's address for the audit link. */
const CONFIG = {
  app: { baseUrl: 'http://localhost:3000' },
  integrations: { github: [{ host: 'github.com', token: TOKEN }] },
};

let counter = 0;
function body(
  overrides: Partial<ApplicationActionRequest> = {},
): ApplicationActionRequest {
  counter++;
  return {
    environment: 'production',
    application: APP,
    action: 'rollback',
    historyId: 3,
    reason: 'checkout errors since 1.4',
    idempotencyKey: `gitops-key-${counter}-${Date.now()}`,
    ...overrides,
  };
}

/**
 * The world's search-production with auto-sync on and two history entries;
 * its source is the recorded guestbook's (github.com/argoproj/
 * argocd-example-apps, path guestbook, HEAD), served by a fake GitHub.
 */
function setup(
  options: { failPulls?: { status: number; body: unknown } } = {},
) {
  const world = createWorld();
  const app = world.main.applications!.find(a => a.metadata.name === APP)!;
  const status = app.status as { history: Array<Record<string, unknown>> };
  status.history = [
    { ...status.history[0], id: 3 },
    { ...status.history[0], id: 4 },
  ];
  app.spec = { ...app.spec, syncPolicy: { automated: { prune: true } } };
  const argocdCalls: FakeArgoCdCall[] = [];
  const github = fakeGithubGitData({
    owner: 'argoproj',
    repo: 'argocd-example-apps',
    path: 'guestbook',
    failPulls: options.failPulls,
  });
  server.use(
    passthroughBackend,
    ...github.handlers,
    ...fakeArgoCdHandlers(world, argocdCalls),
  );
  const argocdWrites = () =>
    argocdCalls.filter(
      c => c.method === 'POST' && c.path.startsWith('/api/v1/app'),
    );
  const githubWrites = () => github.calls.filter(c => c.method === 'POST');
  return { github, argocdWrites, githubWrites };
}

describe('a rollback of an Application with auto-sync on (GitOps)', () => {
  it('opens a pull request restoring the path at the entry, audited, without calling Argo CD', async () => {
    const { github, argocdWrites, githubWrites } = setup();
    const { server: app } = await startActionsBackend({ config: CONFIG });
    const res = await request(app).post(PATH).send(body());
    expect(res.body.error?.message).toBeUndefined();
    expect(res.status).toBe(200);
    const { record, pullRequest } = res.body;
    expect(record).toMatchObject({
      action: 'rollback',
      decision: 'allowed',
      outcome: 'succeeded',
      upstreamStatus: 201,
      reason: 'checkout errors since 1.4',
      message: `rollback to history 3 (revision ${REVISION.slice(
        0,
        12,
      )}) through a pull request on argoproj/argocd-example-apps: pull request #1347 opened on argoproj/argocd-example-apps`,
    });
    expect(pullRequest).toEqual({
      repository: 'argoproj/argocd-example-apps',
      repoURL: 'https://github.com/argoproj/argocd-example-apps',
      number: 1347,
      url: 'https://github.com/argoproj/argocd-example-apps/pull/1347',
      branch: `delivery/rollback-${APP}-${record.id.slice(0, 8)}`,
      base: 'master',
      revision: REVISION,
      path: 'guestbook',
      environment: 'production',
      application: APP,
      recordId: record.id,
      tracking: 'open',
    });
    expect(record.pullRequest).toEqual(pullRequest);
    expect(argocdWrites()).toEqual([]);

    // the path's tree at the revision replaces it on the default branch's head
    const [tree, commit, ref, pull] = githubWrites();
    expect(tree).toMatchObject({
      path: '/git/trees',
      body: {
        base_tree: expect.any(String),
        tree: [
          {
            path: 'guestbook',
            mode: '040000',
            type: 'tree',
            sha: github.pathTreeAt(REVISION),
          },
        ],
      },
    });
    expect(commit.body.parents).toEqual([github.head]);
    expect(ref.body).toEqual({
      ref: `refs/heads/${pullRequest.branch}`,
      sha: expect.stringMatching(/^[0-9a-f]{40}$/),
    });
    expect(pull.body).toMatchObject({
      title: `Roll back ${APP} to ${REVISION.slice(0, 12)}`,
      head: pullRequest.branch,
      base: 'master',
    });
    // who asked, why, and the audit record on the tab
    expect(pull.body.body).toContain('Requested by: user:default/mock');
    expect(pull.body.body).toContain('Reason: checkout errors since 1.4');
    expect(pull.body.body).toContain(
      `http://localhost:3000/catalog/default/component/search/delivery?audit=${record.id}`,
    );
    // with the integration's credentials
    expect(new Set(github.calls.map(c => c.authorization))).toEqual(
      new Set([`Bearer ${TOKEN}`]),
    );

    const audit = await request(app).get(`${AUDIT_PATH}?action=rollback`);
    expect((audit.body as AuditPage).items[0]).toMatchObject({
      id: record.id,
      pullRequest: { number: 1347, tracking: 'open' },
    });
  });

  it('answers 403 without delivery.application.rollback, opening nothing', async () => {
    const { github } = setup();
    const { server: app } = await startActionsBackend({
      config: CONFIG,
      permissions: permissionsDenying(
        deliveryApplicationRollbackPermission.name,
      ),
    });
    const res = await request(app).post(PATH).send(body());
    expect(res.status).toBe(403);
    expect(github.calls).toEqual([]);
  });

  it('is blocked by the change window with 409 and the gates, recorded, opening nothing', async () => {
    const { github } = setup();
    const { server: app } = await startActionsBackend({
      config: CONFIG,
      delivery: deliveryConfig({
        policies: {
          passing: {
            gates: [
              ...PASSING_POLICY.gates,
              {
                kind: 'change-window',
                name: 'freeze',
                timeZone: 'UTC',
                freezes: [
                  {
                    name: 'always',
                    days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'],
                    from: '00:00',
                    to: '23:59',
                  },
                ],
              },
            ],
          },
        },
      }),
    });
    const res = await request(app).post(PATH).send(body());
    expect(res.status).toBe(409);
    expect(res.body.error.gates.map((g: any) => [g.name, g.outcome])).toEqual([
      ['freeze', 'fail'],
    ]);
    expect(res.body.error.record).toMatchObject({
      decision: 'blocked',
      outcome: 'rejected',
    });
    expect(github.calls).toEqual([]);
  });

  it("is held to the vulnerabilities gate on the target entry's images (no scan: unknown, closed)", async () => {
    const { github } = setup();
    const { server: app } = await startActionsBackend({
      config: CONFIG,
      delivery: deliveryConfig({
        policies: {
          passing: {
            gates: [
              ...PASSING_POLICY.gates,
              { kind: 'vulnerabilities', max: { CRITICAL: 0, HIGH: 0 } },
            ],
          },
        },
      }),
    });
    const res = await request(app).post(PATH).send(body());
    expect(res.status).toBe(409);
    expect(res.body.error.gates).toEqual([
      expect.objectContaining({ kind: 'vulnerabilities', blocking: true }),
    ]);
    expect(github.calls).toEqual([]);
  });

  it("records GitHub's failure as failed (503), with no credential in the answer", async () => {
    const { githubWrites } = setup({
      failPulls: {
        status: 502,
        body: { message: `upstream rejected Authorization: token ${TOKEN}` },
      },
    });
    const { server: app } = await startActionsBackend({ config: CONFIG });
    const res = await request(app).post(PATH).send(body());
    expect(res.status).toBe(503);
    expect(res.body.error.record).toMatchObject({
      outcome: 'failed',
      upstreamStatus: 502,
    });
    expect(res.body.error.message).toContain(
      'GitHub did not open the pull request',
    );
    expect(JSON.stringify(res.body)).not.toContain(TOKEN);
    expect(githubWrites().map(c => c.path)).toContain('/pulls');
    const audit = await request(app).get(AUDIT_PATH);
    expect(JSON.stringify(audit.body)).not.toContain(TOKEN);
  });

  it('replays a repeated idempotency key with the same pull request, opening one', async () => {
    const { githubWrites } = setup();
    const { server: app } = await startActionsBackend({ config: CONFIG });
    const first = body();
    const a = await request(app).post(PATH).send(first);
    const b = await request(app).post(PATH).send(first);
    expect(a.status).toBe(200);
    expect(b.status).toBe(200);
    expect(b.body.record.id).toBe(a.body.record.id);
    expect(b.body.pullRequest).toEqual(a.body.pullRequest);
    expect(githubWrites().filter(c => c.path === '/pulls')).toHaveLength(1);
  });
});
