import type { Entity } from '@backstage/catalog-model';
import {
  MockFetchApi,
  registerMswTestHooks,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/test-utils';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { DeliveryClient, deliveryApiRef } from '../../api';
import { EntityDoraCard, isDoraAvailable } from './DoraCard';
import {
  checkoutProduction,
  doraResponse,
  quietStaging,
} from './__testUtils__/doraFixtures';

const baseUrl = 'http://backend.test/api/delivery';
const server = setupServer();
registerMswTestHooks(server);

const component: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'checkout',
    namespace: 'default',
    annotations: { 'argocd/app-selector': 'app=checkout' },
  },
  spec: {},
};
const system: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'System',
  metadata: { name: 'storefront', namespace: 'default' },
  spec: {},
};

/** Answers the DORA route of `path`, recording the query strings asked. */
function answer(path: string, respond: (url: URL) => Response) {
  const asked: string[] = [];
  server.use(
    http.get(`${baseUrl}/v1/entities/${path}/dora`, ({ request }) => {
      const url = new URL(request.url);
      asked.push(url.search);
      return respond(url);
    }),
  );
  return asked;
}

function renderCard(entity: Entity = component) {
  const discoveryApi = { getBaseUrl: async () => baseUrl };
  return renderInTestApp(
    <TestApiProvider
      apis={[
        [
          deliveryApiRef,
          new DeliveryClient({ discoveryApi, fetchApi: new MockFetchApi() }),
        ],
      ]}
    >
      <EntityProvider entity={entity}>
        <EntityDoraCard />
      </EntityProvider>
    </TestApiProvider>,
  );
}

const tile = (name: string) => screen.getByRole('region', { name });

