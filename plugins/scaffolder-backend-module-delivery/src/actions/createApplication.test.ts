import { registerMswTestHooks } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { argocdSwagger } from 'delivery-test-data';
import { setupServer } from 'msw/node';
import { createFakeArgoCd } from '@gitops-delivery/backstage-plugin-delivery-node/testUtils';
import { createArgoCdApplicationAction } from './createApplication';

const BASE = 'http://argocd.test/argocd/main';

const config = new ConfigReader({
  delivery: {
    argocd: {
      instances: [
        { name: 'main', url: BASE, token: 'secret-token-1' },
        {
          name: 'nonprod',
          url: 'http://argocd.test/argocd/nonprod',
          username: 'admin',
          password: 'secret-password',
        },
      ],
    },
  },
});

const input = {
  instance: 'main',
  name: 'payments-api-production',
  project: 'default',
  repoUrl: 'https://github.com/acme/payments-api.git',
  path: 'deploy/overlays/production',
  destinationNamespace: 'payments-api-production',
  labels: {
    app: 'payments-api',
    environment: 'production',
    'backstage.io/entity-ref': 'component.default.payments-api',
  },
};

const defaultProject = {
  metadata: { name: 'default' },
  spec: {
    sourceRepos: ['*'],
    destinations: [{ server: '*', namespace: '*' }],
  },
};

