import { mockCredentials } from '@backstage/backend-test-utils';
import type { FleetResponse } from '@gitops-delivery/backstage-plugin-delivery-common';
import { cachedPerCaller } from './fleetResponseCache';

const query = { owners: [], systems: [], lifecycles: [], states: [] } as any;

function sharedCache() {
  const store = new Map<string, unknown>();
  const cache = {
    // a shared cache answers a copy, as one behind a network does
    get: jest.fn(async (key: string) =>
      store.has(key) ? structuredClone(store.get(key)) : undefined,
    ),
    set: jest.fn(async (key: string, value: unknown) => {
      store.set(key, value);
    }),
    delete: async (key: string) => {
      store.delete(key);
    },
    withOptions: () => cache,
  };
  return cache;
}

describe('cachedPerCaller', () => {
  it('holds a kept answer in process until its TTL ends: a warm refresh reads no shared cache and gets the same object', async () => {
    let now = 1_000_000;
    const cache = sharedCache();
    let n = 0;
    const compute = jest.fn(
      async (): Promise<FleetResponse> =>
        ({
          generatedAt: new Date(now).toISOString(),
          rows: [],
          environments: [],
          total: n++,
          sources: [],
        } as FleetResponse),
    );
    const getFleet = cachedPerCaller(
      compute,
      cache as any,
      10_000,
      undefined,
      () => now,
    );
    const credentials = mockCredentials.user();
    const first = await getFleet(query, credentials);
    const again = await getFleet(query, credentials);
    expect(again).toBe(first);
    expect(cache.get).toHaveBeenCalledTimes(1);
    // another caller: its own answer
    const other = await getFleet(query, mockCredentials.user('user:default/b'));
    expect(other).not.toBe(first);
    // past the TTL: no longer held here (the shared cache, which expires
    // entries itself, is asked again)
    now += 10_001;
    const later = await getFleet(query, credentials);
    expect(later).not.toBe(first);
    expect(cache.get).toHaveBeenCalledTimes(3);
  });

  it("holds another replica's answer no longer than its TTL from when it was computed", async () => {
    let now = 1_000_000;
    const cache = sharedCache();
    const kept = {
      generatedAt: new Date(now - 8_000).toISOString(),
      rows: [],
      environments: [],
      total: 7,
      sources: [],
    };
    const credentials = mockCredentials.user();
    await cache.set(
      `fleet:v1:${'user:default/mock'}:${JSON.stringify(query)}`,
      kept,
    );
    const compute = jest.fn(async () => ({ ...kept, total: 8 }));
    const getFleet = cachedPerCaller(
      compute as any,
      cache as any,
      10_000,
      undefined,
      () => now,
    );
    expect((await getFleet(query, credentials)).total).toBe(7);
    expect((await getFleet(query, credentials)).total).toBe(7);
    expect(cache.get).toHaveBeenCalledTimes(1);
    // 2 s later the answer is 10 s old: the shared cache is asked again
    now += 2_001;
    await getFleet(query, credentials);
    expect(cache.get).toHaveBeenCalledTimes(2);
  });
});
