import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import type {
  DeliveryOverview,
  SourceStatus,
} from '@gitops-delivery/backstage-plugin-delivery-common';
import request from 'supertest';
import {
  sandboxArgoCdInstances,
  startSandboxProcess,
  type SandboxProcess,
} from '../__testUtils__/sandboxProcess';
import { deliveryPlugin } from '../plugin';

/**
 * A broken Argo CD stream degrades to polling with a note on that source
 * only, and recovers without a restart: the real sandbox (packages/sandbox,
 * as `npm start` runs it, on a random port) behind the real plugin with
 * the watch on; its stream faults (`POST /sandbox/argocd-streams`) answer
 * every stream with 500, drop the connection, or keep it open and never
 * send, and are lifted again.
 */

jest.setTimeout(90_000);

let sandbox: SandboxProcess | undefined;
let sandboxUrl: string;

beforeAll(async () => {
  sandbox = await startSandboxProcess();
  sandboxUrl = sandbox.url;
});

afterAll(() => {
  sandbox?.stop();
});

const CHECKOUT = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  // as examples/entities.yaml
  metadata: {
    name: 'checkout',
    namespace: 'default',
    annotations: {
      'argocd/app-selector': 'app=checkout',
      'argocd/instance-name': 'main',
    },
  },
  spec: { type: 'service', lifecycle: 'production', owner: 'team-storefront' },
};

async function fault(
  name: 'none' | 'error' | 'drop' | 'silent',
  streams: 'all' | 'trees' = 'all',
) {
  const res = await request(sandboxUrl)
    .post('/sandbox/argocd-streams')
    .send({ fault: name, streams });
  expect(res.status).toBe(200);
}

async function until<T>(
  what: string,
  read: () => Promise<T>,
  check: (value: T) => boolean,
): Promise<T> {
  // a bound for failure only
  const deadline = Date.now() + 30_000;
  for (;;) {
    const value = await read();
    if (check(value)) return value;
    if (Date.now() > deadline) {
      throw new Error(
        `Timed out waiting for ${what}; last: ${JSON.stringify(value)}`,
      );
    }
    await new Promise(resolve => setTimeout(resolve, 250));
  }
}

async function startBackend() {
  const { server } = await startTestBackend({
    features: [
      deliveryPlugin,
      catalogServiceMock.factory({ entities: [CHECKOUT] }),
      mockServices.rootConfig.factory({
        data: {
          delivery: {
            argocd: {
              instances: sandboxArgoCdInstances(sandboxUrl, ['main']),
              // the fallback lists every second and streams again after
              // 2 s; a new stream that sent nothing for 2 s has failed
              watch: {
                pollIntervalSeconds: 1,
                streamRetrySeconds: 2,
                syncTimeoutSeconds: 2,
              },
            },
            cache: { ttlSeconds: 0 },
          },
        },
      }),
    ],
  });
  return async (): Promise<SourceStatus[]> => {
    const res = await request(server).get(
      '/api/delivery/v1/entities/default/component/checkout/overview',
    );
    expect(res.status).toBe(200);
    return (res.body as DeliveryOverview).sources.filter(
      s => s.source === 'argocd',
    );
  };
}

/** Waits for the note naming `cause`, checks it, lifts the fault, waits for it to go. */
async function expectNoteThenRecovery(
  name: string,
  argocd: () => Promise<SourceStatus[]>,
  cause: RegExp,
) {
  const [broken] = await until(
    `the note of a stream answered with "${name}"`,
    argocd,
    // the note names the failure that made the instance be polled
    ([s]) =>
      /polling Argo CD every 1 s/.test(s.note ?? '') &&
      cause.test(s.note ?? ''),
  );
  // the instance still answers: its view is there, from the polled state
  expect(broken).toMatchObject({ instance: 'main', status: 'ok' });
  expect(broken.note).toMatch(/^Live updates unavailable: /);
  expect(broken.note).not.toContain('sandbox-demo-token');

  await fault('none');
  await until(
    `the note to go once the stream is back after "${name}"`,
    argocd,
    ([s]) => s.note === undefined,
  );
  expect(await argocd()).toEqual([
    { source: 'argocd', instance: 'main', status: 'ok' },
  ]);
}

describe('a broken Argo CD stream', () => {
  it('shows as a note on its source while the instance is polled, and goes away when the stream is back', async () => {
    await fault('none');
    const argocd = await startBackend();
    // the first view starts the stream; once it is current, no note
    expect(await argocd()).toEqual([
      { source: 'argocd', instance: 'main', status: 'ok' },
    ]);
    for (const [name, cause] of [
      ['error', /HTTP 500/],
      ['drop', /./],
    ] as const) {
      await fault(name);
      await expectNoteThenRecovery(name, argocd, cause);
    }
  });

  it("names the Application whose resource-tree stream broke, while the instance's Application stream is fine, until it streams again", async () => {
    await fault('none');
    const argocd = await startBackend();
    // the first view opens the streams of checkout's Applications' trees
    expect(await argocd()).toEqual([
      { source: 'argocd', instance: 'main', status: 'ok' },
    ]);
    await fault('error', 'trees');
    const [broken] = await until(
      'the note of the broken tree streams',
      argocd,
      // the open streams end first ("terminated"); their reconnects get 500
      ([s]) =>
        /^Live updates of the resource tree of /.test(s.note ?? '') &&
        /HTTP 500/.test(s.note ?? ''),
    );
    expect(broken).toMatchObject({ instance: 'main', status: 'ok' });
    expect(broken.note).toMatch(/checkout-(dev|staging|production)/);
    expect(broken.note).toMatch(/HTTP 500/);
    expect(broken.note).toMatch(/reading (it|them) from Argo CD/);
    expect(broken.note).not.toContain('sandbox-demo-token');
    await fault('none');
    await until(
      'the note to go once the tree streams are back',
      argocd,
      ([s]) => s.note === undefined,
    );
  });

  it('finds out a stream that never sends (a proxy that buffers), and streams once it does', async () => {
    // every new stream is answered 200 and then nothing: the backend's
    // first stream cannot tell it from a quiet one but by its list
    await fault('silent');
    const argocd = await startBackend();
    await expect(
      expectNoteThenRecovery(
        'silent',
        argocd,
        /sent no Applications within 2000 ms/,
      ),
    ).resolves.toBeUndefined();
  });
});
