import { registerMswTestHooks } from '@backstage/test-utils';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { setupServer } from 'msw/node';
import {
  checkoutEntity,
  deliveryHandlers,
  renderDelivery,
} from '../../__testUtils__/renderDelivery';
import { AuditTable } from './AuditTable';

const server = setupServer();
registerMswTestHooks(server);
jest.setTimeout(30_000);

describe('AuditTable', () => {
  it("links a GitOps rollback's pull request with how far it has come", async () => {
    server.use(
      ...deliveryHandlers({
        audit: {
          items: [
            {
              id: 'r9',
              createdAt: '2026-11-27T12:00:00.000Z',
              actor: 'user:default/guest',
              entityRef: 'component:default/checkout',
              environment: 'staging',
              rollout: 'checkout-staging',
              action: 'rollback',
              reason: 'errors since 1.5.0',
              decision: 'allowed',
              outcome: 'succeeded',
              message: 'pull request #200 opened on acme/checkout',
              pullRequest: {
                repository: 'acme/checkout',
                repoURL: 'https://github.com/acme/checkout.git',
                number: 200,
                url: 'https://github.com/acme/checkout/pull/200',
                branch: 'delivery/rollback-checkout-staging-r9',
                base: 'main',
                revision: 'b'.repeat(40),
                environment: 'staging',
                application: 'checkout-staging',
                recordId: 'r9',
                tracking: 'merged',
              },
            },
          ],
        },
      }),
    );
    await renderDelivery(<AuditTable entity={checkoutEntity()} />);
    const row = (await screen.findByText('errors since 1.5.0')).closest('tr')!;
    expect(
      within(row).getByRole('link', { name: /acme\/checkout#200/ }),
    ).toHaveAttribute('href', 'https://github.com/acme/checkout/pull/200');
    expect(row).toHaveTextContent('(merged)');
  });

  it('expands a decision to the gate results recorded with it', async () => {
    server.use(...deliveryHandlers());
    await renderDelivery(<AuditTable entity={checkoutEntity()} />);
    await screen.findByText('Looks good on dashboards');
    expect(
      screen.queryByRole('list', { name: /^Gates recorded with/ }),
    ).not.toBeInTheDocument();

    // The abort evaluated no policy: its row has nothing to expand.
    const toggle = screen.getByRole('button', {
      name: 'Show gates (1 of 3 passed)',
    });
    expect(toggle).toHaveAttribute('aria-expanded', 'false');
    expect(screen.getByText('none recorded')).toBeInTheDocument();

    // Keyboard: focus the button and press Enter.
    toggle.focus();
    await userEvent.keyboard('{Enter}');
    const gates = await screen.findByRole('list', {
      name: 'Gates recorded with the promote of 2026-11-27T11:59:00.000Z',
    });
    expect(
      screen.getByText(
        /Gates recorded with this blocked promote \(1 of 3 passed\)/,
      ),
    ).toBeInTheDocument();
    const items = within(gates).getAllByRole('listitem');
    expect(items).toHaveLength(3);
    // Outcome as icon and word, the reason and the evidence.
    expect(items[0]).toHaveTextContent('no-critical-cves — pass');
    expect(items[1]).toHaveTextContent('soak-time — fail');
    expect(items[1]).toHaveTextContent(
      'Soaked 3 of 10 min at the current step',
    );
    expect(items[1]).toHaveTextContent('time at current step: 3 min < 10 min');
    expect(items[2]).toHaveTextContent('error-rate — unknown');
    expect(within(items[2]).getByRole('link')).toHaveAttribute(
      'href',
      'https://prometheus.acme.test/graph',
    );
    expect(items[1].querySelector('svg')).not.toBeNull();
    expect(
      screen.getByRole('button', { name: 'Hide gates (1 of 3 passed)' }),
    ).toHaveAttribute('aria-expanded', 'true');
  });
});
