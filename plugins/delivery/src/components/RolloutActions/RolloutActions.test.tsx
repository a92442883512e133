import type { RolloutActionRequest } from '@gitops-delivery/backstage-plugin-delivery-common';
import { registerMswTestHooks } from '@backstage/test-utils';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import {
  abortedRollout,
  canaryRollout,
  progressingRollout,
} from '../../__fixtures__/overview';
import { blockingGates, policyResponse } from '../../__fixtures__/signals';
import {
  checkoutEntity,
  entityUrl,
  errorBody,
  renderDelivery,
} from '../../__testUtils__/renderDelivery';
import { RolloutActions } from './RolloutActions';

const server = setupServer();
registerMswTestHooks(server);
// Dialogs with user-event are slow on the shared 2-core machine.
jest.setTimeout(30_000);

const entity = checkoutEntity();

/** The policy route, and an actions route that records each request and succeeds with `decision`. */
function recordingActions(
  requests: RolloutActionRequest[],
  decision: 'allowed' | 'overridden',
) {
  return [
    http.get(`${entityUrl}/policy`, () => HttpResponse.json(policyResponse)),
    http.post(`${entityUrl}/actions`, async ({ request }) => {
      const body = (await request.json()) as RolloutActionRequest;
      requests.push(body);
      return HttpResponse.json({
        record: {
          id: `r${requests.length}`,
          createdAt: '2026-11-27T12:00:00.000Z',
          actor: 'user:default/guest',
          entityRef: 'component:default/checkout',
          environment: body.environment,
          rollout: body.rollout,
          action: body.action,
          reason: body.reason,
          decision,
          outcome: 'succeeded',
        },
      });
    }),
  ];
}