describe('delivery:argocd:create-application', () => {
  const server = setupServer();
  registerMswTestHooks(server);
  const action = createArgoCdApplicationAction({ config });

  function fake(options: Partial<Parameters<typeof createFakeArgoCd>[0]> = {}) {
    const argocd = createFakeArgoCd({
      contract: argocdSwagger(),
      baseUrl: BASE,
      tokens: ['secret-token-1'],
      projects: [defaultProject],
      ...options,
    });
    server.use(...argocd.handlers);
    return argocd;
  }

  it('creates the Application in an existing project', async () => {
    const argocd = fake();
    const ctx = createMockActionContext({ input });
    await action.handler(ctx);

    expect(argocd.writes()).toEqual([
      expect.objectContaining({
        method: 'POST',
        path: '/api/v1/applications',
        search: '?upsert=false&validate=true',
      }),
    ]);
    const app = argocd.applications.get('payments-api-production');
    expect(app).toEqual({
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Application',
      metadata: {
        name: 'payments-api-production',
        labels: input.labels,
        annotations: {},
      },
      spec: {
        project: 'default',
        source: {
          repoURL: 'https://github.com/acme/payments-api.git',
          path: 'deploy/overlays/production',
          targetRevision: 'HEAD',
        },
        destination: {
          server: 'https://kubernetes.default.svc',
          namespace: 'payments-api-production',
        },
        syncPolicy: {
          automated: { prune: true, selfHeal: true },
          syncOptions: ['CreateNamespace=true'],
        },
      },
    });
    expect(ctx.output).toHaveBeenCalledWith('operation', 'created');
    expect(ctx.output).toHaveBeenCalledWith('projectOperation', 'reused');
    expect(ctx.output).toHaveBeenCalledWith('dryRun', false);
    expect(ctx.output).toHaveBeenCalledWith(
      'url',
      `${BASE}/applications/payments-api-production`,
    );
  });

  it('updates an Application that differs, keeping labels it does not set', async () => {
    const argocd = fake({
      applications: [
        {
          metadata: {
            name: 'payments-api-production',
            labels: { team: 'payments', environment: 'prod' },
          },
          spec: {
            project: 'default',
            source: {
              repoURL: 'https://github.com/acme/payments-api.git',
              path: 'deploy/old',
              targetRevision: 'main',
            },
            destination: {
              server: 'https://kubernetes.default.svc',
              namespace: 'payments-api-production',
            },
          },
          status: { sync: { status: 'Synced' } },
        },
      ],
    });
    const ctx = createMockActionContext({ input });
    await action.handler(ctx);

    expect(argocd.writes().map(c => `${c.method} ${c.path}`)).toEqual([
      'PUT /api/v1/applications/payments-api-production',
    ]);
    const app = argocd.applications.get('payments-api-production');
    expect(app.metadata.labels).toEqual({ team: 'payments', ...input.labels });
    expect(app.spec.source.path).toBe('deploy/overlays/production');
    expect(app.spec.source.targetRevision).toBe('HEAD');
    expect(app.status).toBeUndefined();
    expect(ctx.output).toHaveBeenCalledWith('operation', 'updated');
  });

  it('is idempotent: a second run writes nothing', async () => {
    const argocd = fake();
    await action.handler(createMockActionContext({ input }));
    const ctx = createMockActionContext({ input });
    await action.handler(ctx);

    expect(argocd.writes()).toHaveLength(1);
    expect(ctx.output).toHaveBeenCalledWith('operation', 'unchanged');
  });

  it('reuses an existing project and lets a managed one permit the new destination', async () => {
    const argocd = fake({
      projects: [
        {
          metadata: { name: 'payments' },
          spec: {
            sourceRepos: ['https://github.com/acme/*'],
            destinations: [
              {
                server: 'https://kubernetes.default.svc',
                namespace: 'payments-api-dev',
              },
            ],
          },
        },
      ],
    });
    const ctx = createMockActionContext({
      input: { ...input, project: 'payments', createProject: true },
    });
    await action.handler(ctx);

    expect(argocd.writes().map(c => `${c.method} ${c.path}`)).toEqual([
      'PUT /api/v1/projects/payments',
      'POST /api/v1/applications',
    ]);
    expect(argocd.projects.get('payments').spec).toEqual({
      sourceRepos: ['https://github.com/acme/*'],
      destinations: [
        {
          server: 'https://kubernetes.default.svc',
          namespace: 'payments-api-dev',
        },
        {
          server: 'https://kubernetes.default.svc',
          namespace: 'payments-api-production',
        },
      ],
    });
    expect(ctx.output).toHaveBeenCalledWith('projectOperation', 'updated');
  });

  it('reuses a project that already permits the Application without writing it', async () => {
    const argocd = fake();
    const ctx = createMockActionContext({
      input: { ...input, createProject: true },
    });
    await action.handler(ctx);
    expect(argocd.writes().map(c => `${c.method} ${c.path}`)).toEqual([
      'POST /api/v1/applications',
    ]);
    expect(ctx.output).toHaveBeenCalledWith('projectOperation', 'reused');
  });

  it('creates a missing project when asked to', async () => {
    const argocd = fake({ projects: [] });
    const ctx = createMockActionContext({
      input: { ...input, project: 'payments-api', createProject: true },
    });
    await action.handler(ctx);

    expect(argocd.writes().map(c => `${c.method} ${c.path}`)).toEqual([
      'POST /api/v1/projects',
      'POST /api/v1/applications',
    ]);
    expect(argocd.projects.get('payments-api')).toEqual({
      metadata: {
        name: 'payments-api',
        labels: { 'app.kubernetes.io/managed-by': 'backstage-delivery' },
      },
      spec: {
        description: 'Created by Backstage for payments-api-production',
        sourceRepos: ['https://github.com/acme/payments-api.git'],
        destinations: [
          {
            server: 'https://kubernetes.default.svc',
            namespace: 'payments-api-production',
          },
        ],
      },
    });
    expect(ctx.output).toHaveBeenCalledWith('projectOperation', 'created');
  });

  it('fails when the project is missing and may not be created', async () => {
    const argocd = fake({ projects: [] });
    await expect(
      action.handler(
        createMockActionContext({ input: { ...input, project: 'nope' } }),
      ),
    ).rejects.toThrow(
      'project: AppProject "nope" does not exist on Argo CD instance "main"; choose an existing project or set createProject',
    );
    expect(argocd.writes()).toEqual([]);
  });

  it('dry run: reads, writes nothing and reports what would happen', async () => {
    const argocd = fake({ projects: [] });
    const ctx = {
      ...createMockActionContext({
        input: { ...input, project: 'payments-api', createProject: true },
      }),
      isDryRun: true,
    };
    await action.handler(ctx);

    expect(argocd.writes()).toEqual([]);
    expect(argocd.calls.map(c => `${c.method} ${c.path}`)).toEqual([
      'GET /api/v1/projects/payments-api',
    ]);
    expect(ctx.output).toHaveBeenCalledWith('projectOperation', 'created');
    expect(ctx.output).toHaveBeenCalledWith('operation', 'created');
    expect(ctx.output).toHaveBeenCalledWith('dryRun', true);
    expect(ctx.output).toHaveBeenCalledWith('warnings', []);
  });

  it('dry run of an existing, different Application reports an update', async () => {
    const argocd = fake();
    await action.handler(createMockActionContext({ input }));
    const ctx = {
      ...createMockActionContext({ input: { ...input, autoSync: false } }),
      isDryRun: true,
    };
    await action.handler(ctx);
    expect(argocd.writes()).toHaveLength(1);
    expect(ctx.output).toHaveBeenCalledWith('operation', 'updated');
  });

  it('dry run: an unreachable read becomes a warning, not a failure', async () => {
    fake({ tokens: ['another-token'] });
    const ctx = { ...createMockActionContext({ input }), isDryRun: true };
    await action.handler(ctx);
    expect(ctx.output).toHaveBeenCalledWith('warnings', [
      expect.stringContaining('Dry run: could not read AppProject "default"'),
      expect.stringContaining(
        'Dry run: could not read Application "payments-api-production"',
      ),
    ]);
    expect(ctx.output).toHaveBeenCalledWith('operation', 'created');
  });

  it('401: fails with a clear message that carries no credential', async () => {
    const argocd = fake({ tokens: ['another-token'] });
    const promise = action.handler(createMockActionContext({ input }));
    await expect(promise).rejects.toThrow(
      'Argo CD instance "main": GET /api/v1/projects/default answered HTTP 401: no session information (check the instance\'s token or username/password in delivery.argocd)',
    );
    await expect(promise).rejects.toMatchObject({
      name: 'AuthenticationError',
    });
    const error = await promise.catch(e => e);
    expect(String(error.stack)).not.toContain('secret-token-1');
    expect(argocd.writes()).toEqual([]);
  });

  it('logs in with username/password once and uses the session token', async () => {
    const argocd = createFakeArgoCd({
      contract: argocdSwagger(),
      baseUrl: 'http://argocd.test/argocd/nonprod',
      users: { admin: 'secret-password' },
      projects: [defaultProject],
    });
    server.use(...argocd.handlers);
    const ctx = createMockActionContext({
      input: { ...input, instance: 'nonprod' },
    });
    await action.handler(ctx);
    expect(argocd.calls.map(c => `${c.method} ${c.path}`)).toEqual([
      'POST /api/v1/session',
      'GET /api/v1/projects/default',
      'GET /api/v1/applications/payments-api-production',
      'POST /api/v1/applications',
    ]);
    expect(ctx.output).toHaveBeenCalledWith('operation', 'created');
  });

  it('logs in again when the session token has expired between two runs', async () => {
    const argocd = createFakeArgoCd({
      contract: argocdSwagger(),
      baseUrl: 'http://argocd.test/argocd/nonprod',
      users: { admin: 'secret-password' },
      projects: [defaultProject],
    });
    server.use(...argocd.handlers);
    const nonprod = { ...input, instance: 'nonprod' };
    await action.handler(createMockActionContext({ input: nonprod }));
    argocd.expireSessions();
    const ctx = createMockActionContext({
      input: { ...nonprod, autoSync: false },
    });
    await action.handler(ctx);
    expect(argocd.sessions()).toBe(2);
    expect(ctx.output).toHaveBeenCalledWith('operation', 'updated');
    expect(argocd.writes().map(c => `${c.method} ${c.path}`)).toEqual([
      'POST /api/v1/applications',
      'PUT /api/v1/applications/payments-api-production',
    ]);
  });

  it('creates the Application on an instance configured only under the legacy argocd: block', async () => {
    const legacyUrl = 'http://argocd.test/argocd/legacy';
    const legacyAction = createArgoCdApplicationAction({
      config: new ConfigReader({
        argocd: {
          username: 'admin',
          password: 'legacy-password',
          appLocatorMethods: [
            { type: 'config', instances: [{ name: 'legacy', url: legacyUrl }] },
          ],
        },
      }),
    });
    const argocd = createFakeArgoCd({
      contract: argocdSwagger(),
      baseUrl: legacyUrl,
      users: { admin: 'legacy-password' },
      projects: [defaultProject],
    });
    server.use(...argocd.handlers);
    const ctx = createMockActionContext({
      input: { ...input, instance: 'legacy' },
    });
    await legacyAction.handler(ctx);
    expect(argocd.sessions()).toBe(1);
    expect(argocd.writes().map(c => `${c.method} ${c.path}`)).toEqual([
      'POST /api/v1/applications',
    ]);
    expect(argocd.applications.has('payments-api-production')).toBe(true);
    expect(ctx.output).toHaveBeenCalledWith('instance', 'legacy');
    expect(ctx.output).toHaveBeenCalledWith(
      'url',
      `${legacyUrl}/applications/payments-api-production`,
    );
  });

  it('a wrong password fails with 401', async () => {
    const argocd = createFakeArgoCd({
      contract: argocdSwagger(),
      baseUrl: 'http://argocd.test/argocd/nonprod',
      users: { admin: 'other' },
    });
    server.use(...argocd.handlers);
    await expect(
      action.handler(
        createMockActionContext({ input: { ...input, instance: 'nonprod' } }),
      ),
    ).rejects.toThrow(/^Argo CD instance "nonprod": login failed: HTTP 401/);
  });

  it('rejects an instance that is not configured, and invalid labels', async () => {
    await expect(
      action.handler(
        createMockActionContext({ input: { ...input, instance: 'evil' } }),
      ),
    ).rejects.toThrow(
      'instance: "evil" is not a configured Argo CD instance (configured: main, nonprod)',
    );
    await expect(
      action.handler(
        createMockActionContext({
          input: {
            ...input,
            labels: { 'backstage.io/entity-ref': 'component:default/x' },
          },
        }),
      ),
    ).rejects.toThrow(
      'labels: the value of "backstage.io/entity-ref" is not a valid label value',
    );
  });

  it('writes the entity binding annotation from entityRef, and rejects a ref without a kind', async () => {
    const argocd = fake();
    await action.handler(
      createMockActionContext({
        input: {
          ...input,
          annotations: { team: 'payments' },
          entityRef: 'Component:payments-api',
        },
      }),
    );
    expect(
      argocd.applications.get('payments-api-production')?.metadata.annotations,
    ).toEqual({
      team: 'payments',
      'delivery.backstage.io/entity-ref': 'component:default/payments-api',
    });
    await expect(
      action.handler(
        createMockActionContext({
          input: { ...input, entityRef: 'payments-api' },
        }),
      ),
    ).rejects.toThrow(
      'entityRef: "payments-api" is not a full entity ref such as component:default/payments-api',
    );
  });

  it('uses the checkpoint so a retried task skips finished calls', async () => {
    const argocd = fake();
    const done = new Map<string, unknown>();
    const checkpoint = jest.fn(
      async ({ key, fn }: { key: string; fn: () => Promise<any> }) => {
        if (!done.has(key)) done.set(key, await fn());
        return done.get(key);
      },
    );
    for (let run = 0; run < 2; run++) {
      const ctx = createMockActionContext({ input });
      await action.handler({
        ...ctx,
        checkpoint: checkpoint as unknown as typeof ctx.checkpoint,
      });
    }
    expect(checkpoint.mock.calls.map(([c]) => c.key)).toEqual([
      'delivery.argocd.project.main.default.payments-api-production',
      'delivery.argocd.application.main.payments-api-production',
      'delivery.argocd.project.main.default.payments-api-production',
      'delivery.argocd.application.main.payments-api-production',
    ]);
    expect(argocd.calls).toHaveLength(3);
  });
});
