import { ARGO_AUTH, getJson, testSandbox } from '../testUtils';
import type { Sandbox } from '../server';
import { predictedLive } from './predictedLive';

type Json = Record<string, any>;

/** Paths whose values differ between two JSON values (objects by key). */
function differingPaths(a: unknown, b: unknown, path = ''): string[] {
  const isObj = (v: unknown): v is Json =>
    typeof v === 'object' && v !== null && !Array.isArray(v);
  if (isObj(a) && isObj(b)) {
    return [...new Set([...Object.keys(a), ...Object.keys(b)])].flatMap(k =>
      differingPaths(a[k], b[k], path ? `${path}.${k}` : k),
    );
  }
  return JSON.stringify(a) === JSON.stringify(b) ? [] : [path];
}

describe('managed-resources (drift)', () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = await testSandbox('demo');
  });
  afterAll(() => sandbox.close());

  const managed = async (app: string) =>
    (
      await getJson(
        `${sandbox.url}/argocd/main/api/v1/applications/${app}/managed-resources`,
        { headers: ARGO_AUTH },
      )
    ).body.items as Json[];

  it('predicts the live state of a sync: only what Git sets differs from the normalized live state', async () => {
    await getJson(`${sandbox.url}/sandbox/scenario`, {
      method: 'POST',
      body: JSON.stringify({ service: 'checkout', scenario: 'drift' }),
    });
    const items = await managed('checkout-production');
    const rollout = items.find(i => i.kind === 'Rollout')!;
    expect(rollout.modified).toBe(true);
    const normalized = JSON.parse(rollout.normalizedLiveState);
    const predicted = JSON.parse(rollout.predictedLiveState);
    // the manual scale-up is the drift; status and metadata stay the cluster's
    expect(differingPaths(normalized, predicted)).toEqual(['spec.replicas']);
    expect(normalized.spec.replicas).toBe(6);
    expect(predicted.spec.replicas).toBe(4);
    expect(predicted.status).toEqual(normalized.status);
    for (const other of items.filter(i => i.kind !== 'Rollout')) {
      expect(other.modified).toBe(false);
      expect(
        differingPaths(
          JSON.parse(other.normalizedLiveState),
          JSON.parse(other.predictedLiveState),
        ),
      ).toEqual([]);
    }
  });

  it('says nothing differs for a Synced application', async () => {
    for (const item of await managed('payments-production')) {
      expect(item.modified).toBe(false);
      expect(item.predictedLiveState).toBe(item.normalizedLiveState);
    }
  });
});

describe('predictedLive', () => {
  it('applies the target over the live object, dropping what the target unsets', () => {
    expect(
      predictedLive(
        { spec: { replicas: 6, paused: true, list: [1, 2] }, status: { a: 1 } },
        { spec: { replicas: 4, paused: undefined, list: [3] } },
      ),
    ).toEqual({ spec: { replicas: 4, list: [3] }, status: { a: 1 } });
  });
});