describe('RolloutActions', () => {
  it('shows no buttons without the permissions', async () => {
    await renderDelivery(
      <RolloutActions
        entity={checkoutEntity(undefined, 'deny-all')}
        environment="production"
        rollout={canaryRollout()}
      />,
      { allow: () => false },
    );
    // Let usePermission settle before asserting absence.
    await waitFor(() =>
      expect(
        screen.queryByRole('group', { name: /Actions on rollout/ }),
      ).not.toBeInTheDocument(),
    );
    expect(screen.queryByRole('button')).not.toBeInTheDocument();
  });

  it('offers no action for a rollout whose Application is not bound to the entity, and says how to bind it', async () => {
    await renderDelivery(
      <RolloutActions
        entity={entity}
        environment="production"
        rollout={canaryRollout({
          binding: {
            bound: false,
            enforced: true,
            reason:
              'Argo CD Application "checkout-production" on "main" does not name component:default/checkout',
          },
        })}
      />,
    );
    const note = await screen.findByRole('note');
    expect(note).toHaveTextContent(
      'Not bound to this entity: Argo CD Application "checkout-production" on "main" does not name component:default/checkout; actions disabled.',
    );
    expect(note).toHaveTextContent(
      'delivery.backstage.io/entity-ref: component:default/checkout',
    );
    expect(
      screen.queryByRole('group', { name: /Actions on rollout/ }),
    ).not.toBeInTheDocument();
    expect(screen.queryByRole('button')).not.toBeInTheDocument();
  });

  it('offers the actions when the binding is not enforced (requireBinding: false)', async () => {
    await renderDelivery(
      <RolloutActions
        entity={entity}
        environment="production"
        rollout={canaryRollout({
          binding: { bound: false, enforced: false, reason: 'not named' },
        })}
      />,
    );
    expect(await screen.findByRole('button', { name: 'Abort' })).toBeEnabled();
    expect(screen.queryByRole('note')).not.toBeInTheDocument();
  });

  it('shows only the actions the user may take', async () => {
    await renderDelivery(
      <RolloutActions
        entity={checkoutEntity(undefined, 'abort-only')}
        environment="production"
        rollout={canaryRollout()}
      />,
      { allow: r => r.permission.name === 'delivery.rollout.abort' },
    );
    expect(await screen.findByRole('button', { name: 'Abort' })).toBeEnabled();
    expect(
      screen.queryByRole('button', { name: 'Promote one step' }),
    ).not.toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: 'Promote fully' }),
    ).not.toBeInTheDocument();
  });

  it('disables the actions Argo CD disables and hides the ones it does not offer', async () => {
    await renderDelivery(
      <RolloutActions
        entity={entity}
        environment="production"
        rollout={progressingRollout}
      />,
    );
    expect(
      await screen.findByRole('button', { name: 'Promote one step' }),
    ).toBeDisabled();
    expect(screen.getByRole('button', { name: 'Promote fully' })).toBeEnabled();
    expect(screen.getByRole('button', { name: 'Abort' })).toBeEnabled();
    expect(
      screen.queryByRole('button', { name: 'Retry' }),
    ).not.toBeInTheDocument();
  });

  it('sends the reason with one idempotency key per dialog', async () => {
    const requests: RolloutActionRequest[] = [];
    const onDone = jest.fn();
    server.use(...recordingActions(requests, 'allowed'));
    await renderDelivery(
      <RolloutActions
        entity={entity}
        environment="production"
        rollout={abortedRollout}
        onDone={onDone}
      />,
    );
    await userEvent.click(await screen.findByRole('button', { name: 'Retry' }));
    const dialog = await screen.findByRole('dialog');
    const confirm = within(dialog).getByRole('button', {
      name: 'Confirm: retry',
    });
    expect(confirm).toBeDisabled();
    await userEvent.type(
      within(dialog).getByRole('textbox', { name: /Reason/ }),
      '  SLO recovered after the fix  ',
    );
    await userEvent.click(confirm);
    await waitFor(() => expect(onDone).toHaveBeenCalled());
    expect(requests).toEqual([
      {
        environment: 'production',
        rollout: 'checkout',
        action: 'retry',
        reason: 'SLO recovered after the fix',
        idempotencyKey: expect.any(String),
      },
    ]);
    expect(requests[0].idempotencyKey.length).toBeGreaterThan(8);
    await waitFor(() =>
      expect(screen.queryByRole('dialog')).not.toBeInTheDocument(),
    );
  });

  it('shows the gates of a promotion and the failing ones of a 409 inline', async () => {
    const keys: string[] = [];
    server.use(
      http.get(`${entityUrl}/policy`, () => HttpResponse.json(policyResponse)),
      http.post(`${entityUrl}/actions`, async ({ request }) => {
        keys.push(
          ((await request.json()) as RolloutActionRequest).idempotencyKey,
        );
        return errorBody(
          409,
          'ConflictError',
          'Promotion blocked by policy default: soak-time, error-rate',
          {
            gates: blockingGates.filter(g => g.outcome !== 'pass'),
          },
        );
      }),
    );
    await renderDelivery(
      <RolloutActions
        entity={entity}
        environment="production"
        rollout={canaryRollout()}
      />,
    );
    await userEvent.click(
      await screen.findByRole('button', { name: 'Promote one step' }),
    );
    const dialog = await screen.findByRole('dialog');
    // The current gates, before confirming.
    const gates = await within(dialog).findByRole('list', {
      name: 'Policy gates',
    });
    expect(within(gates).getAllByRole('listitem')).toHaveLength(3);
    expect(
      within(dialog).getByText('The policy blocks this promotion'),
    ).toBeInTheDocument();

    await userEvent.type(
      within(dialog).getByRole('textbox', { name: /Reason/ }),
      'Dashboards look fine',
    );
    const confirm = within(dialog).getByRole('button', {
      name: 'Confirm: promote one step',
    });
    await userEvent.click(confirm);
    const blocked = await within(dialog).findByRole('list', {
      name: 'Gates that blocked the action',
    });
    expect(
      within(dialog).getByText('Blocked by the promotion policy'),
    ).toBeInTheDocument();
    expect(within(blocked).getAllByRole('listitem')).toHaveLength(2);
    expect(blocked).toHaveTextContent('Soaked 3 of 10 min at the current step');
    expect(blocked).toHaveTextContent('time at current step: 3 min < 10 min');
    // A second submit of the same dialog reuses its idempotency key.
    await userEvent.click(confirm);
    await waitFor(() => expect(keys).toHaveLength(2));
    expect(keys[0]).toBe(keys[1]);
  });

  it('offers break glass to a user with the override permission: names the gates, needs a reason, sends override', async () => {
    const requests: RolloutActionRequest[] = [];
    const onDone = jest.fn();
    server.use(...recordingActions(requests, 'overridden'));
    await renderDelivery(
      <RolloutActions
        entity={entity}
        environment="production"
        rollout={canaryRollout()}
        onDone={onDone}
      />,
    );
    await userEvent.click(
      await screen.findByRole('button', { name: 'Promote one step' }),
    );
    const dialog = await screen.findByRole('dialog');
    await within(dialog).findByText('The policy blocks this promotion');
    const breakGlass = within(dialog).getByRole('checkbox', {
      name: 'Override the policy (break glass)',
    });
    expect(breakGlass).not.toBeChecked();
    expect(
      within(dialog).queryByRole('list', { name: 'Gates overridden' }),
    ).not.toBeInTheDocument();
    await userEvent.click(breakGlass);
    // The gates it overrides: the failing and unknown ones, not the passing one.
    const overridden = within(dialog).getByRole('list', {
      name: 'Gates overridden',
    });
    expect(
      within(overridden)
        .getAllByRole('listitem')
        .map(li => li.textContent?.split(' ')[0]),
    ).toEqual(['soak-time', 'error-rate']);
    expect(overridden).toHaveTextContent(
      'Soaked 3 of 10 min at the current step',
    );
    // A reason is required before the override can be sent.
    const confirm = within(dialog).getByRole('button', {
      name: 'Confirm: override the policy and promote one step',
    });
    expect(confirm).toBeDisabled();
    await userEvent.type(
      within(dialog).getByRole('textbox', {
        name: /Reason for overriding the policy/,
      }),
      'Incident 4711: the fix must reach production now',
    );
    await userEvent.click(confirm);
    await waitFor(() => expect(onDone).toHaveBeenCalled());
    expect(requests).toEqual([
      {
        environment: 'production',
        rollout: 'checkout',
        action: 'promote',
        reason: 'Incident 4711: the fix must reach production now',
        idempotencyKey: expect.any(String),
        override: true,
      },
    ]);
  });

  it('offers no break glass without the override permission, and sends no override', async () => {
    const requests: RolloutActionRequest[] = [];
    const url = entityUrl.replace(/checkout$/, 'no-override');
    server.use(
      http.get(`${url}/policy`, () => HttpResponse.json(policyResponse)),
      http.post(`${url}/actions`, async ({ request }) => {
        requests.push((await request.json()) as RolloutActionRequest);
        return errorBody(409, 'ConflictError', 'Promotion blocked', {
          gates: blockingGates.filter(g => g.outcome !== 'pass'),
        });
      }),
    );
    await renderDelivery(
      <RolloutActions
        entity={checkoutEntity(undefined, 'no-override')}
        environment="production"
        rollout={canaryRollout()}
      />,
      {
        allow: r => r.permission.name !== 'delivery.rollout.override-policy',
      },
    );
    await userEvent.click(
      await screen.findByRole('button', { name: 'Promote one step' }),
    );
    const dialog = await screen.findByRole('dialog');
    await within(dialog).findByText('The policy blocks this promotion');
    expect(within(dialog).queryByRole('checkbox')).not.toBeInTheDocument();
    await userEvent.type(
      within(dialog).getByRole('textbox', { name: /Reason/ }),
      'Please',
    );
    await userEvent.click(
      within(dialog).getByRole('button', {
        name: 'Confirm: promote one step',
      }),
    );
    await within(dialog).findByText('Blocked by the promotion policy');
    // Still no break glass after the 409.
    expect(within(dialog).queryByRole('checkbox')).not.toBeInTheDocument();
    expect(requests).toHaveLength(1);
    expect(requests[0]).not.toHaveProperty('override');
  });

  it('shows other failures as an error', async () => {
    server.use(
      http.get(`${entityUrl}/policy`, () => HttpResponse.json(policyResponse)),
      http.post(`${entityUrl}/actions`, () =>
        errorBody(502, 'ServiceUnavailableError', 'Argo CD did not answer'),
      ),
    );
    await renderDelivery(
      <RolloutActions
        entity={entity}
        environment="production"
        rollout={canaryRollout()}
      />,
    );
    await userEvent.click(await screen.findByRole('button', { name: 'Abort' }));
    const dialog = await screen.findByRole('dialog');
    await userEvent.type(
      within(dialog).getByRole('textbox', { name: /Reason/ }),
      'Error spike',
    );
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Confirm: abort' }),
    );
    expect(
      await within(dialog).findByText('The action failed'),
    ).toBeInTheDocument();
    expect(
      within(dialog).getByText(/Argo CD did not answer/),
    ).toBeInTheDocument();
  });
});
