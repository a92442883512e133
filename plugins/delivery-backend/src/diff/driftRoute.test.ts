import { registerMswTestHooks } from '@backstage/backend-test-utils';
import { fakeArgoCdHandlers } from '@gitops-delivery/backstage-plugin-delivery-node/testUtils';
import { http, HttpResponse, passthrough } from 'msw';
import { setupServer } from 'msw/node';
import request from 'supertest';
import { specViolations } from '../__testUtils__/specViolations';
import { startOverviewBackend } from '../__testUtils__/startOverviewBackend';
import { createWorld, SECRETS } from '../__testUtils__/world';
import { LAST_APPLIED } from './redactSecrets';

jest.setTimeout(30_000);

const server = setupServer(
  http.all(/^http:\/\/127\.0\.0\.1:\d+\/api\/delivery\//, () => passthrough()),
);
registerMswTestHooks(server);

const DB_PASSWORD = 'cGFzc3dvcmQtb2YtdGhlLWRi'; // what the cluster holds
const GIT_PASSWORD = 'Z2l0LXBhc3N3b3JkLXZhbHVl'; // what Git holds
const API_KEY = 'YXBpLWtleS1zYW1lLW9uLWJvdGg=';

const deployment = (replicas: number, image: string) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: {
    name: 'checkout',
    namespace: 'checkout-dev',
    labels: { 'app.kubernetes.io/instance': 'checkout-dev' },
  },
  spec: {
    replicas,
    template: { spec: { containers: [{ name: 'checkout', image }] } },
  },
});

const secret = (password: string) => ({
  apiVersion: 'v1',
  kind: 'Secret',
  metadata: {
    name: 'checkout-db',
    namespace: 'checkout-dev',
    annotations: {
      [LAST_APPLIED]: JSON.stringify({ data: { password } }),
    },
  },
  type: 'Opaque',
  data: { password, apiKey: API_KEY },
});

/** Argo CD's managed resources of checkout-dev (swagger v1alpha1ResourceDiff). */
function managedResources() {
  const liveDeployment = {
    ...deployment(5, 'ghcr.io/acme/checkout:1.4.0'),
    status: { replicas: 5 },
  };
  const predicted = {
    ...deployment(3, 'ghcr.io/acme/checkout:1.4.0'),
    status: { replicas: 5 },
  };
  return {
    items: [
      {
        group: 'apps',
        kind: 'Deployment',
        namespace: 'checkout-dev',
        name: 'checkout',
        targetState: JSON.stringify(
          deployment(3, 'ghcr.io/acme/checkout:1.4.0'),
        ),
        liveState: JSON.stringify(liveDeployment),
        normalizedLiveState: JSON.stringify(liveDeployment),
        predictedLiveState: JSON.stringify(predicted),
        modified: true,
        diff: '',
        hook: false,
      },
      {
        kind: 'Secret',
        namespace: 'checkout-dev',
        name: 'checkout-db',
        targetState: JSON.stringify(secret(GIT_PASSWORD)),
        liveState: JSON.stringify(secret(DB_PASSWORD)),
        normalizedLiveState: JSON.stringify(secret(DB_PASSWORD)),
        predictedLiveState: JSON.stringify(secret(GIT_PASSWORD)),
        modified: true,
      },
      {
        kind: 'Service',
        namespace: 'checkout-dev',
        name: 'checkout',
        targetState: JSON.stringify({ kind: 'Service', spec: { port: 80 } }),
        liveState: 'null',
        normalizedLiveState: 'null',
        predictedLiveState: 'null',
        modified: true,
      },
      {
        kind: 'ConfigMap',
        namespace: 'checkout-dev',
        name: 'same',
        targetState: '{"kind":"ConfigMap","data":{"a":"1"}}',
        liveState: '{"kind":"ConfigMap","data":{"a":"1"}}',
        modified: false,
      },
    ],
  };
}

const url = (environment: string, name = 'checkout') =>
  `/api/delivery/v1/entities/default/component/${name}/drift?environment=${environment}`;

