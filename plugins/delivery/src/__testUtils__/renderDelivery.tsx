import type { Entity } from '@backstage/catalog-model';
import { signalApiRef, type SignalApi } from '@backstage/plugin-signals-react';
import { discoveryApiRef, fetchApiRef } from '@backstage/core-plugin-api';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import {
  AuthorizeResult,
  type EvaluatePermissionRequest,
} from '@backstage/plugin-permission-common';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import {
  MockFetchApi,
  TestApiProvider,
  mockApis,
  renderInTestApp,
} from '@backstage/test-utils';
import { fireEvent, screen, within } from '@testing-library/react';
import { http, HttpResponse, type JsonBodyType } from 'msw';
import type { ReactElement } from 'react';
import { DeliveryClient, deliveryApiRef } from '../api';
import { checkoutOverview } from '../__fixtures__/overview';
import {
  auditPage,
  metricsResponse,
  policyResponse,
  vulnerabilitiesResponse,
} from '../__fixtures__/signals';

/** Base URL the test discovery API hands out. */
export const baseUrl = 'http://backend.test/api/delivery';
/** Route prefix of the test entity. */
export const entityUrl = `${baseUrl}/v1/entities/default/Component/checkout`;

/** The demo's checkout entity. */
export function checkoutEntity(
  annotations: Record<string, string> = {
    'argocd/app-selector': 'app=checkout',
  },
  /**
   * usePermission caches answers per entity ref across tests (a global SWR
   * cache), so tests that deny permissions use an entity of their own.
   */
  name: string = 'checkout',
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name, namespace: 'default', annotations },
    spec: {},
  };
}

/** A JSON error body as Backstage's error middleware writes it. */
export function errorBody(
  status: number,
  name: string,
  message: string,
  extra: Record<string, unknown> = {},
) {
  return HttpResponse.json(
    {
      error: { name, message, ...extra },
      request: { method: 'GET', url: '/' },
      response: { statusCode: status },
    },
    { status },
  );
}

/** Handlers of every Delivery route, answering with the fixtures unless overridden. */
export function deliveryHandlers(
  overrides: Partial<Record<Route, JsonBodyType>> = {},
) {
  const answer = (route: Route, fallback: JsonBodyType) => () =>
    HttpResponse.json(overrides[route] ?? fallback);
  return [
    http.get(`${entityUrl}/overview`, answer('overview', checkoutOverview())),
    http.get(`${entityUrl}/metrics`, answer('metrics', metricsResponse)),
    http.get(
      `${entityUrl}/vulnerabilities`,
      answer('vulnerabilities', vulnerabilitiesResponse),
    ),
    http.get(`${entityUrl}/policy`, answer('policy', policyResponse)),
    http.get(`${entityUrl}/audit`, answer('audit', auditPage)),
  ];
}

type Route = 'overview' | 'metrics' | 'vulnerabilities' | 'policy' | 'audit';

/** Opens a collapsed environment of the ladder; returns its section. */
export function openEnvironment(name: string): HTMLElement {
  const section = screen.getByLabelText(`Environment ${name}`);
  fireEvent.click(
    within(section).getByRole('button', {
      name: `Show the stages of ${name}`,
    }),
  );
  return section;
}

/** Renders an element inside an entity page with the real client against msw. */
export function renderDelivery(
  element: ReactElement,
  options: {
    entity?: Entity;
    allow?: (request: EvaluatePermissionRequest) => boolean;
    /** The page's URL, e.g. `/?environment=dev`. */
    routeEntries?: string[];
    /** The signals plugin's API; absent as where it is not installed. */
    signals?: SignalApi;
  } = {},
) {
  const discoveryApi = { getBaseUrl: async () => baseUrl };
  const fetchApi = new MockFetchApi();
  const allow = options.allow ?? (() => true);
  return renderInTestApp(
    <TestApiProvider
      apis={[
        [deliveryApiRef, new DeliveryClient({ discoveryApi, fetchApi })],
        [discoveryApiRef, discoveryApi],
        [fetchApiRef, fetchApi],
        [
          permissionApiRef,
          mockApis.permission({
            authorize: request =>
              allow(request) ? AuthorizeResult.ALLOW : AuthorizeResult.DENY,
          }),
        ],
        ...(options.signals ? [[signalApiRef, options.signals] as const] : []),
      ]}
    >
      <EntityProvider entity={options.entity ?? checkoutEntity()}>
        {element}
      </EntityProvider>
    </TestApiProvider>,
    { routeEntries: options.routeEntries },
  );
}
