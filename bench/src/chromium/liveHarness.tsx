// The page of the change-to-screen benchmark (liveScreen.ts): the Delivery
// overview card of one entity against a real Delivery backend, with the
// real signals client (WebSocket to the backend's signals plugin) or without
// it (polling). The driver serves this page from the backend's own origin,
// so the client's fetches and the WebSocket need no CORS.
import { SignalClient } from '@backstage/plugin-signals';
import { signalApiRef } from '@backstage/plugin-signals-react';
import type { Entity } from '@backstage/catalog-model';
import { configApiRef } from '@backstage/core-plugin-api';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import {
  TestApiProvider,
  mockApis,
  wrapInTestApp,
} from '@backstage/test-utils';
import {
  DeliveryClient,
  deliveryApiRef,
} from '@gitops-delivery/backstage-plugin-delivery';
// eslint-disable-next-line @backstage/no-undeclared-imports -- bench brings its own React
import { createRoot } from 'react-dom/client';
// eslint-disable-next-line @backstage/no-relative-monorepo-imports -- the component itself, not its extension
import { EntityDeliveryOverviewCard } from '../../../plugins/delivery/src/components/EntityDeliveryOverviewCard';

const params = new URLSearchParams(window.location.search);
const name = params.get('entity') ?? 'checkout';
const live = params.get('signals') === 'on';
const pollSeconds = Number(params.get('poll') ?? '15');

const entity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name,
    namespace: 'default',
    annotations: { 'argocd/app-selector': `app=${name}` },
  },
  spec: { type: 'service', owner: 'team', lifecycle: 'production' },
};

const origin = window.location.origin;
const discoveryApi = {
  getBaseUrl: async (pluginId: string) => `${origin}/api/${pluginId}`,
};
const apis: any[] = [
  [
    deliveryApiRef,
    // window.fetch must be called on window
    new DeliveryClient({
      discoveryApi,
      fetchApi: { fetch: (input, init) => window.fetch(input, init) },
    }),
  ],
  [
    configApiRef,
    mockApis.config({
      data: { delivery: { ui: { pollIntervalSeconds: pollSeconds } } },
    }),
  ],
];
const diagnostics = { signals: 0 };
if (live) {
  const client = SignalClient.create({
    discoveryApi,
    // the bench backend's mock auth treats an unauthenticated caller as a user
    identity: {
      getCredentials: async () => ({}),
      getBackstageIdentity: async () => ({
        type: 'user',
        userEntityRef: 'user:default/bench',
        ownershipEntityRefs: [],
      }),
      getProfileInfo: async () => ({}),
      signOut: async () => {},
    },
  });
  // counts what arrives, to tell a lost signal from a missed refetch
  client.subscribe(`delivery:entity:component:default/${name}`, () => {
    diagnostics.signals++;
  });
  apis.push([signalApiRef, client]);
}

/** The card's production row text (e.g. "25% canary, step 3/6"). */
function productionText(): string {
  const row = Array.from(document.querySelectorAll('tbody tr')).find(
    tr => tr.firstElementChild?.textContent === 'production',
  );
  return row?.textContent ?? '';
}

/**
 * Resolves with Date.now() at the first DOM change after which the card's
 * production row matches `pattern` (the driver compares it with when the
 * sandbox changed; both clocks are the machine's).
 */
function whenShown(pattern: string, timeoutMs: number): Promise<number> {
  const text = new RegExp(pattern);
  return new Promise((resolve, reject) => {
    if (text.test(productionText())) {
      resolve(Date.now());
      return;
    }
    const pending: { timer?: ReturnType<typeof setTimeout> } = {};
    const observer = new MutationObserver(() => {
      if (text.test(productionText())) {
        observer.disconnect();
        clearTimeout(pending.timer);
        resolve(Date.now());
      }
    });
    pending.timer = setTimeout(() => {
      observer.disconnect();
      reject(
        new Error(
          `"${text}" did not show in ${timeoutMs} ms (${
            diagnostics.signals
          } signals arrived): ${productionText()}`,
        ),
      );
    }, timeoutMs);
    observer.observe(document.body, {
      childList: true,
      subtree: true,
      characterData: true,
    });
  });
}

(window as any).liveBench = { productionText, whenShown, live, diagnostics };

const container = document.createElement('div');
document.body.appendChild(container);
createRoot(container).render(
  wrapInTestApp(
    <TestApiProvider apis={apis}>
      <EntityProvider entity={entity}>
        <EntityDeliveryOverviewCard />
      </EntityProvider>
    </TestApiProvider>,
  ),
);
