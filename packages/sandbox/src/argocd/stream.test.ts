import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { argocdSwagger } from 'delivery-test-data';
import { ARGO_AUTH, getJson, testSandbox } from '../testUtils';
import type { Sandbox } from '../server';
import type { Clock } from '../clock';

/** Reads a newline-delimited JSON stream message by message. */
function lines(res: Response) {
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  const queue: unknown[] = [];
  return {
    async next(): Promise<any> {
      for (;;) {
        const message = queue.shift();
        if (message !== undefined) return message;
        const nl = buffer.indexOf('\n');
        if (nl >= 0) {
          const line = buffer.slice(0, nl);
          buffer = buffer.slice(nl + 1);
          if (line.trim()) queue.push(JSON.parse(line));
          continue;
        }
        const { value, done } = await reader.read();
        if (done) throw new Error('stream ended');
        buffer += decoder.decode(value, { stream: true });
      }
    },
    cancel: () => reader.cancel().catch(() => {}),
  };
}

// the swagger's stream result schemas, resolved against its definitions
const swagger = argocdSwagger();
const ajv = new Ajv({ strict: false });
addFormats(ajv);
for (const f of ['int32', 'int64', 'byte']) ajv.addFormat(f, true);
ajv.addSchema({ $id: 'argocd', definitions: swagger.definitions });
const streamSchema = (path: string) => {
  const schema = JSON.parse(
    JSON.stringify(swagger.paths[path].get.responses['200'].schema).replace(
      /"#\/definitions\//g,
      '"argocd#/definitions/',
    ),
  );
  return ajv.compile(schema);
};
const appEnvelope = streamSchema('/api/v1/stream/applications');
const treeEnvelope = streamSchema(
  '/api/v1/stream/applications/{applicationName}/resource-tree',
);

