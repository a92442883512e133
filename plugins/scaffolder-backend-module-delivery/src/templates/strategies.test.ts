import { registerMswTestHooks } from '@backstage/backend-test-utils';
import type { JsonObject } from '@backstage/types';
import { http, passthrough } from 'msw';
import { setupServer } from 'msw/node';
import { argocdSwagger } from 'delivery-test-data';
import { createFakeArgoCd } from '@gitops-delivery/backstage-plugin-delivery-node/testUtils';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { scaffolderModuleDelivery } from '../module';
import {
  GeneratedFile,
  startDryRunBackend,
} from '../__testUtils__/templateDryRun';

// The strategy per environment (issue 24 item 5): each choice's dry run
// generates the overlay Kustomize builds into the matching workload.
jest.setTimeout(180_000);

const ARGOCD = 'http://argocd.test/argocd/main';
const config: JsonObject = {
  backend: { baseUrl: 'http://localhost:7007' },
  delivery: {
    argocd: {
      instances: [{ name: 'main', url: ARGOCD, token: 'sandbox-demo-token' }],
    },
    policies: {
      default: { gates: [{ kind: 'soak', minutes: 10 }, { kind: 'analysis' }] },
    },
  },
};
const values = {
  name: 'payments-api',
  description: 'Payments',
  owner: 'group:default/team-storefront',
  system: 'system:default/storefront',
  repoUrl: 'github.com?owner=Acme&repo=payments-api',
  argocdInstance: 'main',
};

