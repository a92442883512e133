import type {
  ApplicationActionRequest,
  ApplicationView,
  EnvironmentView,
  RollbackPullRequest,
} from '@gitops-delivery/backstage-plugin-delivery-common';
import { registerMswTestHooks } from '@backstage/test-utils';
import { act, screen, waitFor, within } from '@testing-library/react';
import { useState } from 'react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import {
  checkoutEntity,
  entityUrl,
  errorBody,
  renderDelivery,
} from '../../__testUtils__/renderDelivery';
import { ApplicationActions } from './ApplicationActions';
import { ApplicationsCard } from './ApplicationsCard';

const server = setupServer();
registerMswTestHooks(server);
jest.setTimeout(30_000);

const sha = (c: string) => c.repeat(40);

function app(extra: Partial<ApplicationView> = {}): ApplicationView {
  return {
    instance: 'main',
    name: 'checkout-staging',
    project: 'shop',
    destination: { namespace: 'checkout' },
    sourceType: 'git',
    sync: { status: 'OutOfSync', revision: sha('c') },
    health: { status: 'Healthy' },
    images: [],
    history: [
      { id: 7, revision: sha('c'), deployedAt: '2026-11-27T11:00:00Z' },
      {
        id: 6,
        revision: sha('b'),
        deployedAt: '2026-11-26T11:00:00Z',
        metadata: { message: 'checkout 1.3.0\n\nbody' },
      },
      { id: 5, revision: sha('a'), deployedAt: '2026-11-25T11:00:00Z' },
    ],
    links: [],
    binding: { bound: true, enforced: true, by: 'label' },
    autoSync: false,
    resources: [
      {
        group: 'argoproj.io',
        kind: 'Rollout',
        namespace: 'checkout',
        name: 'checkout',
        status: 'OutOfSync',
      },
      {
        kind: 'Service',
        namespace: 'checkout',
        name: 'checkout',
        status: 'Synced',
      },
    ],
    ...extra,
  };
}

function recording(requests: ApplicationActionRequest[]) {
  return http.post(`${entityUrl}/applications/actions`, async ({ request }) => {
    const body = (await request.json()) as ApplicationActionRequest;
    requests.push(body);
    return HttpResponse.json({
      record: {
        id: `r${requests.length}`,
        createdAt: '2026-11-27T12:00:00.000Z',
        actor: 'user:default/guest',
        entityRef: 'component:default/checkout',
        environment: body.environment,
        rollout: body.application,
        action: body.action,
        reason: body.reason,
        decision: 'allowed',
        outcome: 'succeeded',
      },
      operation: {
        phase: 'Running',
        message: 'one or more tasks are running',
        startedAt: '2026-11-27T12:00:01Z',
        initiatedBy: 'admin',
      },
    });
  });
}

const entity = checkoutEntity();

