import { memoryCache } from '@gitops-delivery/backstage-plugin-delivery-node/testUtils';
import { createSignalCache } from '../services/signals/SignalCache';
import { createCoalescingCache } from '@gitops-delivery/backstage-plugin-delivery-node';

describe('createCoalescingCache', () => {
  it('coalesces concurrent loads of one key and serves later ones from the cache', async () => {
    const cache = createCoalescingCache(memoryCache());
    let calls = 0;
    const loader = async () => {
      calls++;
      await new Promise(r => setTimeout(r, 20));
      return { n: calls };
    };
    const results = await Promise.all(
      Array.from({ length: 20 }, () =>
        cache.load('k', loader, { ttlMs: 1000 }),
      ),
    );
    expect(results.every(r => r.n === 1)).toBe(true);
    expect(calls).toBe(1);
  });

  it('shares failures with the coalesced callers but does not store them', async () => {
    const cache = createCoalescingCache(memoryCache());
    let calls = 0;
    const failing = async () => {
      calls++;
      throw new Error('boom');
    };
    await expect(
      Promise.all([
        cache.load('k', failing, { ttlMs: 1000 }),
        cache.load('k', failing, { ttlMs: 1000 }),
      ]),
    ).rejects.toThrow('boom');
    expect(calls).toBe(1);
    await expect(
      cache.load('k', async () => 'ok', { ttlMs: 1000 }),
    ).resolves.toBe('ok');
  });

  it('bypasses the stored value when fresh, and stores nothing with ttl 0', async () => {
    const cache = createCoalescingCache(memoryCache());
    await cache.load('k', async () => 'old', { ttlMs: 1000 });
    await expect(
      cache.load('k', async () => 'new', { ttlMs: 1000, fresh: true }),
    ).resolves.toBe('new');
    let calls = 0;
    const loader = async () => ++calls;
    await cache.load('z', loader, { ttlMs: 0 });
    await cache.load('z', loader, { ttlMs: 0 });
    expect(calls).toBe(2);
  });

  it('keeps working when the cache store fails', async () => {
    const broken = {
      get: jest.fn().mockRejectedValue(new Error('redis down')),
      set: jest.fn().mockRejectedValue(new Error('redis down')),
      delete: jest.fn().mockRejectedValue(new Error('redis down')),
      withOptions: jest.fn(),
    };
    const cache = createCoalescingCache(broken);
    await expect(cache.load('k', async () => 1, { ttlMs: 1000 })).resolves.toBe(
      1,
    );
    await expect(cache.invalidate('k')).resolves.toBeUndefined();
  });

  it('without a CacheService only coalesces: concurrent loads share one call, later ones load again', async () => {
    const cache = createCoalescingCache();
    let calls = 0;
    const loader = async () => {
      calls++;
      await new Promise(r => setTimeout(r, 20));
      return calls;
    };
    await Promise.all(
      Array.from({ length: 5 }, () => cache.load('k', loader, { ttlMs: 1000 })),
    );
    expect(calls).toBe(1);
    await cache.load('k', loader, { ttlMs: 1000 });
    expect(calls).toBe(2);
    await expect(cache.invalidate('k')).resolves.toBeUndefined();
  });
});

describe('createCoalescingCache in-process layer', () => {
  it('serves a value stored within the last second without reading the store, frozen', async () => {
    const store = memoryCache();
    const get = jest.spyOn(store, 'get');
    const cache = createCoalescingCache(store);
    const loader = jest.fn(async () => ({ items: [{ name: 'a' }] }));
    await cache.load('k', loader, { ttlMs: 60_000 });
    const again = await cache.load('k', loader, { ttlMs: 60_000 });
    expect(loader).toHaveBeenCalledTimes(1);
    expect(get).toHaveBeenCalledTimes(1); // the first, missing read only
    expect(Object.isFrozen(again.items[0])).toBe(true);
  });

  it('reads the store again after the in-process TTL, and after an invalidation', async () => {
    const store = memoryCache();
    const get = jest.spyOn(store, 'get');
    const cache = createCoalescingCache(store, undefined, { memoryTtlMs: 30 });
    const loader = jest.fn(async () => 'v');
    await cache.load('k', loader, { ttlMs: 60_000 });
    await new Promise(r => setTimeout(r, 50));
    expect(await cache.load('k', loader, { ttlMs: 60_000 })).toBe('v');
    expect(get).toHaveBeenCalledTimes(2);
    await cache.invalidate('k');
    await cache.load('k', loader, { ttlMs: 60_000 });
    expect(loader).toHaveBeenCalledTimes(2);
  });

  it('keeps nothing in process when nothing is stored (TTL 0) or the read is fresh', async () => {
    const cache = createCoalescingCache(memoryCache());
    const loader = jest.fn(async () => 'v');
    await cache.load('k', loader, { ttlMs: 0 });
    await cache.load('k', loader, { ttlMs: 0 });
    await cache.load('f', loader, { ttlMs: 60_000 });
    await cache.load('f', loader, { ttlMs: 60_000, fresh: true });
    expect(loader).toHaveBeenCalledTimes(4);
  });
});

