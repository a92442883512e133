import { registerMswTestHooks } from '@backstage/test-utils';
import type { DriftResponse } from '@gitops-delivery/backstage-plugin-delivery-common';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import {
  checkoutEntity,
  entityUrl,
  errorBody,
  renderDelivery,
} from '../../__testUtils__/renderDelivery';
import { DriftCard } from './DriftCard';

const server = setupServer();
registerMswTestHooks(server);

const drift: DriftResponse = {
  entityRef: 'component:default/checkout',
  environment: 'production',
  applications: [
    {
      instance: 'main',
      name: 'checkout-production',
      sync: 'OutOfSync',
      state: 'drifted',
      resources: [
        {
          group: 'argoproj.io',
          kind: 'Rollout',
          namespace: 'checkout',
          name: 'checkout',
          drift: 'modified',
          comparison: 'argocd',
          changes: [{ path: 'spec.replicas', before: '6', after: '4' }],
        },
        {
          group: '',
          kind: 'Secret',
          namespace: 'checkout',
          name: 'checkout-db',
          drift: 'modified',
          comparison: 'argocd',
          changes: [
            {
              path: 'data.password',
              before: '[redacted: live value]',
              after: '[redacted: desired value]',
            },
            { path: 'metadata.labels.tier', after: 'db' },
          ],
        },
        {
          group: '',
          kind: 'Service',
          namespace: 'checkout',
          name: 'checkout-preview',
          drift: 'missing',
          comparison: 'target',
          changes: [],
        },
      ],
    },
    {
      instance: 'nonprod',
      name: 'checkout-production-eu',
      sync: 'Unknown',
      state: 'error',
      error: 'Argo CD instance "nonprod": 503 Service Unavailable',
      resources: [],
    },
  ],
};

const driftRoute = `${entityUrl}/drift`;

describe('DriftCard', () => {
  it('shows each drifted resource with its fields, live against desired', async () => {
    let asked = '';
    server.use(
      http.get(driftRoute, ({ request }) => {
        asked = new URL(request.url).searchParams.get('environment') ?? '';
        return HttpResponse.json(drift);
      }),
    );
    await renderDelivery(
      <DriftCard entity={checkoutEntity()} environment="production" />,
    );
    const rollout = await screen.findByRole('table', {
      name: 'Drifted fields of Rollout checkout/checkout',
    });
    expect(asked).toBe('production');
    const row = within(rollout).getByRole('row', { name: /spec\.replicas/ });
    expect(
      within(row)
        .getAllByRole('cell')
        .map(c => c.textContent),
    ).toEqual(['spec.replicas', '6', '4']);
    expect(
      within(rollout)
        .getAllByRole('columnheader')
        .map(c => c.textContent),
    ).toEqual(['Field', 'Live (cluster)', 'Desired (Git)']);
    const secret = screen.getByRole('table', {
      name: 'Drifted fields of Secret checkout/checkout-db',
    });
    expect(within(secret).getByText('[redacted: live value]')).toBeVisible();
    // a field Git sets and the cluster lacks
    expect(within(secret).getByText('not set')).toBeVisible();
    expect(
      screen.getByText('In Git, missing from the cluster.'),
    ).toBeInTheDocument();
    // one Application failing leaves the other shown, with its error named
    expect(
      screen.getByText(
        /The drift of checkout-production-eu \(nonprod\) could not be read: .*503/,
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByText('checkout-production (main) · OutOfSync'),
    ).toBeInTheDocument();
  });

  it('says so when every Application is Synced', async () => {
    server.use(
      http.get(driftRoute, () =>
        HttpResponse.json({
          ...drift,
          applications: [
            {
              instance: 'main',
              name: 'checkout-production',
              sync: 'Synced',
              state: 'in-sync',
              resources: [],
            },
          ],
        }),
      ),
    );
    await renderDelivery(
      <DriftCard entity={checkoutEntity()} environment="production" />,
    );
    expect(
      await screen.findByText(
        'Every Application of this environment is Synced.',
      ),
    ).toBeInTheDocument();
  });

  it('shows the error with a retry that loads it again', async () => {
    let calls = 0;
    server.use(
      http.get(driftRoute, () => {
        calls++;
        return calls === 1
          ? errorBody(404, 'NotFoundError', 'no environment "production"')
          : HttpResponse.json(drift);
      }),
    );
    await renderDelivery(
      <DriftCard entity={checkoutEntity()} environment="production" />,
    );
    expect(
      await screen.findByText(/The drift could not be loaded/),
    ).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: /retry/i }));
    expect(
      await screen.findByRole('table', {
        name: 'Drifted fields of Rollout checkout/checkout',
      }),
    ).toBeInTheDocument();
  });
});
