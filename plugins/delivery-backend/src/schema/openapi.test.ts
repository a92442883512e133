import { registerMswTestHooks } from '@backstage/backend-test-utils';
import fs from 'fs';
import { http, passthrough } from 'msw';
import { setupServer } from 'msw/node';
import path from 'path';
import request from 'supertest';
import { parse } from 'yaml';
import {
  argocdHandlers,
  mockRolloutTree,
  type MockCall,
} from '../__testUtils__/argocdMock';
import { argocdSwagger } from '../__testUtils__/fixtures';
import { startOverviewBackend } from '../__testUtils__/startOverviewBackend';
import { validateSchema } from '../__testUtils__/validateSchema';
import { createWorld, ENTITIES } from '../__testUtils__/world';

const openapi = parse(
  fs.readFileSync(path.join(__dirname, 'openapi.yaml'), 'utf8'),
);

const server = setupServer(
  http.all(/^http:\/\/127\.0\.0\.1:\d+\/api\/delivery\//, () => passthrough()),
);
registerMswTestHooks(server);

describe('schema/openapi.yaml', () => {
  it('describes every route the router serves and their responses', async () => {
    const calls: MockCall[] = [];
    server.use(...argocdHandlers(createWorld(), calls));
    const app = await startOverviewBackend();
    const schema =
      openapi.paths['/v1/entities/{namespace}/{kind}/{name}/overview'].get
        .responses['200'].content['application/json'].schema;
    for (const entity of ENTITIES) {
      const res = await request(app).get(
        `/api/delivery/v1/entities/default/component/${entity.metadata.name}/overview`,
      );
      expect(res.status).toBe(200);
      expect(validateSchema(openapi, schema, res.body)).toEqual([]);
    }
    const annotations = await request(app).get(
      '/api/delivery/v1/entities/default/component/checkout/annotations',
    );
    expect(
      validateSchema(
        openapi,
        openapi.paths['/v1/entities/{namespace}/{kind}/{name}/annotations'].get
          .responses['200'].content['application/json'].schema,
        annotations.body,
      ),
    ).toEqual([]);

    // Every upstream call the backend made is an Argo CD API path of the
    // v3.5.1 contract.
    const templates = Object.keys(argocdSwagger().paths).map(
      p => new RegExp(`^${p.replace(/\{[^}]+\}/g, '[^/]+')}$`),
    );
    expect(calls.length).toBeGreaterThan(10);
    for (const call of calls) {
      expect(templates.some(t => t.test(call.path))).toBe(true);
    }
  });

  it('rejects a response that breaks the schema (the validator can fail)', () => {
    const schema = { $ref: '#/components/schemas/DeliveryOverview' };
    expect(
      validateSchema(openapi, schema, {
        entityRef: 'x',
        generatedAt: 'now',
        annotations: { instances: [], projects: [] },
        warnings: [],
        sources: [{ source: 'argocd', status: 'broken' }],
        environments: [{ name: 'dev' }],
      }),
    ).toEqual([
      '$.sources[0].status: "broken" is not one of ok,error,not-configured',
      '$.environments[0].applications: required',
      '$.environments[0].stages: required',
      '$.environments[0].rollouts: required',
    ]);
  });
});

describe('test world', () => {
  it('builds resource trees with the fields of the swagger contract only', () => {
    const definitions = argocdSwagger().definitions;
    // ResourceNode inlines ResourceRef (types.go), which swagger omits.
    const allowed = new Set([
      ...Object.keys(definitions.v1alpha1ResourceNode.properties),
      ...Object.keys(definitions.v1alpha1ResourceRef.properties),
    ]);
    const tree = mockRolloutTree(
      { metadata: { name: 'r', namespace: 'n' } },
      { replicaSets: { abc: ['img'] }, analysisRuns: ['r-abc-1'] },
    );
    for (const key of Object.keys(tree)) {
      expect(
        Object.keys(definitions.v1alpha1ApplicationTree.properties),
      ).toContain(key);
    }
    for (const node of tree.nodes ?? []) {
      for (const key of Object.keys(node)) expect(allowed).toContain(key);
      for (const ref of node.parentRefs ?? []) {
        for (const key of Object.keys(ref)) {
          expect(
            Object.keys(definitions.v1alpha1ResourceRef.properties),
          ).toContain(key);
        }
      }
    }
  });
});