describe('Argo CD watch streams', () => {
  let sandbox: Sandbox & { clock: Clock };
  const open: Array<{ cancel(): void }> = [];
  beforeAll(async () => {
    process.env.SANDBOX_STREAM_TICK_MS = '20';
    sandbox = await testSandbox('demo');
  });
  afterEach(async () => {
    for (const s of open.splice(0)) s.cancel();
    await getJson(`${sandbox.url}/sandbox/argocd-streams`, {
      method: 'POST',
      body: JSON.stringify({ fault: 'none' }),
    });
  });
  afterAll(() => sandbox.close());

  const stream = async (path: string) => {
    const res = await fetch(`${sandbox.url}/argocd/main${path}`, {
      headers: ARGO_AUTH,
    });
    expect(res.status).toBe(200);
    const s = lines(res);
    open.push(s);
    return s;
  };

  it('starts with ADDED per matching Application, then sends each change once, in the swagger envelope', async () => {
    const s = await stream(
      '/api/v1/stream/applications?selector=app%3Dcheckout',
    );
    const initial = [await s.next(), await s.next(), await s.next()];
    for (const m of initial) expect(appEnvelope(m)).toBe(true);
    expect(initial.map(m => m.result.type)).toEqual([
      'ADDED',
      'ADDED',
      'ADDED',
    ]);
    expect(initial.map(m => m.result.application.metadata.name).sort()).toEqual(
      ['checkout-dev', 'checkout-production', 'checkout-staging'],
    );
    // a sync is a change of the Application's operation state
    const sync = await getJson(
      `${sandbox.url}/argocd/main/api/v1/applications/checkout-dev/sync`,
      {
        method: 'POST',
        headers: { ...ARGO_AUTH, 'content-type': 'application/json' },
        body: '{}',
      },
    );
    expect(sync.status).toBe(200);
    const changed = await s.next();
    expect(appEnvelope(changed)).toBe(true);
    expect(changed.result.type).toBe('MODIFIED');
    expect(changed.result.application.metadata.name).toBe('checkout-dev');
    expect(
      Number(changed.result.application.metadata.resourceVersion),
    ).toBeGreaterThan(
      Math.max(
        ...initial.map(m =>
          Number(m.result.application.metadata.resourceVersion),
        ),
      ),
    );
  });

  it('honours the filters and resumes after a resourceVersion with what changed since', async () => {
    const s = await stream('/api/v1/stream/applications?name=checkout-staging');
    const first = await s.next();
    expect(first.result.application.metadata.name).toBe('checkout-staging');
    const version = first.result.application.metadata.resourceVersion;
    s.cancel();
    await getJson(
      `${sandbox.url}/argocd/main/api/v1/applications/checkout-staging/sync`,
      {
        method: 'POST',
        headers: { ...ARGO_AUTH, 'content-type': 'application/json' },
        body: '{}',
      },
    );
    // the other Applications change too, but only checkout-staging is asked for
    const resumed = await stream(
      `/api/v1/stream/applications?name=checkout-staging&resourceVersion=${version}`,
    );
    const m = await resumed.next();
    expect(m.result.type).toBe('MODIFIED');
    expect(m.result.application.metadata.name).toBe('checkout-staging');
    expect(m.result.application.status.operationState.phase).toBe('Running');
  });

  it('streams the resource tree of an Application on every change of the canary', async () => {
    const s = await stream(
      '/api/v1/stream/applications/checkout-production/resource-tree',
    );
    const state = await getJson(`${sandbox.url}/sandbox/state`);
    const before = state.body.services.checkout.rollout.currentStepIndex;
    await getJson(`${sandbox.url}/sandbox/clock/advance`, {
      method: 'POST',
      body: JSON.stringify({ seconds: 900 }),
    });
    const tree = await s.next();
    expect(treeEnvelope(tree)).toBe(true);
    const rollout = tree.result.nodes.find((n: any) => n.kind === 'Rollout');
    expect(rollout.name).toBe('checkout');
    const after = (await getJson(`${sandbox.url}/sandbox/state`)).body.services
      .checkout.rollout.currentStepIndex;
    expect(after).not.toBe(before);
  });

  it('keeps streaming the tree after a scenario switch replaces the Application', async () => {
    const s = await stream(
      '/api/v1/stream/applications/checkout-production/resource-tree',
    );
    const switched = await getJson(`${sandbox.url}/sandbox/scenario`, {
      method: 'POST',
      body: JSON.stringify({ service: 'checkout', scenario: 'slo-breach' }),
    });
    expect(switched.status).toBe(200);
    const tree = await s.next();
    expect(treeEnvelope(tree)).toBe(true);
    expect(tree.result.nodes.some((n: any) => n.kind === 'Rollout')).toBe(true);
  });

  it('answers 500, drops or stays silent when told to', async () => {
    const control = (fault: string) =>
      getJson(`${sandbox.url}/sandbox/argocd-streams`, {
        method: 'POST',
        body: JSON.stringify({ fault }),
      });
    expect((await control('sometimes')).status).toBe(400);
    await control('error');
    const refused = await fetch(
      `${sandbox.url}/argocd/main/api/v1/stream/applications`,
      { headers: ARGO_AUTH },
    );
    expect(refused.status).toBe(500);
    await refused.text();
    await control('drop');
    await expect(
      fetch(`${sandbox.url}/argocd/main/api/v1/stream/applications`, {
        headers: ARGO_AUTH,
      }).then(r => r.text()),
    ).rejects.toThrow();
    await control('silent');
    const silent = new AbortController();
    const quiet = await fetch(
      `${sandbox.url}/argocd/main/api/v1/stream/applications`,
      { headers: ARGO_AUTH, signal: silent.signal },
    );
    expect(quiet.status).toBe(200);
    const reader = quiet.body!.getReader();
    const nothing = await Promise.race([
      reader.read().then(() => 'a byte'),
      new Promise(resolve => setTimeout(() => resolve('nothing'), 1500)),
    ]);
    expect(nothing).toBe('nothing');
    silent.abort();
    await reader.read().catch(() => undefined);
    // only the tree streams: the Application stream still answers
    expect(
      (
        await getJson(`${sandbox.url}/sandbox/argocd-streams`, {
          method: 'POST',
          body: JSON.stringify({ fault: 'error', streams: 'trees' }),
        })
      ).body,
    ).toEqual({ fault: 'error', streams: 'trees' });
    const treeRefused = await fetch(
      `${sandbox.url}/argocd/main/api/v1/stream/applications/checkout-dev/resource-tree`,
      { headers: ARGO_AUTH },
    );
    expect(treeRefused.status).toBe(500);
    await treeRefused.text();
    const apps = await stream('/api/v1/stream/applications?name=checkout-dev');
    expect((await apps.next()).result.type).toBe('ADDED');
    expect(
      (
        await getJson(`${sandbox.url}/sandbox/argocd-streams`, {
          method: 'POST',
          body: JSON.stringify({ fault: 'error', streams: 'pods' }),
        })
      ).status,
    ).toBe(400);
    await control('none');
    const s = await stream('/api/v1/stream/applications?name=checkout-dev');
    expect((await s.next()).result.type).toBe('ADDED');
  });

  it('refuses a stream without a token, like every other route', async () => {
    const res = await fetch(
      `${sandbox.url}/argocd/main/api/v1/stream/applications`,
    );
    expect(res.status).toBe(401);
    await res.text();
  });
});