function hasKubectl() {
  try {
    execFileSync('kubectl', ['version', '--client'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Builds one overlay with kubectl's Kustomize. */
function build(files: GeneratedFile[], env: string): any[] {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'strategies-'));
  try {
    for (const file of files) {
      const target = path.join(dir, file.path);
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.writeFileSync(target, file.content);
    }
    const out = execFileSync(
      'kubectl',
      ['kustomize', `deploy/overlays/${env}`],
      {
        cwd: dir,
      },
    ).toString();
    return parseAllDocuments(out).map(d => d.toJS());
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const kinds = (objects: any[]) => objects.map(o => o.kind).sort();
const overlayFiles = (files: GeneratedFile[], env: string) =>
  files
    .map(f => f.path)
    .filter(p => p.startsWith(`deploy/overlays/${env}/`))
    .sort();

describe('template service-with-canary: the strategy of each environment', () => {
  const server = setupServer(
    http.all(/^http:\/\/127\.0\.0\.1:\d+\/api\/scaffolder\//, () =>
      passthrough(),
    ),
  );
  registerMswTestHooks(server);
  let dryRun: Awaited<ReturnType<typeof startDryRunBackend>>;

  beforeAll(async () => {
    dryRun = await startDryRunBackend({
      config,
      features: [scaffolderModuleDelivery],
    });
  });
  beforeEach(() => {
    const argocd = createFakeArgoCd({
      contract: argocdSwagger(),
      baseUrl: ARGOCD,
      tokens: ['sandbox-demo-token'],
      projects: [
        {
          metadata: { name: 'default' },
          spec: {
            sourceRepos: ['*'],
            destinations: [{ server: '*', namespace: '*' }],
          },
        },
      ],
    });
    server.use(...argocd.handlers);
  });

  it('generates each choice: rolling in dev, blue-green in staging, canary with a mirror in production', async () => {
    const result = await dryRun('service-with-canary', {
      ...values,
      strategies: {
        dev: 'rolling',
        staging: 'blue-green',
        production: 'canary-mirror',
      },
    });
    expect(result.status).toBe(200);
    expect(overlayFiles(result.files, 'dev')).toEqual([
      'deploy/overlays/dev/deployment.yaml',
      'deploy/overlays/dev/kustomization.yaml',
    ]);
    expect(overlayFiles(result.files, 'staging')).toEqual([
      'deploy/overlays/staging/kustomization.yaml',
      'deploy/overlays/staging/preview-service.yaml',
    ]);
    expect(overlayFiles(result.files, 'production')).toEqual([
      'deploy/overlays/production/canary-service.yaml',
      'deploy/overlays/production/kustomization.yaml',
      'deploy/overlays/production/virtual-service.yaml',
    ]);
    for (const file of result.files) {
      expect(file.content).not.toMatch(/\{%|%\}/);
    }
  });

  // kubectl's built-in Kustomize is optional on a developer machine
  // eslint-disable-next-line jest/no-disabled-tests -- skipped without kubectl
  (hasKubectl() ? describe : describe.skip)(
    'built with kubectl kustomize',
    () => {
      it('builds rolling into a plain Deployment with no Rollout or analysis', async () => {
        const result = await dryRun('service-with-canary', {
          ...values,
          strategies: {
            dev: 'rolling',
            staging: 'rolling',
            production: 'rolling',
          },
        });
        for (const env of ['dev', 'production']) {
          const objects = build(result.files, env);
          expect(kinds(objects)).toEqual(['Deployment', 'Service']);
          const deployment = objects.find(o => o.kind === 'Deployment');
          expect(deployment.metadata.namespace).toBe(`payments-api-${env}`);
          expect(deployment.spec).toMatchObject({
            replicas: env === 'production' ? 4 : 1,
            progressDeadlineSeconds: 600,
            strategy: {
              type: 'RollingUpdate',
              rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' },
            },
          });
          expect(deployment.spec.template.spec.containers[0]).toMatchObject({
            image: 'ghcr.io/acme/payments-api:bootstrap',
            ports: [{ name: 'http', containerPort: 8080 }],
          });
        }
      });

      it('builds blue-green with a preview Service and the SLO analysis before promotion', async () => {
        const result = await dryRun('service-with-canary', {
          ...values,
          strategies: { staging: 'blue-green' },
        });
        const objects = build(result.files, 'staging');
        expect(kinds(objects)).toEqual([
          'AnalysisTemplate',
          'Rollout',
          'Service',
          'Service',
        ]);
        const rollout = objects.find(o => o.kind === 'Rollout');
        expect(rollout.spec.replicas).toBe(1);
        expect(rollout.spec.strategy).toEqual({
          blueGreen: {
            activeService: 'payments-api',
            previewService: 'payments-api-preview',
            autoPromotionEnabled: false,
            scaleDownDelaySeconds: 30,
            prePromotionAnalysis: {
              templates: [{ templateName: 'payments-api-slo' }],
              args: [
                { name: 'service', value: 'payments-api' },
                {
                  name: 'namespace',
                  valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } },
                },
                {
                  name: 'canary-hash',
                  valueFrom: { podTemplateHashValue: 'Latest' },
                },
              ],
            },
          },
        });
        expect(
          objects.filter(o => o.kind === 'Service').map(o => o.metadata.name),
        ).toEqual(
          expect.arrayContaining(['payments-api', 'payments-api-preview']),
        );
        // the other environments keep the canary
        expect(kinds(build(result.files, 'dev'))).toEqual([
          'AnalysisTemplate',
          'Rollout',
          'Service',
        ]);
      });

      it('builds canary-mirror: Istio routing, a 50% GET mirror from the first weight until the analysis passed', async () => {
        const result = await dryRun('service-with-canary', {
          ...values,
          strategies: { production: 'canary-mirror' },
        });
        const objects = build(result.files, 'production');
        expect(kinds(objects)).toEqual([
          'AnalysisTemplate',
          'Rollout',
          'Service',
          'Service',
          'VirtualService',
        ]);
        const canary = objects.find(o => o.kind === 'Rollout').spec.strategy
          .canary;
        expect(canary).toMatchObject({
          canaryService: 'payments-api-canary',
          stableService: 'payments-api',
          trafficRouting: {
            managedRoutes: [{ name: 'mirror-route' }],
            istio: {
              virtualService: { name: 'payments-api', routes: ['primary'] },
            },
          },
        });
        expect(canary.steps.map((s: object) => Object.keys(s)[0])).toEqual([
          'setWeight',
          'setMirrorRoute',
          'pause',
          'analysis',
          'setMirrorRoute',
          'setWeight',
          'pause',
          'setWeight',
        ]);
        expect(canary.steps[1].setMirrorRoute).toEqual({
          name: 'mirror-route',
          percentage: 50,
          match: [{ method: { exact: 'GET' } }],
        });
        // a setMirrorRoute without a match removes the mirror
        expect(canary.steps[4].setMirrorRoute).toEqual({
          name: 'mirror-route',
        });
        const vs = objects.find(o => o.kind === 'VirtualService');
        expect(vs.spec.http[0].name).toBe('primary');
        expect(vs.metadata.namespace).toBe('payments-api-production');
      });
    },
  );
});
