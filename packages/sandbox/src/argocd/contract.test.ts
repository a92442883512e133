import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { argocdSwagger, jsonFixture } from 'delivery-test-data';
import { ARGO_AUTH, getJson, testSandbox } from '../testUtils';
import type { Sandbox } from '../server';

/*
 * Every Argo CD response the sandbox gives, validated against the
 * definitions of the Argo CD swagger contract. The definitions are made
 * strict (additionalProperties: false, the ResourceRef allOf of
 * ResourceNode inlined) so that a field the real API does not have fails.
 */

type Schema = Record<string, any>;

function strictDefinitions(): Record<string, Schema> {
  const swagger = argocdSwagger();
  const defs: Record<string, Schema> = swagger.definitions;
  const out: Record<string, Schema> = {};
  for (const [name, def] of Object.entries(defs)) {
    const copy: Schema = JSON.parse(JSON.stringify(def));
    if (copy.allOf) {
      for (const part of copy.allOf) {
        const ref = part.$ref?.replace('#/definitions/', '');
        Object.assign(
          (copy.properties ??= {}),
          ref ? defs[ref].properties : part.properties,
        );
      }
      delete copy.allOf;
    }
    if (copy.properties && copy.additionalProperties === undefined)
      copy.additionalProperties = false;
    out[name] = copy;
  }
  return out;
}

const ajv = new Ajv({ strict: false, allErrors: true });
addFormats(ajv);
for (const f of ['int32', 'int64', 'byte']) ajv.addFormat(f, true);
ajv.addSchema({ $id: 'argocd', definitions: strictDefinitions() });

function validator(definition: string): ValidateFunction {
  const v = ajv.getSchema(`argocd#/definitions/${definition}`);
  if (!v) throw new Error(`no definition ${definition}`);
  return v;
}

let validated = 0;
function expectValid(definition: string, body: unknown, what: string) {
  const v = validator(definition);
  const ok = v(body);
  if (!ok) {
    throw new Error(
      `${what} does not match ${definition}: ${ajv.errorsText(v.errors, {
        separator: '\n',
      })}`,
    );
  }
  validated++;
}