describe('EntityDoraCard', () => {
  it('shows the four figures of production with band, trend in words and a sparkline', async () => {
    answer('default/Component/checkout', () =>
      HttpResponse.json(doraResponse({ windowDays: 30 })),
    );
    await renderCard();
    await screen.findByRole('region', { name: 'Deployment frequency' });

    const frequency = tile('Deployment frequency');
    expect(frequency).toHaveTextContent('4 / week');
    expect(
      within(frequency).getByLabelText('Performance band: High'),
    ).toHaveTextContent('High');
    expect(frequency).toHaveTextContent(
      'better than the previous 30 days (1 / week)',
    );
    expect(frequency).toHaveTextContent('4 deployments');
    expect(
      within(frequency).getByRole('img', {
        name: 'Deployment frequency per day over the last 30 days (7 days with data)',
      }),
    ).toBeInTheDocument();

    const lead = tile('Lead time for changes');
    expect(lead).toHaveTextContent('3 h');
    expect(within(lead).getByText('Elite')).toBeInTheDocument();
    expect(lead).toHaveTextContent('worse than the previous 30 days (2 h)');

    const failures = tile('Change failure rate');
    expect(failures).toHaveTextContent('25%');
    expect(within(failures).getByText('Low')).toBeInTheDocument();
    expect(failures).toHaveTextContent('1 of 4 deployments failed');

    const restore = tile('Time to restore');
    expect(restore).toHaveTextContent('4 h');
    expect(restore).toHaveTextContent('No previous 30 days to compare with');
    expect(restore).toHaveTextContent('median of 1 restored failure');
  });

  it('asks for another window when one is chosen', async () => {
    const asked = answer('default/Component/checkout', url =>
      HttpResponse.json(
        doraResponse({
          windowDays: Number(url.searchParams.get('window')!.slice(0, -1)) as 7,
        }),
      ),
    );
    await renderCard();
    await screen.findByRole('region', { name: 'Deployment frequency' });
    expect(asked).toEqual(['?window=30d']);
    await userEvent.click(screen.getByRole('button', { name: 'Last 90 days' }));
    expect(await screen.findByText('Last 90 days')).toBeInTheDocument();
    await screen.findByRole('region', { name: 'Deployment frequency' });
    expect(asked).toEqual(['?window=30d', '?window=90d']);
    expect(
      screen.getByRole('button', { name: 'Last 90 days' }),
    ).toHaveAttribute('aria-pressed', 'true');
  });

  it('switches environment and says when one has no deployments in the window', async () => {
    answer('default/Component/checkout', () =>
      HttpResponse.json(doraResponse()),
    );
    await renderCard();
    await screen.findByRole('region', { name: 'Deployment frequency' });
    await userEvent.click(screen.getByRole('button', { name: /production/ }));
    await userEvent.click(
      await screen.findByRole('option', { name: 'staging' }),
    );
    expect(await screen.findByRole('status')).toHaveTextContent(
      'No deployments to staging in the last 30 days.',
    );
    expect(
      screen.queryByRole('region', { name: 'Deployment frequency' }),
    ).not.toBeInTheDocument();
  });

  it('lists the deployments and failures the figures rest on', async () => {
    answer('default/Component/checkout', () =>
      HttpResponse.json(doraResponse()),
    );
    await renderCard();
    await userEvent.click(
      await screen.findByRole('button', {
        name: 'Show the 4 deployments and 1 failure',
      }),
    );
    const list = screen.getByRole('list', { name: 'Deployments and failures' });
    expect(within(list).getAllByRole('listitem')).toHaveLength(5);
    expect(list).toHaveTextContent('deployed 3333333 (failed, restored');
    expect(list).toHaveTextContent('rollout aborted (from the audit trail)');
  });

  it('shows an empty state when nothing was recorded', async () => {
    answer('default/Component/checkout', () =>
      HttpResponse.json(doraResponse({ environments: [] })),
    );
    await renderCard();
    expect(await screen.findByRole('status')).toHaveTextContent(
      'No deployments recorded yet.',
    );
  });

  it('shows the error of a failed request', async () => {
    answer('default/Component/checkout', () =>
      HttpResponse.json(
        {
          error: {
            name: 'InputError',
            message: 'Invalid window: must be one of 7d, 30d, 90d',
          },
          response: { statusCode: 400 },
        },
        { status: 400 },
      ),
    );
    await renderCard();
    expect(
      (
        await screen.findAllByText(
          /Invalid window: must be one of 7d, 30d, 90d/,
        )
      ).length,
    ).toBeGreaterThan(0);
  });

  it('shows a loading state until the figures arrive', async () => {
    let release: () => void = () => {};
    const gate = new Promise<void>(resolve => {
      release = resolve;
    });
    server.use(
      http.get(
        `${baseUrl}/v1/entities/default/Component/checkout/dora`,
        async () => {
          await gate;
          return HttpResponse.json(doraResponse());
        },
      ),
    );
    await renderCard();
    expect(screen.getByTestId('progress')).toBeInTheDocument();
    release();
    await screen.findByRole('region', { name: 'Deployment frequency' });
  });

  it('for a System: says how many components it covers and which sources failed', async () => {
    answer('default/System/storefront', () =>
      HttpResponse.json(
        doraResponse({
          entityRef: 'system:default/storefront',
          components: [
            'component:default/checkout',
            'component:default/payments',
          ],
          environments: [
            quietStaging,
            {
              ...checkoutProduction,
              deployments: [
                {
                  ...checkoutProduction.deployments[1],
                  component: 'component:default/checkout',
                },
                {
                  ...checkoutProduction.deployments[3],
                  component: 'component:default/payments',
                },
              ],
              failures: [
                {
                  at: '2026-11-26T10:00:00.000Z',
                  kind: 'abort',
                  source: 'argocd',
                  component: 'component:default/payments',
                },
              ],
            },
          ],
          sources: [
            {
              source: 'argocd:main (component:default/checkout)',
              status: 'ok',
            },
            {
              source: 'component:default/payments',
              status: 'error',
              message: 'Argo CD instance "main" timed out',
            },
          ],
        }),
      ),
    );
    await renderCard(system);
    expect(
      await screen.findByText('Over 2 components of the system'),
    ).toBeInTheDocument();
    expect(screen.getByRole('alert')).toHaveTextContent(
      'component:default/payments: Argo CD instance "main" timed out',
    );
    await userEvent.click(
      screen.getByRole('button', {
        name: /Show the 2 deployments and 1 failure/,
      }),
    );
    const list = screen.getByRole('list', { name: 'Deployments and failures' });
    expect(list).toHaveTextContent(': checkout deployed 3333333 (failed');
    expect(list).toHaveTextContent(': payments rollout aborted (from Argo CD)');
  });
});

describe('isDoraAvailable', () => {
  it('is true for delivery-annotated components and for systems', () => {
    expect(isDoraAvailable(component)).toBe(true);
    expect(isDoraAvailable(system)).toBe(true);
    expect(isDoraAvailable({ ...component, metadata: { name: 'docs' } })).toBe(
      false,
    );
    expect(isDoraAvailable({ ...system, kind: 'Group' })).toBe(false);
  });
});
