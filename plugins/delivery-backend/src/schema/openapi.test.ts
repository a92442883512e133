import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { registerMswTestHooks } from '@backstage/backend-test-utils';
import { http, passthrough } from 'msw';
import { setupServer } from 'msw/node';
import request from 'supertest';
import {
  fakeArgoCdHandlers,
  type FakeArgoCdCall,
} from '@gitops-delivery/backstage-plugin-delivery-node/testUtils';
import { mockRolloutTree } from '../__testUtils__/argocdFixtures';
import { argocdSwagger } from '../__testUtils__/fixtures';
import { startOverviewBackend } from '../__testUtils__/startOverviewBackend';
import { specViolations } from '../__testUtils__/specViolations';
import {
  createWorld,
  ENTITIES,
  INSTANCES_CONFIG,
} from '../__testUtils__/world';
import {
  deliveryOverridePermission,
  deliveryPromotePermission,
} from '@gitops-delivery/backstage-plugin-delivery-common';
import { HttpResponse } from 'msw';
import {
  ACTIONS_PATH,
  actionRecorder,
  permissionsDenying,
  startActionsBackend,
  worldHandlers,
} from '../actions/__testUtils__/actionsWorld';
import { spec } from './openapi/generated';

// the spec as plain data, for looking routes up by name
const openapi: any = spec;