describe('GET /entities/:ref/drift', () => {
  let calls: string[];

  beforeEach(() => {
    calls = [];
    // before the fake's own routes, which answer every other Argo CD path
    server.use(
      http.get(
        'http://argocd-main.test/api/v1/applications/:name/managed-resources',
        ({ request: upstream, params }) => {
          calls.push(`${params.name} ${upstream.headers.get('authorization')}`);
          if (params.name !== 'checkout-dev') {
            return HttpResponse.json({ items: [] });
          }
          return HttpResponse.json(managedResources());
        },
      ),
      ...fakeArgoCdHandlers(createWorld(), []),
    );
  });

  it('names the drifted resources and fields, live against desired, with Argo CD normalisation', async () => {
    const app = await startOverviewBackend();
    const res = await request(app).get(url('dev'));
    expect(res.status).toBe(200);
    expect(specViolations('DriftResponse', res.body)).toEqual([]);
    expect(calls).toEqual([`checkout-dev Bearer ${SECRETS.mainToken}`]);
    const [application] = res.body.applications;
    expect(application).toMatchObject({
      instance: 'main',
      name: 'checkout-dev',
      sync: 'OutOfSync',
      state: 'drifted',
    });
    const byKind = Object.fromEntries(
      application.resources.map((r: { kind: string }) => [r.kind, r]),
    );
    expect(byKind.Deployment).toEqual({
      group: 'apps',
      kind: 'Deployment',
      namespace: 'checkout-dev',
      name: 'checkout',
      drift: 'modified',
      comparison: 'argocd',
      changes: [{ path: 'spec.replicas', before: '5', after: '3' }],
    });
    expect(byKind.Service).toMatchObject({ drift: 'missing', changes: [] });
    expect(byKind.ConfigMap).toBeUndefined();
  });

  it('never lets a Secret value out: values and the last-applied annotation are redacted before the diff', async () => {
    const app = await startOverviewBackend();
    const res = await request(app).get(url('dev'));
    expect(res.status).toBe(200);
    const text = JSON.stringify(res.body);
    for (const value of [DB_PASSWORD, GIT_PASSWORD, API_KEY]) {
      expect(text).not.toContain(value);
      expect(text).not.toContain(Buffer.from(value, 'base64').toString());
    }
    const secretDrift = res.body.applications[0].resources.find(
      (r: { kind: string }) => r.kind === 'Secret',
    );
    // which key differs is shown, not its value; the equal key is not listed
    expect(secretDrift.changes).toEqual([
      {
        path: 'data.password',
        before: '[redacted: live value]',
        after: '[redacted: desired value]',
      },
    ]);
  });

  it('does not read Synced Applications', async () => {
    const app = await startOverviewBackend();
    const res = await request(app).get(url('staging'));
    expect(res.status).toBe(200);
    expect(res.body.applications).toEqual([
      {
        instance: 'main',
        name: 'checkout-staging',
        appNamespace: 'argocd',
        sync: 'Synced',
        state: 'in-sync',
        resources: [],
      },
    ]);
    expect(calls).toEqual([]);
  });

  it('degrades one Application when Argo CD fails, naming the error without a token', async () => {
    server.use(
      http.get(
        'http://argocd-main.test/api/v1/applications/:name/managed-resources',
        () =>
          HttpResponse.json(
            {
              error: `upstream echoed ${SECRETS.mainToken}`,
              code: 14,
              message: `upstream echoed ${SECRETS.mainToken}`,
            },
            { status: 503 },
          ),
      ),
    );
    const app = await startOverviewBackend();
    const res = await request(app).get(url('dev'));
    expect(res.status).toBe(200);
    expect(res.body.applications[0]).toMatchObject({
      name: 'checkout-dev',
      state: 'error',
      resources: [],
    });
    expect(res.body.applications[0].error).toMatch(/main/);
    expect(JSON.stringify(res.body)).not.toContain(SECRETS.mainToken);
  });

  it('answers 400 naming a bad environment, 404 for an unknown one or entity', async () => {
    const app = await startOverviewBackend();
    const bad = await request(app).get(url('dev%20x'));
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/environment/);
    const unknown = await request(app).get(url('qa'));
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.message).toMatch(/no environment "qa"/);
    const noEntity = await request(app).get(url('dev', 'nobody'));
    expect(noEntity.status).toBe(404);
    expect(calls).toEqual([]);
  });
});
