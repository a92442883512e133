import { registerMswTestHooks } from '@backstage/test-utils';
import { screen, within } from '@testing-library/react';
import { setupServer } from 'msw/node';
import {
  abortedRollout,
  blueGreenRollout,
  checkoutOverview,
} from '../../__fixtures__/overview';
import {
  checkoutEntity,
  deliveryHandlers,
  renderDelivery,
} from '../../__testUtils__/renderDelivery';
import { EntityDeliveryOverviewCard } from './EntityDeliveryOverviewCard';

const server = setupServer();
registerMswTestHooks(server);

function row(name: string): HTMLElement {
  const rows = Array.from(
    screen
      .getByRole('table', { name: 'Delivery per environment' })
      .querySelectorAll('tbody tr'),
  );
  const found = rows.find(tr => tr.firstElementChild?.textContent === name);
  if (!found) throw new Error(`No row for ${name}`);
  return found as HTMLElement;
}

describe('EntityDeliveryOverviewCard', () => {
  it('shows the current stage, canary weight and step, and gates per environment', async () => {
    server.use(...deliveryHandlers());
    await renderDelivery(<EntityDeliveryOverviewCard />);
    await screen.findByRole('table', { name: 'Delivery per environment' });
    // dev's change rolling out in production is not dev's current stage
    expect(row('dev')).toHaveTextContent('Reconcile: succeeded');
    expect(row('dev')).not.toHaveTextContent('Production: running');
    expect(row('staging')).toHaveTextContent('Staging: succeeded');
    expect(row('dev')).toHaveTextContent('all gates pass');
    const production = row('production');
    expect(production).toHaveTextContent('Production: running');
    expect(production).toHaveTextContent('5% canary, step 2/6');
    expect(
      within(production).getByText(/blocked: soak-time/),
    ).toBeInTheDocument();
  });

  it('summarises aborted and blue-green rollouts', async () => {
    const overview = checkoutOverview(abortedRollout);
    overview.environments[1].rollouts = [blueGreenRollout];
    server.use(...deliveryHandlers({ overview }));
    await renderDelivery(<EntityDeliveryOverviewCard />);
    await screen.findByRole('table', { name: 'Delivery per environment' });
    expect(row('production')).toHaveTextContent('0% canary, step 3/6');
    expect(row('staging')).toHaveTextContent('blue-green paused');
  });

  it('shows an environment with nothing to promote as no promotion pending, not blocked', async () => {
    const overview = checkoutOverview();
    // staging has no rollout: its scan gate may fail, but nothing waits
    overview.environments[1].summary = {
      policy: {
        allowed: false,
        failing: ['no-high-or-critical-cves'],
        pending: false,
      },
    };
    server.use(...deliveryHandlers({ overview }));
    await renderDelivery(<EntityDeliveryOverviewCard />);
    await screen.findByRole('table', { name: 'Delivery per environment' });
    expect(row('staging')).toHaveTextContent('no promotion pending');
    expect(row('staging')).not.toHaveTextContent('blocked');
    expect(row('production')).toHaveTextContent('blocked: soak-time');
  });

  it('shows the worst security layer of each environment', async () => {
    const overview = checkoutOverview();
    const zero = { CRITICAL: 0, HIGH: 0, MEDIUM: 0, LOW: 0, UNKNOWN: 0 };
    overview.environments[2].summary = {
      ...overview.environments[2].summary,
      vulnerabilities: {
        counts: zero,
        fixableCounts: zero,
        worstLayer: {
          layer: 'runtime',
          state: 'findings',
          counts: { ...zero, CRITICAL: 1, LOW: 2 },
        },
      },
    };
    overview.environments[1].summary = {
      ...overview.environments[1].summary,
      vulnerabilities: {
        counts: zero,
        fixableCounts: zero,
        worstLayer: { layer: 'image', state: 'clean', counts: zero },
      },
    };
    server.use(...deliveryHandlers({ overview }));
    await renderDelivery(<EntityDeliveryOverviewCard />);
    await screen.findByRole('table', { name: 'Delivery per environment' });
    expect(row('production')).toHaveTextContent(
      'Runtime: findings (1 CRITICAL, 2 LOW)',
    );
    expect(row('staging')).toHaveTextContent('all layers clean');
    expect(row('dev')).toHaveTextContent('—');
  });

  it('explains the missing annotation', async () => {
    await renderDelivery(<EntityDeliveryOverviewCard />, {
      entity: checkoutEntity({}),
    });
    expect(await screen.findByText(/Missing Annotation/i)).toBeInTheDocument();
  });
});
