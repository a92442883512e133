import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createArgoCdClient } from '../createArgoCdClient';
import { createCoalescingCache } from '../../cache/createCoalescingCache';
import { memoryCache } from '../../testUtils/memoryCache';
import type { ArgoCdClient } from '../ArgoCdClient';
import type { ArgoCdWatchChange } from './withArgoCdWatch';

const TOKEN = 'watch-token-0123456789';

type Mode = 'stream' | 'silent' | 'not-found' | 'end-at-once' | 'error-message';

/** A small Argo CD: a list, a tree, a Rollout and the two streams. */
class FakeArgoCd {
  server: Server;
  url = '';
  mode: Mode = 'stream';
  requests: string[] = [];
  apps = new Map<string, any>();
  version = 10;
  appStreams = new Set<ServerResponse>();
  treeStreams = new Set<ServerResponse>();
  rolloutStep = 1;
  podRestarts = 0;
  /** How long a list takes to answer. */
  listDelayMs = 0;
  /** Whether the resource-tree streams answer 404 (the rest as `mode`). */
  treesRefused = false;

  constructor() {
    this.server = createServer((req, res) => {
      const url = new URL(req.url!, 'http://x');
      this.requests.push(`${url.pathname}${url.search}`);
      if (req.headers.authorization !== `Bearer ${TOKEN}`) {
        res.writeHead(401).end();
        return;
      }
      const json = (body: unknown) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      };
      const p = url.pathname;
      if (p === '/api/v1/applications') {
        // the only selector form these tests send to Argo CD: key=value
        const [key, value] = (url.searchParams.get('selector') ?? '').split(
          '=',
        );
        const body = {
          metadata: { resourceVersion: String(this.version) },
          items: [...this.apps.values()].filter(
            a => !key || a.metadata.labels[key] === value,
          ),
        };
        setTimeout(() => json(body), this.listDelayMs);
      } else if (/^\/api\/v1\/applications\/[^/]+\/resource-tree$/.test(p)) {
        json(this.tree());
      } else if (/^\/api\/v1\/applications\/[^/]+\/resource$/.test(p)) {
        json({ manifest: JSON.stringify(this.rollout()) });
      } else if (
        /^\/api\/v1\/applications\/[^/]+\/resource\/actions$/.test(p)
      ) {
        json({ actions: [{ name: 'resume', disabled: false }] });
      } else if (p.startsWith('/api/v1/stream/')) {
        this.stream(p, url, res);
      } else {
        res.writeHead(404).end();
      }
    });
  }

  async start() {
    await new Promise<void>(r => this.server.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${
      (this.server.address() as AddressInfo).port
    }`;
    return this;
  }

  async stop() {
    this.server.closeAllConnections();
    await new Promise(r => this.server.close(r));
  }

  count(path: string) {
    return this.requests.filter(r => r.split('?')[0] === path).length;
  }

  app(name: string, labels: Record<string, string>, health = 'Healthy') {
    const app = {
      metadata: {
        name,
        namespace: 'argocd',
        labels,
        resourceVersion: String(++this.version),
      },
      spec: { project: 'default' },
      status: {
        health: { status: health },
        resources: [
          {
            group: 'argoproj.io',
            kind: 'Rollout',
            namespace: 'shop',
            name: 'checkout',
            health: { status: health },
          },
        ],
      },
    };
    const existed = this.apps.has(name);
    this.apps.set(name, app);
    this.send(this.appStreams, {
      type: existed ? 'MODIFIED' : 'ADDED',
      application: app,
    });
    return app;
  }

  tree() {
    return {
      nodes: [
        {
          group: 'argoproj.io',
          version: 'v1alpha1',
          kind: 'Rollout',
          namespace: 'shop',
          name: 'checkout',
          uid: 'r1',
          resourceVersion: String(100 + this.rolloutStep),
          info: [{ name: 'Step', value: String(this.rolloutStep) }],
        },
        {
          group: '',
          version: 'v1',
          kind: 'Pod',
          namespace: 'shop',
          name: 'checkout-abc',
          uid: 'p1',
          info: [{ name: 'Restarts', value: String(this.podRestarts) }],
        },
      ],
    };
  }

  /** A tree event in which only a pod changed. */
  podChurn() {
    this.podRestarts++;
    this.send(this.treeStreams, this.tree());
  }

  rollout() {
    return { kind: 'Rollout', status: { currentStepIndex: this.rolloutStep } };
  }

  step() {
    this.rolloutStep++;
    this.send(this.treeStreams, this.tree());
  }

  dropStreams() {
    for (const s of [...this.appStreams, ...this.treeStreams]) s.destroy();
  }

  private send(to: Set<ServerResponse>, result: unknown) {
    if (this.mode === 'silent') return;
    for (const res of to) res.write(`${JSON.stringify({ result })}\n`);
  }

  private stream(path: string, url: URL, res: ServerResponse) {
    if (
      this.mode === 'not-found' ||
      (this.treesRefused && path.endsWith('/resource-tree'))
    ) {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ message: `Not Found (${TOKEN})`, code: 5 }));
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.flushHeaders();
    const tree = path.endsWith('/resource-tree');
    const set = tree ? this.treeStreams : this.appStreams;
    set.add(res);
    res.on('close', () => set.delete(res));
    if (!tree && this.mode !== 'silent') {
      const since = url.searchParams.get('resourceVersion');
      for (const app of this.apps.values()) {
        if (!since || Number(app.metadata.resourceVersion) > Number(since)) {
          res.write(
            `${JSON.stringify({
              result: { type: since ? 'MODIFIED' : 'ADDED', application: app },
            })}\n`,
          );
        }
      }
    }
    if (this.mode === 'end-at-once') res.end();
    if (this.mode === 'error-message') {
      res.end(
        `${JSON.stringify({
          error: { grpc_code: 16, message: `bad token ${TOKEN}` },
        })}\n`,
      );
    }
  }
}

const timing = {
  backoffMs: 5,
  maxBackoffMs: 20,
  syncTimeoutMs: 200,
  stableMs: 60_000,
  failuresBeforePolling: 2,
  pollIntervalMs: 30,
  streamRetryMs: 60_000,
  viewInterestMs: 60_000,
  idleMs: 60_000,
  verifyMs: 60_000,
};

async function until(what: string, condition: () => boolean) {
  for (let i = 0; i < 2000; i++) {
    if (condition()) return;
    await new Promise(r => setTimeout(r, 5));
  }
  throw new Error(`gave up waiting for ${what}`);
}

describe('Argo CD watch', () => {
  let argocd: FakeArgoCd;
  let client: ArgoCdClient;
  let changes: ArgoCdWatchChange[];
  let logs: string[];

  const make = (overrides: Partial<typeof timing> = {}, timeoutMs = 1000) => {
    changes = [];
    logs = [];
    const log = (m: string) => logs.push(m);
    client = createArgoCdClient({
      instances: [{ name: 'main', url: argocd.url, token: TOKEN }],
      timeoutMs,
      cache: createCoalescingCache(memoryCache()),
      liveTtlMs: 0,
      logger: { info: log, warn: log, error: log, debug: log } as any,
      watch: {
        enabled: true,
        timing: { ...timing, ...overrides },
        onChange: c => changes.push(c),
      },
    });
  };

  beforeEach(async () => {
    argocd = await new FakeArgoCd().start();
    argocd.app('checkout-dev', { app: 'checkout', env: 'dev' });
    argocd.app(
      'checkout-prod',
      { app: 'checkout', env: 'prod' },
      'Progressing',
    );
    argocd.app('payments-dev', { app: 'payments' });
    make();
  });
  afterEach(async () => {
    await client.stopWatching?.();
    await argocd.stop();
  });

  const serving = () => client.watchStatus?.()[0]?.serving === true;
  const query = { selector: 'app=checkout' };

  it('serves lists from one stream per instance, whatever the number of viewers, and follows its events', async () => {
    // the first read starts the stream and is answered by Argo CD
    expect((await client.listApplications('main', query)).length).toBe(2);
    await until('the stream to sync', serving);
    argocd.requests = [];
    const views = await Promise.all(
      Array.from({ length: 50 }, () => client.listApplications('main', query)),
    );
    for (const v of views) {
      expect(v.map(a => a.metadata.name)).toEqual([
        'checkout-dev',
        'checkout-prod',
      ]);
    }
    expect(
      await client.listApplications('main', {
        selector: 'app notin (checkout)',
      }),
    ).toHaveLength(1);
    expect(argocd.requests).toEqual([]);
    expect(argocd.appStreams.size).toBe(1);

    argocd.app('checkout-dev', { app: 'checkout', env: 'dev' }, 'Degraded');
    await until('the change', () => changes.length > 0);
    expect(changes[0]).toEqual({
      instance: 'main',
      application: {
        name: 'checkout-dev',
        appNamespace: 'argocd',
        project: 'default',
      },
      kind: 'application',
    });
    const [dev] = await client.listApplications('main', query);
    expect(dev.status?.health?.status).toBe('Degraded');
    expect(argocd.requests).toEqual([]);
    // a fresh read still asks Argo CD
    await client.listApplications('main', query, { fresh: true });
    expect(argocd.count('/api/v1/applications')).toBe(1);
  });

  it("shares one list between a new stream's check and a read of the same list while the stream starts (the fleet's first refresh)", async () => {
    argocd.listDelayMs = 100;
    // the first read starts the stream; the stream's check lists the same
    // query while this read's list is still answering: one call for both
    expect((await client.listApplications('main', {})).length).toBe(3);
    await until('the stream to sync', serving);
    expect(argocd.count('/api/v1/applications')).toBe(1);
    expect(argocd.count('/api/v1/stream/applications')).toBe(1);
  });

  it('keeps a quiet stream open longer than the call timeout (the timeout covers the headers only)', async () => {
    await client.stopWatching?.();
    make({}, 500);
    await client.listApplications('main', query);
    await until('the stream to sync', serving);
    await new Promise(r => setTimeout(r, 1200));
    expect(serving()).toBe(true);
    expect(argocd.count('/api/v1/stream/applications')).toBe(1);
    expect(logs).toEqual([]);
  });

  it('reconnects with back-off after a drop and resumes after the last resourceVersion', async () => {
    await client.listApplications('main', query);
    await until('the stream to sync', serving);
    const last = argocd.version;
    argocd.dropStreams();
    await until('the reconnect', () =>
      argocd.requests.some(r => r.includes(`resourceVersion=${last}`)),
    );
    await until('serving again', serving);
    argocd.app('payments-dev', { app: 'payments' }, 'Degraded');
    await until('the change after the resume', () =>
      changes.some(c => c.application.name === 'payments-dev'),
    );
    expect(argocd.appStreams.size).toBe(1);
  });

  it('finds out a current stream that stopped sending (a list shows a change it did not send), and reconnects', async () => {
    await client.stopWatching?.();
    make({ verifyMs: 100 });
    await client.listApplications('main', query);
    await until('the stream to sync', serving);
    // quiet and flowing: the checks find nothing to say
    await new Promise(r => setTimeout(r, 350));
    expect(client.watchStatus!()[0].problem).toBeUndefined();
    expect(argocd.count('/api/v1/stream/applications')).toBe(1);
    // the connection stays open but nothing more comes through it
    argocd.mode = 'silent';
    argocd.app('payments-dev', { app: 'payments' }, 'Degraded');
    await until('the stalled stream found out', () =>
      logs.some(l => l.includes('did not send 1 change(s) a list showed')),
    );
    // it reconnects (resuming), and the resume's list brings the change
    await until('the missed change', () =>
      changes.some(c => c.application.name === 'payments-dev'),
    );
    await until(
      'the reconnect',
      () => argocd.count('/api/v1/stream/applications') > 1,
    );
    const apps = await client.listApplications('main', {
      selector: 'app=payments',
    });
    expect(apps[0].status?.health?.status).toBe('Degraded');
  });

  it('falls back to polling when the server never sends, and streams again when it does', async () => {
    await client.stopWatching?.();
    make({ streamRetryMs: 150 });
    argocd.mode = 'silent';
    await client.listApplications('main', query);
    await until('polling', () => client.watchStatus!()[0].mode === 'polling');
    await until('a poll', serving);
    expect(logs.some(l => l.includes('does not stream'))).toBe(true);
    expect(client.watchStatus!()[0]).toMatchObject({
      problem: expect.stringContaining('sent no Applications within'),
      pollIntervalMs: timing.pollIntervalMs,
    });
    // views are served from the polled state; a change is seen by the next poll
    argocd.requests = [];
    await client.listApplications('main', query);
    expect(argocd.count('/api/v1/applications')).toBeLessThanOrEqual(1);
    argocd.app('checkout-prod', { app: 'checkout', env: 'prod' }, 'Healthy');
    await until('the polled change', () =>
      changes.some(c => c.application.name === 'checkout-prod'),
    );
    // the server streams again: the next stream retry takes over
    argocd.mode = 'stream';
    await until(
      'streaming again',
      () => client.watchStatus!()[0].mode === 'streaming' && serving(),
    );
    // and the watch no longer says why it is not current
    expect(client.watchStatus!()[0].problem).toBeUndefined();
  });

  it("tells of each streamed Application when the stream's health changes, so open views refetch its note", async () => {
    await client.stopWatching?.();
    make({ streamRetryMs: 150 });
    await client.listApplications('main', query);
    await until('the stream to sync', serving);
    expect(changes).toEqual([]);
    // the stream breaks: nothing changed in Argo CD, yet every view of the
    // instance now has a note to show
    argocd.mode = 'not-found';
    argocd.dropStreams();
    await until('polling', () => client.watchStatus!()[0].mode === 'polling');
    const names = () => [...new Set(changes.map(c => c.application.name))];
    await until('the broken stream told', () => names().length === 3);
    expect(changes.every(c => c.kind === 'application')).toBe(true);
    // and again once a stream is current
    changes = [];
    argocd.mode = 'stream';
    await until(
      'streaming again',
      () => client.watchStatus!()[0].problem === undefined,
    );
    await until('the recovered stream told', () => names().length === 3);
  });

  it('falls back to polling when the server has no stream endpoint, without a token in any log line', async () => {
    argocd.mode = 'not-found';
    await client.listApplications('main', query);
    await until('polling', () => client.watchStatus!()[0].mode === 'polling');
    expect(logs.join('\n')).toContain('HTTP 404');
    expect(logs.join('\n')).not.toContain(TOKEN);
    const { problem } = client.watchStatus!()[0];
    expect(problem).toContain('HTTP 404');
    expect(problem).not.toContain(TOKEN);
  });

  it('redacts the token from an error Argo CD sends on the stream', async () => {
    argocd.mode = 'error-message';
    await client.listApplications('main', query);
    await until('the error to be logged', () =>
      logs.some(l => l.includes('Argo CD ended the stream')),
    );
    expect(logs.join('\n')).toContain('token ***');
    expect(logs.join('\n')).not.toContain(TOKEN);
    await until('the problem', () => Boolean(client.watchStatus!()[0].problem));
    expect(client.watchStatus!()[0].problem).not.toContain(TOKEN);
  });

  it('falls back to polling when a proxy ends every stream at once', async () => {
    argocd.mode = 'end-at-once';
    await client.listApplications('main', query);
    await until('polling', () => client.watchStatus!()[0].mode === 'polling');
    expect(argocd.count('/api/v1/stream/applications')).toBe(
      timing.failuresBeforePolling,
    );
    expect(client.watchStatus!()[0].problem).toBe('the stream ended');
  });

  it('watches the tree of a viewed Application: no tree read, and the Rollout is read again only when the tree shows it changed', async () => {
    const ref = { name: 'checkout-prod', appNamespace: 'argocd' };
    const rollout = {
      group: 'argoproj.io',
      version: 'v1alpha1',
      kind: 'Rollout',
      namespace: 'shop',
      name: 'checkout',
    };
    await client.listApplications('main', query);
    await client.getResourceTree('main', ref);
    await until('the tree stream', () =>
      Boolean(client.watchStatus!()[0].healthyTreeStreams === 1 && serving()),
    );
    // the view's read of the tree seeded the stream: one read, not two
    expect(
      argocd.count('/api/v1/applications/checkout-prod/resource-tree'),
    ).toBe(1);
    argocd.requests = [];
    const views = async () =>
      Promise.all(
        Array.from({ length: 20 }, async () => {
          const tree = await client.getResourceTree('main', ref);
          const live = await client.getResource('main', ref, rollout);
          const actions = await client.getResourceActions('main', ref, rollout);
          return { tree, live, actions };
        }),
      );
    const first = await views();
    expect(first[19].live).toEqual({
      kind: 'Rollout',
      status: { currentStepIndex: 1 },
    });
    await views();
    // one Rollout read and one actions read for 40 views; no tree read
    expect(argocd.requests.map(r => r.split('?')[0]).sort()).toEqual([
      '/api/v1/applications/checkout-prod/resource',
      '/api/v1/applications/checkout-prod/resource/actions',
    ]);
    // a pod restarted: the Rollout is at the same resourceVersion
    argocd.podChurn();
    await until('the pod event', () => changes.some(c => c.kind === 'tree'));
    await views();
    expect(argocd.count('/api/v1/applications/checkout-prod/resource')).toBe(1);
    argocd.step();
    await until(
      'the Rollout event',
      () => changes.filter(c => c.kind === 'tree').length === 2,
    );
    const after = await views();
    expect(after[0].live).toEqual({
      kind: 'Rollout',
      status: { currentStepIndex: 2 },
    });
    expect(after[0].actions).toEqual([{ name: 'resume', disabled: false }]);
    expect(after[0].tree.nodes?.[0].info).toEqual([
      { name: 'Step', value: '2' },
    ]);
    expect(argocd.count('/api/v1/applications/checkout-prod/resource')).toBe(2);
    expect(
      argocd.count('/api/v1/applications/checkout-prod/resource-tree'),
    ).toBe(0);
    expect(argocd.treeStreams.size).toBe(1);

    // like an informer's resync: a read 30 s old is made again, changed or
    // not (a missed event is not kept forever)
    const realNow = Date.now();
    const clock = jest.spyOn(Date, 'now').mockReturnValue(realNow + 31_000);
    try {
      await views();
    } finally {
      clock.mockRestore();
    }
    expect(argocd.count('/api/v1/applications/checkout-prod/resource')).toBe(3);
  });

  it('names the Application whose tree stream failed, while its Application stream is current, until the tree streams again', async () => {
    await client.stopWatching?.();
    // after two failed tree streams, the next try is 100 ms later
    make({ streamRetryMs: 100 });
    const ref = { name: 'checkout-prod', appNamespace: 'argocd' };
    await client.listApplications('main', query);
    await client.getResourceTree('main', ref);
    await until('the tree stream', () =>
      Boolean(client.watchStatus!()[0].healthyTreeStreams === 1 && serving()),
    );
    expect(client.watchStatus!()[0].brokenTrees).toBeUndefined();
    argocd.treesRefused = true;
    for (const res of argocd.treeStreams) res.destroy();
    await until('the broken tree', () =>
      Boolean(client.watchStatus!()[0].brokenTrees?.[0].problem),
    );
    const status = client.watchStatus!()[0];
    expect(status.brokenTrees).toEqual([
      {
        name: 'checkout-prod',
        appNamespace: 'argocd',
        problem: expect.any(String),
      },
    ]);
    expect(status.brokenTrees![0].problem).not.toContain(TOKEN);
    // the Application stream is fine: no problem of the instance
    expect(status.problem).toBeUndefined();
    expect(status.mode).toBe('streaming');
    argocd.treesRefused = false;
    await until(
      'the tree streaming again',
      () =>
        client.watchStatus!()[0].brokenTrees === undefined &&
        client.watchStatus!()[0].healthyTreeStreams === 1,
    );
  });

  it('is off when not enabled: every read goes to Argo CD', async () => {
    await client.stopWatching?.();
    client = createArgoCdClient({
      instances: [{ name: 'main', url: argocd.url, token: TOKEN }],
      timeoutMs: 1000,
      watch: { enabled: false },
    });
    await client.listApplications('main', query);
    await client.listApplications('main', query);
    expect(argocd.count('/api/v1/applications')).toBe(2);
    expect(argocd.count('/api/v1/stream/applications')).toBe(0);
  });
});
