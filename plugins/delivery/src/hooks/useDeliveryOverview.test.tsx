import { configApiRef } from '@backstage/core-plugin-api';
import { signalApiRef, type SignalApi } from '@backstage/plugin-signals-react';
import {
  mockApis,
  registerMswTestHooks,
  TestApiProvider,
} from '@backstage/test-utils';
import type { JsonObject } from '@backstage/types';
import { act, renderHook } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import type { ReactNode } from 'react';
import { checkoutOverview } from '../__fixtures__/overview';
import { checkoutEntity } from '../__testUtils__/renderDelivery';
import { deliveryApiRef, DeliveryClient } from '../api';
import {
  REVALIDATE_AFTER_SUBSCRIBE_MS,
  useDeliveryOverview,
} from './useDeliveryOverview';

const server = setupServer();
registerMswTestHooks(server);

const baseUrl = 'http://backend.test/api/delivery';
const overviewUrl = `${baseUrl}/v1/entities/default/Component/checkout/overview`;

/** The overview route with ETags: each change makes a new view. */
function overviewRoute() {
  let version = 1;
  const requests: Array<{ status: number }> = [];
  server.use(
    http.get(overviewUrl, ({ request }) => {
      const etag = `W/"v${version}"`;
      if (request.headers.get('If-None-Match') === etag) {
        requests.push({ status: 304 });
        return new HttpResponse(null, { status: 304, headers: { ETag: etag } });
      }
      requests.push({ status: 200 });
      const overview = checkoutOverview();
      overview.generatedAt = `2026-12-06T05:00:0${version}.000Z`;
      return HttpResponse.json(overview, { headers: { ETag: etag } });
    }),
  );
  return {
    requests,
    change: () => {
      version++;
    },
  };
}

/** A signal API whose channels the test emits on. */
function fakeSignals() {
  const listeners = new Map<string, Set<(message: JsonObject) => void>>();
  const api: SignalApi = {
    subscribe(channel, onMessage) {
      const set = listeners.get(channel) ?? new Set();
      set.add(onMessage as (message: JsonObject) => void);
      listeners.set(channel, set);
      return { unsubscribe: () => set.delete(onMessage as any) };
    },
  };
  const emit = (channel: string, message: JsonObject) =>
    listeners.get(channel)?.forEach(listener => listener(message));
  return { api, emit, listeners };
}

function render(signals?: SignalApi) {
  const client = new DeliveryClient({
    discoveryApi: { getBaseUrl: async () => baseUrl },
    fetchApi: { fetch },
  });
  const apis: any[] = [
    [deliveryApiRef, client],
    [configApiRef, mockApis.config({ data: {} })],
  ];
  if (signals) apis.push([signalApiRef, signals]);
  const wrapper = ({ children }: { children: ReactNode }) => (
    <TestApiProvider apis={apis}>{children}</TestApiProvider>
  );
  return renderHook(() => useDeliveryOverview(checkoutEntity()), { wrapper });
}

async function settle() {
  // msw answers on real promises; let them run
  await act(async () => {
    for (let i = 0; i < 20; i++) await Promise.resolve();
    await new Promise(resolve => setTimeout(resolve, 0));
  });
}

describe('useDeliveryOverview', () => {
  it('refetches when the entity signals a change, and keeps the view on a 304', async () => {
    const route = overviewRoute();
    const signals = fakeSignals();
    const { result } = render(signals.api);
    await settle();
    await act(async () => {
      await new Promise(resolve => setTimeout(resolve, 10));
    });
    expect(result.current.value?.generatedAt).toBe('2026-12-06T05:00:01.000Z');
    expect(result.current.live).toBe(true);
    expect([...signals.listeners.keys()]).toEqual([
      'delivery:entity:component:default/checkout',
    ]);
    const first = result.current.value;

    // a signal without a change of the view: 304, the same object kept
    act(() =>
      signals.emit('delivery:entity:component:default/checkout', {
        type: 'changed',
        entityRef: 'component:default/checkout',
      }),
    );
    await settle();
    expect(route.requests).toEqual([{ status: 200 }, { status: 304 }]);
    expect(result.current.value).toBe(first);
    expect(result.current.changes).toBe(1);

    // the canary stepped: the next signal brings the new view
    route.change();
    act(() =>
      signals.emit('delivery:entity:component:default/checkout', {
        type: 'changed',
        entityRef: 'component:default/checkout',
      }),
    );
    await settle();
    expect(route.requests.map(r => r.status)).toEqual([200, 304, 200]);
    expect(result.current.value?.generatedAt).toBe('2026-12-06T05:00:02.000Z');
    expect(result.current.changes).toBe(2);
  });

  it('polls every 15 s while a rollout progresses when there is no signals API', async () => {
    overviewRoute();
    const { result } = render();
    await settle();
    expect(result.current.value).toBeDefined();
    expect(result.current.live).toBe(false);
    expect(result.current.polling).toBe(true);
    expect(result.current.intervalMs).toBe(15_000);
  });

  it('polls only every 60 s, as a fallback, when change signals arrive', async () => {
    overviewRoute();
    const { result } = render(fakeSignals().api);
    await settle();
    expect(result.current.live).toBe(true);
    expect(result.current.polling).toBe(true);
    expect(result.current.intervalMs).toBe(60_000);
  });

  it('revalidates once after it subscribed, for a change signalled before the socket listened', async () => {
    const route = overviewRoute();
    const { result } = render(fakeSignals().api);
    await settle();
    expect(route.requests).toEqual([{ status: 200 }]);
    // the view changed while the socket was still connecting: no signal
    route.change();
    await act(async () => {
      await new Promise(resolve =>
        setTimeout(resolve, REVALIDATE_AFTER_SUBSCRIBE_MS + 100),
      );
    });
    await settle();
    expect(route.requests.map(r => r.status)).toEqual([200, 200]);
    expect(result.current.value?.generatedAt).toBe('2026-12-06T05:00:02.000Z');
    // once: no further request without a signal or a poll
    await act(async () => {
      await new Promise(resolve =>
        setTimeout(resolve, REVALIDATE_AFTER_SUBSCRIBE_MS + 100),
      );
    });
    expect(route.requests).toHaveLength(2);
  });

  it('does not revalidate on a timer without a signals API (it polls instead)', async () => {
    const route = overviewRoute();
    render();
    await settle();
    await act(async () => {
      await new Promise(resolve =>
        setTimeout(resolve, REVALIDATE_AFTER_SUBSCRIBE_MS + 100),
      );
    });
    expect(route.requests).toHaveLength(1);
  });
});
