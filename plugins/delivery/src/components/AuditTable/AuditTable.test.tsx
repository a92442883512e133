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