const server = setupServer(
  http.all(/^http:\/\/127\.0\.0\.1:\d+\/api\/delivery\//, () => passthrough()),
);
registerMswTestHooks(server);

describe('schema/openapi.yaml', () => {
  it('describes every route the router serves and their responses', async () => {
    const calls: FakeArgoCdCall[] = [];
    server.use(...fakeArgoCdHandlers(createWorld(), calls));
    const app = await startOverviewBackend();
    const schema =
      openapi.paths['/v1/entities/{namespace}/{kind}/{name}/overview'].get
        .responses['200'].content['application/json'].schema;
    for (const entity of ENTITIES) {
      const res = await request(app).get(
        `/api/delivery/v1/entities/default/component/${entity.metadata.name}/overview`,
      );
      expect(res.status).toBe(200);
      expect(specViolations(schema, res.body)).toEqual([]);
    }
    const annotations = await request(app).get(
      '/api/delivery/v1/entities/default/component/checkout/annotations',
    );
    expect(
      specViolations(
        openapi.paths['/v1/entities/{namespace}/{kind}/{name}/annotations'].get
          .responses['200'].content['application/json'].schema,
        annotations.body,
      ),
    ).toEqual([]);
    const choices = await request(app).get('/api/delivery/v1/choices');
    expect(choices.status).toBe(200);
    expect(choices.body.argocdInstances.length).toBeGreaterThan(0);
    expect(
      specViolations(
        openapi.paths['/v1/choices'].get.responses['200'].content[
          'application/json'
        ].schema,
        choices.body,
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
      specViolations(schema, {
        entityRef: 'x',
        generatedAt: 'now',
        annotations: { instances: [], projects: [] },
        warnings: [],
        sources: [{ source: 'argocd', status: 'broken' }],
        environments: [{ name: 'dev' }],
      }),
    ).toEqual(
      expect.arrayContaining([
        '$.sources[0].status: "broken" is not one of ok,error,not-configured',
        '$.environments[0].applications: required',
        '$.environments[0].stages: required',
        '$.environments[0].rollouts: required',
      ]),
    );
  });
});

const ENTITY_PATH = '/v1/entities/{namespace}/{kind}/{name}';

/** The documented body schema of a route's response with this status. */
function responseSchema(route: string, method: string, status: number) {
  let response =
    openapi.paths[`${ENTITY_PATH}/${route}`]?.[method]?.responses?.[
      String(status)
    ];
  if (response?.$ref) {
    response = response.$ref
      .replace(/^#\//, '')
      .split('/')
      .reduce((o: any, k: string) => o?.[k], openapi);
  }
  const schema = response?.content?.['application/json']?.schema;
  if (!schema) throw new Error(`${method} ${route} documents no ${status}`);
  return schema;
}

/** Validation errors of a real response against its documented status and body. */
function conforms(route: string, method: string, res: request.Response) {
  return specViolations(responseSchema(route, method, res.status), res.body);
}

let keys = 0;
function action(overrides: object = {}) {
  keys++;
  return {
    environment: 'production',
    rollout: 'checkout',
    action: 'promote',
    reason: 'schema check',
    idempotencyKey: `openapi-${keys}-${Date.now()}`,
    ...overrides,
  };
}

const POLICY = '/api/delivery/v1/entities/default/component/checkout/policy';
const AUDIT = '/api/delivery/v1/entities/default/component/checkout/audit';

describe('schema/openapi.yaml: policy, actions and audit', () => {
  it("describes the policy route's answers", async () => {
    server.use(...worldHandlers(actionRecorder()).handlers);
    const { server: app } = await startActionsBackend();
    const checks: Array<[string, number]> = [
      ['?environment=production', 200],
      ['?environment=staging', 200],
      ['?environment=Not_Valid', 400],
      ['', 400],
      ['?environment=qa', 404],
    ];
    for (const [query, status] of checks) {
      const res = await request(app).get(`${POLICY}${query}`);
      expect([query, res.status]).toEqual([query, status]);
      expect(conforms('policy', 'get', res)).toEqual([]);
    }
    const res = await request(app).get(`${POLICY}?environment=production`);
    expect(res.body.evaluations[0].gates.length).toBeGreaterThan(0);
    expect(
      specViolations(openapi.components.schemas.RolloutActionRequest, {
        ...action(),
      }),
    ).toEqual([]);
  });

  it('describes every answer of the actions route: 200, 400, 403, 404, 409 and 503', async () => {
    const recorder = actionRecorder();
    server.use(...worldHandlers(recorder).handlers);
    const { server: app } = await startActionsBackend({
      permissions: permissionsDenying(deliveryOverridePermission.name),
    });
    const post = (body: object) => request(app).post(ACTIONS_PATH).send(body);

    const ok = await post(action());
    expect(ok.status).toBe(200);
    expect(ok.header['x-correlation-id']).toEqual(ok.body.record.correlationId);
    expect(conforms('actions', 'post', ok)).toEqual([]);

    for (const body of [
      action({ action: 'rollback' }),
      action({ idempotencyKey: 'short' }),
      action({ extra: true }),
      [],
    ]) {
      const res = await post(body);
      expect(res.status).toBe(400);
      expect(conforms('actions', 'post', res)).toEqual([]);
    }

    const missing = await post(action({ rollout: 'nope' }));
    expect(missing.status).toBe(404);
    expect(conforms('actions', 'post', missing)).toEqual([]);

    // the same action on the same state: rejected and recorded
    const again = await post(action());
    expect(again.status).toBe(409);
    expect(conforms('actions', 'post', again)).toEqual([]);

    // Argo CD fails the action
    server.use(
      http.post(
        `${INSTANCES_CONFIG[0].url}/api/v1/applications/:name/resource/actions/v2`,
        () =>
          HttpResponse.json(
            {
              error: 'error executing Lua resource action',
              code: 2,
              message: 'error executing Lua resource action',
            },
            { status: 500 },
          ),
      ),
    );
    const failed = await post(action({ action: 'abort' }));
    expect(failed.status).toBe(503);
    expect(failed.body.error.record).toMatchObject({
      outcome: 'failed',
      upstreamStatus: 500,
    });
    expect(conforms('actions', 'post', failed)).toEqual([]);
  });

  it('describes a policy block (409) and a refused override (403) with their gates', async () => {
    server.use(...worldHandlers(actionRecorder(), 0.08).handlers);
    const { server: app } = await startActionsBackend({
      permissions: permissionsDenying(deliveryOverridePermission.name),
    });
    const blocked = await request(app).post(ACTIONS_PATH).send(action());
    expect(blocked.status).toBe(409);
    expect(blocked.body.error).toMatchObject({
      name: 'ConflictError',
      record: { decision: 'blocked' },
      policy: { allowed: false },
    });
    expect(conforms('actions', 'post', blocked)).toEqual([]);

    const refused = await request(app)
      .post(ACTIONS_PATH)
      .send(action({ override: true }));
    expect(refused.status).toBe(403);
    expect(refused.body.error.gates.length).toBeGreaterThan(0);
    expect(conforms('actions', 'post', refused)).toEqual([]);
  });

  it('describes a permission denial (403) without a record', async () => {
    server.use(...worldHandlers(actionRecorder()).handlers);
    const { server: app } = await startActionsBackend({
      permissions: permissionsDenying(deliveryPromotePermission.name),
    });
    const denied = await request(app).post(ACTIONS_PATH).send(action());
    expect(denied.status).toBe(403);
    expect(denied.body.error.record).toBeUndefined();
    expect(conforms('actions', 'post', denied)).toEqual([]);
  });

  it("describes the audit route's pages and errors", async () => {
    server.use(...worldHandlers(actionRecorder(), 0.08).handlers);
    const { server: app } = await startActionsBackend();
    for (let i = 0; i < 3; i++) {
      await request(app).post(ACTIONS_PATH).send(action());
    }
    const first = await request(app).get(`${AUDIT}?limit=2`);
    expect(first.status).toBe(200);
    expect(first.body.items).toHaveLength(2);
    expect(first.body.items[0].gates.length).toBeGreaterThan(0);
    expect(first.body.nextCursor).toEqual(expect.any(String));
    expect(conforms('audit', 'get', first)).toEqual([]);
    const last = await request(app).get(
      `${AUDIT}?limit=2&cursor=${first.body.nextCursor}&decision=blocked`,
    );
    expect(last.status).toBe(200);
    expect(last.body.items).toHaveLength(1);
    expect(conforms('audit', 'get', last)).toEqual([]);
    for (const query of ['?limit=0', '?color=red', '?cursor=x%3D']) {
      const res = await request(app).get(`${AUDIT}${query}`);
      expect(res.status).toBe(400);
      expect(conforms('audit', 'get', res)).toEqual([]);
    }
    const unknown = await request(app).get(
      '/api/delivery/v1/entities/default/component/missing/audit',
    );
    expect(unknown.status).toBe(404);
    expect(conforms('audit', 'get', unknown)).toEqual([]);
  });

  it('rejects an audit page or action error that breaks the schema (the validator can fail)', () => {
    expect(
      specViolations(responseSchema('audit', 'get', 200), {
        items: [{ id: 'x', action: 'teleport', outcome: 'done' }],
        cursor: 'c',
      }),
    ).toEqual(
      expect.arrayContaining([
        '$.items[0].createdAt: required',
        '$.items[0].action: "teleport" is not one of promote,promote-full,abort,retry,refresh,sync,rollback',
        '$.items[0].outcome: "done" is not one of requested,succeeded,failed,rejected,outcome-unknown',
        '$.cursor: not in the schema',
      ]),
    );
    expect(
      specViolations(responseSchema('actions', 'post', 409), {
        error: {
          name: 'ConflictError',
          message: 'blocked',
          gates: [{ name: 'slo', evidence: [{ label: 'x', value: true }] }],
        },
      }),
    ).toEqual(
      expect.arrayContaining([
        '$.error.gates[0].kind: required',
        '$.error.gates[0].evidence[0].value: matches none of the anyOf alternatives',
      ]),
    );
  });
});

describe('the generated code', () => {
  it('is what scripts/openapi-generate.mjs makes of openapi.yaml now', () => {
    // fails (naming the files) when the spec changed without regenerating,
    // or a generated file was edited by hand
    expect(() =>
      execFileSync(
        process.execPath,
        [
          path.resolve(__dirname, '../../../../scripts/openapi-generate.mjs'),
          '--check',
        ],
        { stdio: 'pipe' },
      ),
    ).not.toThrow();
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