describe('createCoalescingCache failure memory', () => {
  class HttpError extends Error {
    constructor(message: string, readonly status: number) {
      super(message);
    }
  }

  afterEach(() => jest.useRealTimers());

  it('answers a failed read again with its error, without a call, until the failure TTL has passed', async () => {
    jest.useFakeTimers({ now: 0 });
    const cache = createCoalescingCache(memoryCache(), undefined, {
      failureTtlMs: 5_000,
    });
    const loader = jest
      .fn<Promise<string>, []>()
      .mockRejectedValueOnce(new HttpError('HTTP 503', 503))
      .mockResolvedValue('back');
    await expect(cache.load('k', loader, { ttlMs: 10_000 })).rejects.toThrow(
      'HTTP 503',
    );
    jest.setSystemTime(4_999);
    await expect(cache.load('k', loader, { ttlMs: 10_000 })).rejects.toThrow(
      'HTTP 503',
    );
    expect(loader).toHaveBeenCalledTimes(1);
    jest.setSystemTime(5_000);
    await expect(cache.load('k', loader, { ttlMs: 10_000 })).resolves.toBe(
      'back',
    );
    expect(loader).toHaveBeenCalledTimes(2);
  });

  it('remembers a 404 of immutable data for the longer not-found TTL, other failures briefly', async () => {
    jest.useFakeTimers({ now: 0 });
    const cache = createCoalescingCache(memoryCache(), undefined, {
      failureTtlMs: 5_000,
      notFoundTtlMs: 600_000,
    });
    const missing = jest.fn(async () => {
      throw new HttpError('HTTP 404', 404);
    });
    const week = 7 * 24 * 3600_000;
    await expect(
      cache.load('meta', missing, { ttlMs: week, immutable: true }),
    ).rejects.toThrow('HTTP 404');
    // a 404 of live data is not immutable: remembered briefly only
    await expect(cache.load('live', missing, { ttlMs: week })).rejects.toThrow(
      'HTTP 404',
    );
    jest.setSystemTime(599_999);
    await expect(
      cache.load('meta', missing, { ttlMs: week, immutable: true }),
    ).rejects.toThrow('HTTP 404');
    await expect(cache.load('live', missing, { ttlMs: week })).rejects.toThrow(
      'HTTP 404',
    );
    // meta: 1 call; live: 1 call, then again after 5 s
    expect(missing).toHaveBeenCalledTimes(3);
    jest.setSystemTime(600_000);
    await expect(
      cache.load('meta', missing, { ttlMs: week, immutable: true }),
    ).rejects.toThrow('HTTP 404');
    expect(missing).toHaveBeenCalledTimes(4);
  });

  it('never remembers a failure longer than the read TTL or past an invalidation, and never answers a fresh read with one', async () => {
    jest.useFakeTimers({ now: 0 });
    const cache = createCoalescingCache(memoryCache(), undefined, {
      failureTtlMs: 5_000,
    });
    const failing = jest.fn(async () => {
      throw new Error('down');
    });
    await expect(cache.load('z', failing, { ttlMs: 0 })).rejects.toThrow();
    await expect(cache.load('z', failing, { ttlMs: 0 })).rejects.toThrow();
    expect(failing).toHaveBeenCalledTimes(2);

    await expect(cache.load('k', failing, { ttlMs: 1_000 })).rejects.toThrow();
    await expect(
      cache.load('k', failing, { ttlMs: 1_000, fresh: true }),
    ).rejects.toThrow();
    expect(failing).toHaveBeenCalledTimes(4);
    jest.setSystemTime(1_000);
    await expect(cache.load('k', failing, { ttlMs: 1_000 })).rejects.toThrow();
    expect(failing).toHaveBeenCalledTimes(5);
    await cache.invalidate('k');
    await expect(
      cache.load('k', async () => 'ok', { ttlMs: 1_000 }),
    ).resolves.toBe('ok');
  });
});

describe('createSignalCache', () => {
  it('is the same primitive: stores in the CacheService and coalesces', async () => {
    const store = memoryCache();
    const signals = createSignalCache(store);
    let calls = 0;
    const load = async () => {
      calls++;
      await new Promise(r => setTimeout(r, 20));
      return { value: 0.97 };
    };
    const results = await Promise.all(
      Array.from({ length: 10 }, () =>
        signals.getOrLoad('prometheus:main:q', 1000, load),
      ),
    );
    expect(results.every(r => r.value === 0.97)).toBe(true);
    expect(await signals.getOrLoad('prometheus:main:q', 1000, load)).toEqual({
      value: 0.97,
    });
    expect(calls).toBe(1);
    expect(await store.get('prometheus:main:q')).toEqual({ value: 0.97 });
  });

  it('remembers a failed signal read as briefly as its layer says', async () => {
    jest.useFakeTimers({ now: 0 });
    try {
      const signals = createSignalCache(memoryCache(), { failureTtlMs: 2_000 });
      const load = jest.fn(async () => {
        throw new Error('Snyk answered HTTP 500');
      });
      await expect(signals.getOrLoad('snyk:o:i', 60_000, load)).rejects.toThrow(
        'HTTP 500',
      );
      await expect(signals.getOrLoad('snyk:o:i', 60_000, load)).rejects.toThrow(
        'HTTP 500',
      );
      expect(load).toHaveBeenCalledTimes(1);
      jest.setSystemTime(2_000);
      await expect(
        signals.getOrLoad('snyk:o:i', 60_000, load),
      ).rejects.toThrow();
      expect(load).toHaveBeenCalledTimes(2);
    } finally {
      jest.useRealTimers();
    }
  });

  it('shares the in-flight loads of a CoalescingCache it is given', async () => {
    const shared = createCoalescingCache(memoryCache());
    const signals = createSignalCache(shared);
    let calls = 0;
    const load = async () => {
      calls++;
      await new Promise(r => setTimeout(r, 20));
      return 'x';
    };
    await Promise.all([
      shared.load('github:runs:a:b', load, { ttlMs: 1000 }),
      signals.getOrLoad('github:runs:a:b', 1000, load),
    ]);
    expect(calls).toBe(1);
  });
});
