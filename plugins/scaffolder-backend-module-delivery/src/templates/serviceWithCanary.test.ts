import { registerMswTestHooks } from '@backstage/backend-test-utils';
import {
  Entity,
  EntityPolicies,
  DefaultNamespaceEntityPolicy,
  FieldFormatEntityPolicy,
  NoForeignRootFieldsEntityPolicy,
  SchemaValidEntityPolicy,
} from '@backstage/catalog-model';
import {
  isDeliveryAvailable,
  readDeliveryAnnotations,
} from '@gitops-delivery/backstage-plugin-delivery-common';
import type { JsonObject } from '@backstage/types';
import Ajv from 'ajv';
import { http, passthrough } from 'msw';
import { argocdSwagger } from 'delivery-test-data';
import { setupServer } from 'msw/node';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import vm from 'node:vm';
import { parseAllDocuments } from 'yaml';
import { scaffolderModuleDelivery } from '../module';
import { createFakeArgoCd } from '@gitops-delivery/backstage-plugin-delivery-node/testUtils';
import {
  DryRunResult,
  GeneratedFile,
  startDryRunBackend,
} from '../__testUtils__/templateDryRun';
import analysisTemplateSchema from '../__testUtils__/schemas/analysis-template.schema.json';
import applicationSchema from '../__testUtils__/schemas/application.schema.json';
import workflowSchema from '../__testUtils__/schemas/github-workflow.schema.json';
import kustomizationSchema from '../__testUtils__/schemas/kustomization.schema.json';
import rolloutSchema from '../__testUtils__/schemas/rollout.schema.json';
import serviceSchema from '../__testUtils__/schemas/service.schema.json';

// Starting a backend and running whole templates takes seconds on a busy machine
jest.setTimeout(120_000);

const ARGOCD = 'http://argocd.test/argocd/main';

const config: JsonObject = {
  backend: { baseUrl: 'http://localhost:7007' },
  delivery: {
    argocd: {
      instances: [{ name: 'main', url: ARGOCD, token: 'sandbox-demo-token' }],
    },
    policies: {
      default: {
        gates: [{ kind: 'soak', minutes: 10 }, { kind: 'analysis' }],
      },
    },
  },
};

const values = {
  name: 'payments-api',
  description: 'Takes "payments": cards and wallets',
  owner: 'group:default/team-storefront',
  system: 'system:default/storefront',
  repoUrl: 'github.com?owner=Acme&repo=payments-api',
  // no schema default: the form's DeliveryChoicePicker preselects the first
  // configured instance
  argocdInstance: 'main',
};

const ajv = new Ajv({ allErrors: true });
const validators: Record<string, ReturnType<typeof ajv.compile>> = {
  Rollout: ajv.compile(rolloutSchema),
  AnalysisTemplate: ajv.compile(analysisTemplateSchema),
  Application: ajv.compile(applicationSchema),
  Kustomization: ajv.compile(kustomizationSchema),
  Service: ajv.compile(serviceSchema),
};

const entityPolicy = EntityPolicies.allOf([
  new DefaultNamespaceEntityPolicy(),
  new NoForeignRootFieldsEntityPolicy(),
  new FieldFormatEntityPolicy(),
  new SchemaValidEntityPolicy(),
]);

function yamlDocuments(file: GeneratedFile): any[] {
  return parseAllDocuments(file.content).map(doc => {
    if (doc.errors.length) {
      throw new Error(`${file.path}: ${doc.errors[0].message}`);
    }
    return doc.toJS();
  });
}

/** kubectl's built-in Kustomize, when this machine has kubectl. */
function findKubectl(): string | undefined {
  try {
    execFileSync('kubectl', ['version', '--client'], { stdio: 'ignore' });
    return 'kubectl';
  } catch {
    return undefined;
  }
}

function writeFiles(files: GeneratedFile[]): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'service-with-canary-'));
  for (const file of files) {
    fs.mkdirSync(path.dirname(path.join(dir, file.path)), { recursive: true });
    fs.writeFileSync(path.join(dir, file.path), file.content);
  }
  return dir;
}

function byPath(result: DryRunResult, filePath: string): GeneratedFile {
  const file = result.files.find(f => f.path === filePath);
  if (!file) {
    throw new Error(
      `${filePath} was not generated; got ${result.files
        .map(f => f.path)
        .join(', ')}`,
    );
  }
  return file;
}