describe('ApplicationActions', () => {
  it('syncs only the picked resources with prune, and shows the running operation', async () => {
    const requests: ApplicationActionRequest[] = [];
    server.use(recording(requests));
    await renderDelivery(
      <ApplicationActions entity={entity} environment="staging" app={app()} />,
    );
    await userEvent.click(await screen.findByRole('button', { name: 'Sync' }));
    const dialog = await screen.findByRole('dialog');
    await userEvent.type(within(dialog).getByLabelText(/Reason/), 'drift');
    await userEvent.click(within(dialog).getByLabelText(/Prune/));
    await userEvent.click(
      within(dialog).getByLabelText('Service checkout/checkout (Synced)'),
    );
    expect(
      within(dialog).getByText('Resources to sync (1 of 2)'),
    ).toBeVisible();
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Confirm: sync' }),
    );
    await waitFor(() => expect(requests).toHaveLength(1));
    expect(requests[0]).toMatchObject({
      environment: 'staging',
      instance: 'main',
      application: 'checkout-staging',
      action: 'sync',
      reason: 'drift',
      prune: true,
      resources: [
        {
          group: 'argoproj.io',
          kind: 'Rollout',
          namespace: 'checkout',
          name: 'checkout',
        },
      ],
    });
    expect(requests[0].idempotencyKey).toMatch(/.{8,}/);
    const status = await screen.findByRole('status', {
      name: 'Last operation',
    });
    expect(status).toHaveTextContent(
      'Operation running (by admin): one or more tasks are running',
    );
    expect(within(status).getByRole('progressbar')).toBeInTheDocument();
  });

  it('sends a whole sync when every resource stays picked, and a hard refresh', async () => {
    const requests: ApplicationActionRequest[] = [];
    server.use(recording(requests));
    await renderDelivery(
      <ApplicationActions entity={entity} environment="staging" app={app()} />,
    );
    await userEvent.click(await screen.findByRole('button', { name: 'Sync' }));
    let dialog = await screen.findByRole('dialog');
    await userEvent.type(within(dialog).getByLabelText(/Reason/), 'all');
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Confirm: sync' }),
    );
    await waitFor(() => expect(requests).toHaveLength(1));
    expect(requests[0].resources).toBeUndefined();
    expect(requests[0].prune).toBeUndefined();

    await userEvent.click(screen.getByRole('button', { name: 'Refresh' }));
    dialog = await screen.findByRole('dialog');
    await userEvent.type(within(dialog).getByLabelText(/Reason/), 'stale');
    await userEvent.click(within(dialog).getByLabelText(/Hard refresh/));
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Confirm: refresh' }),
    );
    await waitFor(() => expect(requests).toHaveLength(2));
    expect(requests[1]).toMatchObject({ action: 'refresh', hard: true });
  });

  it('rolls back to the history entry picked, never offering the deployed one', async () => {
    const requests: ApplicationActionRequest[] = [];
    server.use(recording(requests));
    await renderDelivery(
      <ApplicationActions entity={entity} environment="staging" app={app()} />,
    );
    await userEvent.click(
      await screen.findByRole('button', { name: 'Roll back' }),
    );
    const dialog = await screen.findByRole('dialog');
    const picker = within(dialog).getByRole('radiogroup', {
      name: 'History entry to roll back to',
    });
    expect(
      within(picker)
        .getAllByRole('radio')
        .map(r => r.getAttribute('value')),
    ).toEqual(['6', '5']);
    await userEvent.type(
      within(dialog).getByLabelText(/Reason/),
      'bad release',
    );
    const confirm = within(dialog).getByRole('button', {
      name: 'Confirm: roll back',
    });
    // no entry picked yet
    expect(confirm).toBeDisabled();
    await userEvent.click(
      within(picker).getByLabelText(/#6 · bbbbbbb · .* · checkout 1\.3\.0/),
    );
    await userEvent.click(confirm);
    await waitFor(() => expect(requests).toHaveLength(1));
    expect(requests[0]).toMatchObject({ action: 'rollback', historyId: 6 });
  });

  it('shows a 409 from the backend in the dialog', async () => {
    server.use(
      http.post(`${entityUrl}/applications/actions`, () =>
        errorBody(
          409,
          'ConflictError',
          'Argo CD refused the sync of all resources: another operation is already in progress',
        ),
      ),
    );
    await renderDelivery(
      <ApplicationActions entity={entity} environment="staging" app={app()} />,
    );
    await userEvent.click(await screen.findByRole('button', { name: 'Sync' }));
    const dialog = await screen.findByRole('dialog');
    await userEvent.type(within(dialog).getByLabelText(/Reason/), 'again');
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Confirm: sync' }),
    );
    expect(
      await within(dialog).findByText(
        /another operation is already in progress/,
      ),
    ).toBeVisible();
  });

  it('disables the buttons with the reason: no permission, an operation running, not bound', async () => {
    await renderDelivery(
      <ApplicationActions
        entity={checkoutEntity(undefined, 'no-app-sync')}
        environment="staging"
        app={app({ autoSync: true })}
      />,
      {
        allow: r => r.permission.name !== 'delivery.application.sync',
        entity: checkoutEntity(undefined, 'no-app-sync'),
      },
    );
    await waitFor(() =>
      expect(screen.getByRole('button', { name: 'Sync' })).toBeDisabled(),
    );
    expect(
      screen.getByLabelText(
        'Sync: You lack the delivery.application.sync permission for this entity',
      ),
    ).toBeInTheDocument();
    // auto-sync: a rollback is a pull request, not refused
    expect(screen.getByRole('button', { name: 'Roll back' })).toBeEnabled();
  });

  it('says an auto-sync rollback opens a pull request, then shows its link and how far it has come', async () => {
    const requests: ApplicationActionRequest[] = [];
    const pullRequest: RollbackPullRequest = {
      repository: 'acme/checkout',
      repoURL: 'https://github.com/acme/checkout.git',
      number: 200,
      url: 'https://github.com/acme/checkout/pull/200',
      branch: 'delivery/rollback-checkout-staging-r1',
      base: 'main',
      revision: sha('b'),
      path: 'deploy/staging',
      environment: 'staging',
      application: 'checkout-staging',
      recordId: 'r1',
      tracking: 'open',
    };
    server.use(
      http.post(`${entityUrl}/applications/actions`, async ({ request }) => {
        const body = (await request.json()) as ApplicationActionRequest;
        requests.push(body);
        const record = {
          id: 'r1',
          createdAt: '2026-11-27T12:00:00.000Z',
          actor: 'user:default/guest',
          entityRef: 'component:default/checkout',
          environment: body.environment,
          rollout: body.application,
          action: body.action,
          reason: body.reason,
          decision: 'allowed',
          outcome: 'succeeded',
          pullRequest,
        };
        return HttpResponse.json({ record, pullRequest });
      }),
    );
    const autoSynced = app({
      autoSync: true,
      repoURL: 'https://github.com/acme/checkout.git',
    });
    // the overview's summary.rollbacks, as the tab passes it on each poll
    let track: (pr: RollbackPullRequest) => void = () => {};
    function Tab() {
      const [tracked, setTracked] = useState<RollbackPullRequest>();
      track = setTracked;
      return (
        <ApplicationActions
          entity={entity}
          environment="staging"
          app={autoSynced}
          rollback={tracked}
        />
      );
    }
    await renderDelivery(<Tab />);
    await userEvent.click(
      await screen.findByRole('button', { name: 'Roll back' }),
    );
    const dialog = await screen.findByRole('dialog');
    expect(
      within(dialog).getByText('A pull request will be opened'),
    ).toBeVisible();
    expect(dialog).toHaveTextContent(
      'opens a pull request on https://github.com/acme/checkout.git',
    );
    await userEvent.type(within(dialog).getByLabelText(/Reason/), 'errors');
    await userEvent.click(within(dialog).getByLabelText(/^#6 · bbbbbbb/));
    await userEvent.click(
      within(dialog).getByRole('button', {
        name: 'Confirm: open a rollback pull request',
      }),
    );
    await waitFor(() => expect(requests).toHaveLength(1));
    expect(requests[0]).toMatchObject({ action: 'rollback', historyId: 6 });

    // the dialog stays with the pull request's link and state
    expect(
      await within(dialog).findByText('Pull request opened'),
    ).toBeVisible();
    const status = within(dialog).getByRole('status', {
      name: 'Rollback pull request',
    });
    expect(
      within(status).getByRole('link', { name: /acme\/checkout#200/ }),
    ).toHaveAttribute('href', pullRequest.url);
    expect(status).toHaveTextContent(
      'to bbbbbbb: open, waiting for review and merge',
    );

    // the overview's tracking moves it on: merged, then synced
    act(() => track({ ...pullRequest, tracking: 'merged' }));
    expect(
      within(screen.getByRole('dialog')).getByRole('status', {
        name: 'Rollback pull request',
      }),
    ).toHaveTextContent('merged, waiting for Argo CD to sync');
    act(() => track({ ...pullRequest, tracking: 'synced' }));
    await userEvent.click(screen.getByRole('button', { name: 'Close' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(
      screen.getByRole('status', { name: 'Rollback pull request' }),
    ).toHaveTextContent('synced: the Application runs the restored revision');
  });

  it('keeps Refresh but not Sync while an operation runs, and refuses all when unbound', async () => {
    const { unmount } = await renderDelivery(
      <ApplicationActions
        entity={entity}
        environment="staging"
        app={app({
          operation: { phase: 'Running', startedAt: '2026-11-27T12:00:00Z' },
        })}
      />,
    );
    await waitFor(() =>
      expect(screen.getByRole('button', { name: 'Refresh' })).toBeEnabled(),
    );
    expect(screen.getByRole('button', { name: 'Sync' })).toBeDisabled();
    unmount();
    await renderDelivery(
      <ApplicationActions
        entity={entity}
        environment="staging"
        app={app({
          binding: {
            bound: false,
            enforced: true,
            reason: 'names another entity',
          },
        })}
      />,
    );
    await waitFor(() =>
      expect(screen.getByRole('button', { name: 'Refresh' })).toBeDisabled(),
    );
    expect(
      screen.getByLabelText(
        'Refresh: Not bound to this entity: names another entity',
      ),
    ).toBeInTheDocument();
  });
});

describe('ApplicationsCard', () => {
  it('lists each Application per environment with its state and actions', async () => {
    await renderDelivery(
      <ApplicationsCard
        entity={entity}
        environments={[
          {
            name: 'staging',
            applications: [app()],
            stages: [],
            rollouts: [],
          } as unknown as EnvironmentView,
          {
            name: 'production',
            applications: [
              app({
                name: 'checkout-production',
                autoSync: true,
                sync: { status: 'Synced', revision: sha('d') },
              }),
            ],
            stages: [],
            rollouts: [],
          } as unknown as EnvironmentView,
        ]}
      />,
    );
    const staging = await screen.findByRole('region', {
      name: 'Application checkout-staging in staging',
    });
    expect(staging).toHaveTextContent(
      'main · OutOfSync at ccccccc · Healthy · manual sync',
    );
    const production = screen.getByRole('region', {
      name: 'Application checkout-production in production',
    });
    expect(production).toHaveTextContent('Synced at ddddddd');
    expect(production).toHaveTextContent('auto-sync');
    expect(
      within(production).getByRole('group', {
        name: 'Actions on application checkout-production',
      }),
    ).toBeInTheDocument();
  });
});
