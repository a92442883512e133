import type {
  DeliveryOverview,
  MetricsResponse,
  PolicyResponse,
  VulnerabilitiesResponse,
} from '@gitops-delivery/backstage-plugin-delivery-common';
import { registerMswTestHooks } from '@backstage/test-utils';
import { screen, within } from '@testing-library/react';
import { setupServer } from 'msw/node';
import {
  checkoutEntity,
  deliveryHandlers,
  openEnvironment,
  renderDelivery,
} from '../../__testUtils__/renderDelivery';
import { EntityDeliveryContent } from './EntityDeliveryContent';

/*
 * Responses recorded from the delivery backend running against the sandbox
 * (see __fixtures__/recorded/README.md), so the tab is tested against what
 * the backend really sends, not only against hand-written fixtures.
 */
function recorded(name: string) {
  const load = <T,>(route: string): T =>
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    require(`../../__fixtures__/recorded/${name}.${route}.json`);
  return {
    overview: load<DeliveryOverview>('overview'),
    metrics: load<MetricsResponse>('metrics'),
    vulnerabilities: load<VulnerabilitiesResponse>('vulnerabilities'),
    policy: load<PolicyResponse>('policy'),
    audit: { items: [] },
  };
}

const server = setupServer();
registerMswTestHooks(server);
// Whole-tab renders of real-sized responses: slow in jsdom on a loaded machine.
jest.setTimeout(90_000);

describe('EntityDeliveryContent with recorded backend responses', () => {
  it('renders the checkout canary paused for promotion', async () => {
    server.use(...deliveryHandlers(recorded('checkout-healthy')));
    await renderDelivery(<EntityDeliveryContent />);
    const production = await screen.findByLabelText('Environment production');
    expect(
      within(production).getAllByRole('listitem').length,
    ).toBeGreaterThanOrEqual(7);
    const steps = screen.getByLabelText('Steps of checkout');
    expect(within(steps).getAllByRole('listitem')).toHaveLength(6);
    expect(
      within(steps)
        .getAllByRole('listitem')
        .find(li => li.getAttribute('aria-current') === 'step'),
    ).toHaveTextContent('Pause until promoted');
    expect(screen.getByText(/until someone promotes it/)).toBeInTheDocument();
    expect(
      screen.getByLabelText('Traffic: canary 25%, stable 75%'),
    ).toBeInTheDocument();
    // Argo CD offers resume, promote-full and abort, and disables retry.
    // (Queries are scoped: role queries over the whole tab are slow in jsdom.)
    const actions = await screen.findByLabelText('Actions on rollout checkout');
    expect(
      within(actions).getByRole('button', { name: 'Promote one step' }),
    ).toBeEnabled();
    expect(
      within(actions).getByRole('button', { name: 'Abort' }),
    ).toBeEnabled();
    expect(
      within(actions).getByRole('button', { name: 'Retry' }),
    ).toBeDisabled();
    const chart = await screen.findByTestId('slo-error-rate');
    // The backend's step changes: the analysis step started, then the
    // rollout reached the 25% pause.
    expect(chart).toHaveTextContent('analysis at step 3 (5%)');
    expect(chart).toHaveTextContent('paused at step 5 (25%)');
    // Each row describes its environment: dev's change is production's
    // canary, said as where this change is, not as dev's own state.
    const devProduction = within(openEnvironment('dev')).getByTestId(
      'stage-production',
    );
    expect(devProduction).toHaveTextContent('this change in production');
    expect(devProduction).toHaveTextContent(
      'Canary in production: 25% at step 5/6, paused',
    );
    expect(
      within(screen.getByLabelText('Environment dev')).getByTestId(
        'stage-reconcile',
      ),
    ).toHaveTextContent('Synced and healthy');
  });

  it('renders the payments canary blocked by its CRITICAL CVE', async () => {
    server.use(...deliveryHandlers(recorded('payments-cve')));
    await renderDelivery(<EntityDeliveryContent />, {
      entity: checkoutEntity(),
    });
    expect(await screen.findByText('Promotion blocked')).toBeInTheDocument();
    const gates = screen.getByLabelText(/^Gates of policy/);
    expect(gates).toHaveTextContent('no-high-or-critical-cves — fail');
    expect(
      await screen.findByLabelText(
        'Difference in findings, canary minus stable',
      ),
    ).toHaveTextContent('CRITICAL +1');
    expect(screen.getByText(/new in the canary/)).toHaveTextContent(
      'CVE-2023-38545',
    );
  });

  it('renders inventory blue-green across two Argo CD instances', async () => {
    server.use(...deliveryHandlers(recorded('inventory-bluegreen')));
    await renderDelivery(<EntityDeliveryContent />);
    await screen.findByLabelText('Environment dev');
    expect(openEnvironment('dev')).toHaveTextContent('(nonprod)');
    expect(screen.getByLabelText('Environment production')).toHaveTextContent(
      '(main)',
    );
    expect(screen.getByText('Blue-green paused')).toBeInTheDocument();
    expect(screen.getByText('Preview (new) images')).toBeInTheDocument();
  });
});