/** Builds every overlay with Kustomize and validates what comes out. */
async function checkKustomizeBuild(
  kubectl: string,
  dryRun: Awaited<ReturnType<typeof startDryRunBackend>>,
) {
  const result = await dryRun('service-with-canary', values);
  const dir = writeFiles(result.files);
  try {
    for (const env of ['dev', 'staging', 'production']) {
      const output = execFileSync(
        kubectl,
        ['kustomize', `deploy/overlays/${env}`],
        { cwd: dir },
      ).toString();
      const objects = parseAllDocuments(output).map(d => d.toJS());
      expect(objects.map(o => o.kind).sort()).toEqual([
        'AnalysisTemplate',
        'Rollout',
        'Service',
      ]);
      for (const object of objects) {
        const validate = validators[object.kind];
        if (!validate(object)) {
          throw new Error(
            `${env} ${object.kind}: ${ajv.errorsText(validate.errors)}`,
          );
        }
        expect(object.metadata.namespace).toBe(`payments-api-${env}`);
        expect(object.metadata.labels.environment).toBe(env);
      }
      const rollout = objects.find(o => o.kind === 'Rollout');
      expect(rollout.spec.replicas).toBe(env === 'production' ? 4 : 1);
      expect(rollout.spec.template.spec.containers[0].image).toBe(
        'ghcr.io/acme/payments-api:bootstrap',
      );
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

describe('template service-with-canary, through the scaffolder dry-run API', () => {
  const server = setupServer(
    // supertest's calls to the test backend go through untouched
    http.all(/^http:\/\/127\.0\.0\.1:\d+\/api\/scaffolder\//, () =>
      passthrough(),
    ),
  );
  registerMswTestHooks(server);

  let dryRun: Awaited<ReturnType<typeof startDryRunBackend>>;
  let argocd: ReturnType<typeof createFakeArgoCd>;

  beforeAll(async () => {
    dryRun = await startDryRunBackend({
      config,
      features: [scaffolderModuleDelivery],
    });
  });

  beforeEach(() => {
    argocd = createFakeArgoCd({
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

  it('generates valid files for every tool, and writes nothing to Argo CD', async () => {
    const result = await dryRun('service-with-canary', values);
    expect(result.status).toBe(200);

    const paths = result.files.map(f => f.path).sort();
    expect(paths).toEqual(
      [
        '.dockerignore',
        '.github/workflows/ci.yaml',
        'Dockerfile',
        'README.md',
        'catalog-info.yaml',
        'deploy/argocd/dev.yaml',
        'deploy/argocd/production.yaml',
        'deploy/argocd/staging.yaml',
        'deploy/base/analysis-template.yaml',
        'deploy/base/kustomization.yaml',
        'deploy/base/rollout.yaml',
        'deploy/base/service.yaml',
        'deploy/overlays/dev/kustomization.yaml',
        'deploy/overlays/production/kustomization.yaml',
        'deploy/overlays/staging/kustomization.yaml',
        'package.json',
        'src/server.js',
        'test/server.test.js',
      ].sort(),
    );
    // nothing left untemplated; the workflow keeps only GitHub's own expressions
    for (const file of result.files) {
      expect(file.content).not.toMatch(/\{%|%\}/);
      const expressions = file.content.match(/\$\{\{[^}]*\}\}/g) ?? [];
      for (const expression of expressions) {
        expect(file.path).toBe('.github/workflows/ci.yaml');
        expect(expression).toMatch(/^\$\{\{ (secrets|github)\.[\w.]+ \}\}$/);
      }
    }

    // Every YAML file parses, and every Kubernetes object fits its schema
    const kinds: string[] = [];
    for (const file of result.files.filter(f => /\.ya?ml$/.test(f.path))) {
      for (const doc of yamlDocuments(file)) {
        if (
          file.path === 'catalog-info.yaml' ||
          file.path.startsWith('.github/')
        ) {
          continue;
        }
        const validate = validators[doc?.kind];
        if (!validate)
          throw new Error(`${file.path}: unexpected kind ${doc?.kind}`);
        if (!validate(doc)) {
          throw new Error(
            `${file.path} (${doc.kind}): ${ajv.errorsText(validate.errors)}`,
          );
        }
        kinds.push(doc.kind);
      }
    }
    expect(kinds.sort()).toEqual(
      [
        'AnalysisTemplate',
        'Application',
        'Application',
        'Application',
        'Kustomization',
        'Kustomization',
        'Kustomization',
        'Kustomization',
        'Rollout',
        'Service',
      ].sort(),
    );

    // Nothing was written upstream in a dry run; the project was read
    expect(argocd.writes()).toEqual([]);
    expect(argocd.calls.map(c => `${c.method} ${c.path}`)).toEqual(
      expect.arrayContaining([
        'GET /api/v1/projects/default',
        'GET /api/v1/applications/payments-api-dev',
        'GET /api/v1/applications/payments-api-staging',
        'GET /api/v1/applications/payments-api-production',
      ]),
    );
    expect(result.log.join('\n')).toContain(
      'Would create Application "payments-api-production" on Argo CD instance "main"',
    );
    expect(result.log.join('\n')).toContain(
      'Every Rollout in deploy/base/rollout.yaml fits policy "default"',
    );
    expect(result.log.join('\n')).toContain(
      'Skipping because publish:github does not support dry-run',
    );
  });

  it('produces a catalog entity that the catalog accepts and the Delivery tab understands', async () => {
    const result = await dryRun('service-with-canary', values);
    const [entity] = yamlDocuments(
      byPath(result, 'catalog-info.yaml'),
    ) as Entity[];
    await expect(entityPolicy.enforce(entity)).resolves.toBeDefined();
    expect(entity.spec).toEqual({
      type: 'service',
      lifecycle: 'experimental',
      owner: 'group:default/team-storefront',
      system: 'system:default/storefront',
    });
    expect(entity.metadata.description).toBe(values.description);
    expect(entity.metadata.annotations).toEqual({
      'argocd/app-selector': 'app=payments-api',
      'argocd/instance-name': 'main',
      'argocd/project-name': 'default',
      'prometheus.io/service-name': 'payments-api',
      'github.com/project-slug': 'Acme/payments-api',
      'delivery.backstage.io/policy': 'default',
    });
    expect(isDeliveryAvailable(entity)).toBe(true);
    expect(readDeliveryAnnotations(entity).warnings).toEqual([]);
  });

  it('wires the Rollout, its analysis, the overlays and the Applications together', async () => {
    const result = await dryRun('service-with-canary', {
      ...values,
      environments: ['staging', 'production'],
      soakMinutes: 15,
      errorRateThreshold: 0.002,
    });
    expect(result.status).toBe(200);
    const [rollout] = yamlDocuments(byPath(result, 'deploy/base/rollout.yaml'));
    expect(rollout.spec.strategy.canary.steps).toEqual([
      { setWeight: 5 },
      { pause: { duration: '15m' } },
      {
        analysis: {
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
      { setWeight: 25 },
      { pause: {} },
      { setWeight: 100 },
    ]);
    expect(rollout.spec.selector.matchLabels).toEqual(
      rollout.spec.template.metadata.labels,
    );
    expect(rollout.spec.template.spec.containers[0]).toMatchObject({
      image: 'ghcr.io/acme/payments-api:bootstrap',
      ports: [{ name: 'http', containerPort: 8080 }],
    });

    // The analysis: the SLO queries' label scheme, args the Rollout passes, the thresholds
    const [analysis] = yamlDocuments(
      byPath(result, 'deploy/base/analysis-template.yaml'),
    );
    expect(analysis.metadata.name).toBe('payments-api-slo');
    const required = analysis.spec.args
      .filter((a: any) => a.value === undefined)
      .map((a: any) => a.name);
    const passed = rollout.spec.strategy.canary.steps[2].analysis.args.map(
      (a: any) => a.name,
    );
    expect(passed.sort()).toEqual(required.sort());
    const [errorRate, latency] = analysis.spec.metrics;
    expect(errorRate).toMatchObject({
      name: 'error-rate',
      successCondition: 'result[0] < 0.002',
      failureCondition: 'result[0] >= 0.002',
      failureLimit: 0,
    });
    const selector =
      'namespace="{{args.namespace}}",service="{{args.service}}",rollouts_pod_template_hash="{{args.canary-hash}}"';
    expect(errorRate.provider.prometheus.query).toBe(
      `(sum(rate(http_requests_total{${selector},code=~"5.."}[5m])) or vector(0)) / sum(rate(http_requests_total{${selector}}[5m]))`,
    );
    expect(latency).toMatchObject({
      name: 'latency-p99',
      successCondition: 'result[0] < 0.5',
    });
    expect(latency.provider.prometheus.query).toBe(
      `histogram_quantile(0.99, sum by (le) (rate(http_request_duration_seconds_bucket{${selector}}[5m])))`,
    );

    // Only the chosen environments; each Application points at its overlay
    expect(result.files.some(f => f.path.includes('/dev'))).toBe(false);
    for (const env of ['staging', 'production']) {
      const [app] = yamlDocuments(byPath(result, `deploy/argocd/${env}.yaml`));
      expect(app.metadata.labels).toEqual({
        app: 'payments-api',
        environment: env,
        'backstage.io/entity-ref': 'component.default.payments-api',
        'backstage.io/kubernetes-id': 'payments-api',
      });
      // what binds the Application to the entity for rollout actions
      expect(app.metadata.annotations).toEqual({
        'backstage.io/entity-ref': 'component:default/payments-api',
        'delivery.backstage.io/entity-ref': 'component:default/payments-api',
      });
      expect(app.spec.source).toEqual({
        repoURL: 'https://github.com/Acme/payments-api.git',
        targetRevision: 'main',
        path: `deploy/overlays/${env}`,
      });
      expect(app.spec.destination.namespace).toBe(`payments-api-${env}`);
      const [overlay] = yamlDocuments(
        byPath(result, `deploy/overlays/${env}/kustomization.yaml`),
      );
      expect(overlay.namespace).toBe(`payments-api-${env}`);
      expect(overlay.resources).toEqual(['../../base']);
      expect(overlay.images).toEqual([
        { name: 'ghcr.io/acme/payments-api', newTag: 'bootstrap' },
      ]);
    }
    // Every resource a Kustomization lists was generated
    const [base] = yamlDocuments(
      byPath(result, 'deploy/base/kustomization.yaml'),
    );
    for (const resource of base.resources) {
      byPath(result, path.posix.join('deploy/base', resource));
    }
  });

  it('generates a CI workflow with tests, SAST, an image per commit, a blocking Trivy scan and the manifest update', async () => {
    const result = await dryRun('service-with-canary', values);
    const file = byPath(result, '.github/workflows/ci.yaml');
    const [workflow] = yamlDocuments(file);
    const validate = ajv.compile(workflowSchema);
    expect(validate(workflow)).toBe(true);
    expect(Object.keys(workflow.jobs)).toEqual([
      'test',
      'sast',
      'image',
      'manifests',
    ]);
    expect(workflow.env).toEqual({
      IMAGE: 'ghcr.io/acme/payments-api',
      ENVIRONMENTS: 'dev staging production',
    });
    const runs = (job: string) =>
      workflow.jobs[job].steps.map((s: any) => s.run ?? s.uses).join('\n');
    expect(runs('test')).toContain('npm test');
    expect(runs('sast')).toContain('github/codeql-action/analyze@v3');
    expect(runs('image')).toContain(
      'docker build --tag "$IMAGE:$GITHUB_SHA" .',
    );
    expect(runs('image')).toContain(
      'trivy image --exit-code 1 --severity HIGH,CRITICAL',
    );
    expect(runs('image')).toContain('${{ secrets.GITHUB_TOKEN }}');
    expect(runs('manifests')).toContain(
      'kustomize edit set image "$IMAGE=$IMAGE:$GITHUB_SHA"',
    );
    expect(workflow.jobs.image.needs).toEqual(['test', 'sast']);

    // The service's own files are valid for their tools
    expect(JSON.parse(byPath(result, 'package.json').content).name).toBe(
      'payments-api',
    );
    expect(
      () => new vm.Script(byPath(result, 'src/server.js').content),
    ).not.toThrow();
    expect(
      () => new vm.Script(byPath(result, 'test/server.test.js').content),
    ).not.toThrow();
    expect(byPath(result, 'Dockerfile').content).toMatch(
      /^FROM node:22-alpine$/m,
    );
  });

  it('fails the dry run at the policy step, naming the canary step, when the soak is too short', async () => {
    const result = await dryRun('service-with-canary', {
      ...values,
      soakMinutes: 5,
    });
    expect(result.status).toBe(400);
    expect(result.body.error.message).toContain(
      'Rollout "payments-api" step 1 (pause 5m) soaks 5m at 5%, shorter than the minimum of 10m of policy "default"',
    );
    expect(argocd.calls).toEqual([]);
  });

  it('dry run with a new project reports that it would create it', async () => {
    const result = await dryRun('service-with-canary', {
      ...values,
      argocdProjectMode: 'new',
      argocdProject: 'payments',
    });
    expect(result.status).toBe(200);
    expect(result.log.join('\n')).toContain(
      'Would create AppProject "payments" on Argo CD instance "main"',
    );
    expect(argocd.writes()).toEqual([]);
  });

  // kubectl's built-in Kustomize is optional on a developer machine
  const kubectl = findKubectl();
  if (kubectl) {
    it('builds with Kustomize (kubectl kustomize) into valid objects in each environment', async () => {
      await expect(
        checkKustomizeBuild(kubectl, dryRun),
      ).resolves.toBeUndefined();
    });
  } else {
    // eslint-disable-next-line jest/no-disabled-tests -- kubectl is not installed here
    it.skip('builds with Kustomize (needs kubectl on the PATH)', async () => {
      await expect(
        checkKustomizeBuild('kubectl', dryRun),
      ).resolves.toBeUndefined();
    });
  }

  it("passes the generated service's own tests (node --test)", async () => {
    const result = await dryRun('service-with-canary', values);
    const dir = writeFiles(result.files);
    try {
      const output = execFileSync(process.execPath, ['--test'], {
        cwd: dir,
        env: { PATH: process.env.PATH ?? '' },
      }).toString();
      expect(output).toMatch(/# pass 1/);
      expect(output).toMatch(/# fail 0/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