describe('Argo CD contract: every response matches argocd-swagger.json', () => {
  let sandbox: Sandbox;
  const base = (instance: string) => `${sandbox.url}/argocd/${instance}/api/v1`;
  const get = (url: string) => getJson(url, { headers: ARGO_AUTH });
  const post = (url: string, body: unknown) =>
    getJson(url, {
      method: 'POST',
      headers: { ...ARGO_AUTH, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });

  beforeAll(async () => {
    sandbox = await testSandbox('demo');
  });
  afterAll(() => sandbox.close());

  it('keeps its strict definitions honest: the recorded guestbook Application validates', () => {
    const fixture = jsonFixture('argocd/application-guestbook-synced.json');
    expectValid(
      'v1alpha1Application',
      fixture,
      'fixture application-guestbook-synced.json',
    );
    expect(
      validator('v1alpha1Application')({ ...fixture, unknownField: 1 }),
    ).toBe(false);
  });

  it.each(['main', 'nonprod'])(
    'validates everything instance %s serves',
    async instance => {
      // let the demo move: canaries progress, analysis runs appear
      (sandbox as any).clock.advance(15 * 60_000);
      const list = await get(`${base(instance)}/applications`);
      expect(list.status).toBe(200);
      expectValid('v1alpha1ApplicationList', list.body, 'list');
      const fielded = await get(
        `${base(
          instance,
        )}/applications?fields=items.metadata.name,items.status.sync.status,items.status.health,items.status.summary`,
      );
      expectValid('v1alpha1ApplicationList', fielded.body, 'list with fields');
      expect(Object.keys(fielded.body.items[0]).sort()).toEqual([
        'metadata',
        'status',
      ]);

      for (const item of list.body.items) {
        const name = item.metadata.name;
        const app = await get(`${base(instance)}/applications/${name}`);
        expectValid('v1alpha1Application', app.body, `application ${name}`);

        const tree = await get(
          `${base(instance)}/applications/${name}/resource-tree`,
        );
        expectValid(
          'v1alpha1ApplicationTree',
          tree.body,
          `resource-tree ${name}`,
        );

        const managed = await get(
          `${base(instance)}/applications/${name}/managed-resources`,
        );
        expectValid(
          'applicationManagedResourcesResponse',
          managed.body,
          `managed-resources ${name}`,
        );
        for (const diff of managed.body.items) {
          expect(JSON.parse(diff.liveState).kind).toBe(diff.kind);
          expect(JSON.parse(diff.targetState).kind).toBe(diff.kind);
        }

        for (const node of tree.body.nodes) {
          const q = new URLSearchParams({
            namespace: node.namespace,
            resourceName: node.name,
            group: node.group,
            kind: node.kind,
            version: node.version,
          });
          const resource = await get(
            `${base(instance)}/applications/${name}/resource?${q}`,
          );
          expectValid(
            'applicationApplicationResourceResponse',
            resource.body,
            `resource ${node.kind}/${node.name}`,
          );
          const manifest = JSON.parse(resource.body.manifest);
          expect(manifest).toMatchObject({
            kind: node.kind,
            metadata: { name: node.name, uid: node.uid },
          });
          const actions = await get(
            `${base(instance)}/applications/${name}/resource/actions?${q}`,
          );
          expectValid(
            'applicationResourceActionsListResponse',
            actions.body,
            `actions ${node.kind}/${node.name}`,
          );
        }

        const history = app.body.status.history as Array<{
          revision?: string;
          revisions?: string[];
        }>;
        for (const h of history) {
          const revisions = h.revisions ?? [h.revision!];
          for (const [index, revision] of revisions.entries()) {
            const meta = await get(
              `${base(
                instance,
              )}/applications/${name}/revisions/${revision}/metadata?sourceIndex=${index}`,
            );
            expect(meta.status).toBe(200);
            expectValid(
              'v1alpha1RevisionMetadata',
              meta.body,
              `metadata ${revision}`,
            );
          }
        }
      }
    },
    60_000,
  );

  it('validates action, sync, rollback and session responses and every error body', async () => {
    const rq =
      'namespace=checkout&resourceName=checkout&group=argoproj.io&kind=Rollout&version=v1alpha1';
    const v1 = await post(
      `${base('main')}/applications/checkout-production/resource/actions?${rq}`,
      'restart',
    );
    expect(v1.status).toBe(200);
    expectValid('applicationApplicationResponse', v1.body, 'action v1');
    const v2 = await post(
      `${base('main')}/applications/checkout-production/resource/actions/v2`,
      {
        name: 'checkout-production',
        namespace: 'checkout',
        resourceName: 'checkout',
        group: 'argoproj.io',
        kind: 'Rollout',
        version: 'v1alpha1',
        action: 'restart',
      },
    );
    expect(v2.status).toBe(200);
    expectValid('applicationApplicationResponse', v2.body, 'action v2');

    const sync = await post(
      `${base('main')}/applications/search-production/sync`,
      { prune: false },
    );
    expect(sync.status).toBe(200);
    expectValid('v1alpha1Application', sync.body, 'sync');
    expect(sync.body.status.operationState.phase).toBe('Running');
    const busy = await post(
      `${base('main')}/applications/search-production/sync`,
      {},
    );
    expect(busy.status).toBe(400);
    expectValid('runtimeError', busy.body, 'sync in progress');

    const rollback = await post(
      `${base('main')}/applications/payments-production/rollback`,
      { id: 0 },
    );
    expect(rollback.status).toBe(200);
    expectValid('v1alpha1Application', rollback.body, 'rollback');
    const autoSync = await post(
      `${base('main')}/applications/payments-dev/rollback`,
      { id: 0 },
    );
    expect(autoSync.status).toBe(400);
    expect(autoSync.body.message).toBe(
      'rollback cannot be initiated when auto-sync is enabled',
    );

    const session = await getJson(`${base('main')}/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password: 'sandbox-password' }),
    });
    expectValid('sessionSessionResponse', session.body, 'session');

    const terminate = await getJson(
      `${base('main')}/applications/search-production/operation`,
      {
        method: 'DELETE',
        headers: { ...ARGO_AUTH, 'content-type': 'application/json' },
      },
    );
    expect(terminate.status).toBe(200);
    expectValid(
      'applicationOperationTerminateResponse',
      terminate.body,
      'terminate',
    );
    const noOperation = await getJson(
      `${base('main')}/applications/search-production/operation`,
      {
        method: 'DELETE',
        headers: { ...ARGO_AUTH, 'content-type': 'application/json' },
      },
    );
    expect(noOperation.status).toBe(400);
    expectValid(
      'runtimeError',
      noOperation.body,
      'terminate without operation',
    );
    const version = await get(`${sandbox.url}/argocd/main/api/version`);
    expectValid('versionVersionMessage', version.body, 'version');
    const anonymousVersion = await getJson(
      `${sandbox.url}/argocd/main/api/version`,
    );
    expect(Object.keys(anonymousVersion.body)).toEqual(['Version']);
    const userinfo = await get(`${base('main')}/session/userinfo`);
    expectValid('sessionGetUserInfoResponse', userinfo.body, 'userinfo');
    expect(userinfo.body.loggedIn).toBe(true);
    const logout = await getJson(`${base('main')}/session`, {
      method: 'DELETE',
      headers: { ...ARGO_AUTH, 'content-type': 'application/json' },
    });
    expectValid('sessionSessionResponse', logout.body, 'logout');

    const errors = [
      await getJson(`${base('main')}/applications`),
      await get(`${base('main')}/applications/nope`),
      await get(`${base('main')}/applications/checkout?project=storefront`),
      await get(
        `${base(
          'main',
        )}/applications/checkout-production/resource?namespace=checkout&resourceName=x&group=apps&kind=Deployment&version=v1`,
      ),
      await get(`${base('main')}/applications?selector=app%3E1`),
    ];
    expect(errors.map(e => e.status)).toEqual([401, 403, 404, 400, 500]);
    for (const e of errors)
      expectValid('runtimeError', e.body, `error ${e.status}`);
    expect(validated).toBeGreaterThan(100);
  });
});
