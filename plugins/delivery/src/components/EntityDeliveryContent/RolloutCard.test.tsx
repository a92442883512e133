import { registerMswTestHooks } from '@backstage/test-utils';
import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { setupServer } from 'msw/node';
import { canaryRollout } from '../../__fixtures__/overview';
import {
  checkoutEntity,
  deliveryHandlers,
  renderDelivery,
} from '../../__testUtils__/renderDelivery';
import { RolloutCard, rolloutCardOpen } from './RolloutCard';

const server = setupServer();
registerMswTestHooks(server);

describe('rolloutCardOpen', () => {
  const progressing = canaryRollout({ pause: undefined, phase: 'Progressing' });
  it('opens the focused environment and the rollouts that need a look', () => {
    expect(rolloutCardOpen(progressing, 'production', 'production')).toBe(true);
    expect(rolloutCardOpen(progressing, 'staging', 'production')).toBe(false);
    expect(
      rolloutCardOpen(
        canaryRollout({ aborted: true }),
        'staging',
        'production',
      ),
    ).toBe(true);
    expect(
      rolloutCardOpen(
        canaryRollout({ phase: 'Degraded', pause: undefined }),
        'staging',
        'production',
      ),
    ).toBe(true);
  });
});

describe('RolloutCard', () => {
  it('starts as one line with its actions and opens by keyboard', async () => {
    server.use(...deliveryHandlers());
    const rollout = canaryRollout({ pause: undefined, phase: 'Progressing' });
    await renderDelivery(
      <RolloutCard
        entity={checkoutEntity()}
        environment="staging"
        rollout={rollout}
        defaultOpen={false}
        onActionDone={() => {}}
      />,
    );
    expect(screen.getByText('Rollout checkout · staging')).toBeInTheDocument();
    // the state in words beside its icon, the actions already there
    expect(screen.getByText(/Canary progressing · step/)).toBeInTheDocument();
    expect(
      await screen.findByRole('group', { name: /Actions on rollout checkout/ }),
    ).toBeInTheDocument();
    expect(
      screen.queryByLabelText('Steps of checkout'),
    ).not.toBeInTheDocument();

    const toggle = screen.getByRole('button', {
      name: 'Show the steps and analysis of checkout',
    });
    expect(toggle).toHaveAttribute('aria-expanded', 'false');
    toggle.focus();
    await userEvent.keyboard('{Enter}');
    expect(screen.getByLabelText('Steps of checkout')).toBeInTheDocument();
    expect(
      screen.getByRole('button', {
        name: 'Hide the steps and analysis of checkout',
      }),
    ).toHaveAttribute('aria-expanded', 'true');
  });
});
