import { registerMswTestHooks } from '@backstage/test-utils';
import { screen, waitFor, within } from '@testing-library/react';
import { http } from 'msw';
import { setupServer } from 'msw/node';
import {
  allStatusesOverview,
  canaryRollout,
  checkoutOverview,
  largeOverview,
} from '../../__fixtures__/overview';
import { manyFindings } from '../../__fixtures__/signals';
import {
  checkoutEntity,
  deliveryHandlers,
  entityUrl,
  errorBody,
  openEnvironment,
  renderDelivery,
} from '../../__testUtils__/renderDelivery';
import { EntityDeliveryContent } from './EntityDeliveryContent';

const server = setupServer();
registerMswTestHooks(server);
// The whole tab is a big DOM for jsdom; queries on it take seconds on a 2-core machine.
jest.setTimeout(60_000);

describe('EntityDeliveryContent', () => {
  it('renders the ladder, the rollout, the signals and the audit trail', async () => {
    server.use(...deliveryHandlers());
    await renderDelivery(<EntityDeliveryContent />);
    const production = await screen.findByLabelText('Environment production');
    const stages = within(production).getByLabelText(
      'Pipeline stages of production',
    );
    expect(within(stages).getAllByRole('listitem')).toHaveLength(7);
    expect(
      within(production).getByTestId('stage-production'),
    ).toHaveTextContent('running');
    expect(
      within(production).getByTestId('stage-production'),
    ).not.toHaveTextContent('this change in');
    // dev's row describes dev: its production stage says where dev's change
    // is in production, worded as such, not as dev running something.
    const devProduction = within(openEnvironment('dev')).getByTestId(
      'stage-production',
    );
    expect(devProduction).toHaveTextContent('this change in production');
    expect(devProduction).toHaveTextContent('rolling out');
    expect(devProduction).not.toHaveTextContent(/\brunning\b/);
    expect(devProduction).toHaveTextContent(
      'Canary in production: 5% at step 2/6, paused',
    );
    expect(
      screen.getByText('Rollout checkout · production'),
    ).toBeInTheDocument();
    expect(await screen.findByTestId('slo-error-rate')).toBeInTheDocument();
    expect(await screen.findByText('Promotion blocked')).toBeInTheDocument();
    expect(
      await screen.findByText(/CVE-2026-1234 \(CRITICAL/),
    ).toBeInTheDocument();
    expect(
      await screen.findByText('Looks good on dashboards'),
    ).toBeInTheDocument();
  });

  it('marks an Application that does not name the entity back and offers no action on its rollout', async () => {
    const binding = {
      bound: false,
      enforced: true,
      reason:
        'Argo CD Application "checkout-production" on "main" does not name component:default/checkout',
    };
    const overview = checkoutOverview(canaryRollout({ binding }));
    const production = overview.environments.find(
      e => e.name === 'production',
    )!;
    production.applications[0].binding = binding;
    server.use(...deliveryHandlers({ overview }));
    await renderDelivery(<EntityDeliveryContent />);
    const row = await screen.findByLabelText('Environment production');
    expect(
      within(row).getByText(
        /checkout-production \(main\).*not bound to this entity/,
      ),
    ).toBeInTheDocument();
    expect(
      within(openEnvironment('dev')).queryByText(/not bound to this entity/),
    ).not.toBeInTheDocument();
    expect(await screen.findByRole('note')).toHaveTextContent(
      `Not bound to this entity: ${binding.reason}; actions disabled.`,
    );
    expect(
      screen.queryByRole('group', { name: /Actions on rollout/ }),
    ).not.toBeInTheDocument();
  });

  it('answers first: a headline per environment, the changing one open, the others one line', async () => {
    server.use(...deliveryHandlers());
    await renderDelivery(<EntityDeliveryContent />);
    const production = await screen.findByLabelText('Environment production');
    // with the production evaluation loaded, what the blocking gate needs
    await waitFor(() =>
      expect(screen.getByTestId('headline-production')).toHaveTextContent(
        /is at 5% in production, healthy; promotion waits for the soak-time: 3 of 10 min and 1 more\.$/,
      ),
    );
    expect(
      within(production).getByLabelText('Pipeline stages of production'),
    ).toBeInTheDocument();
    const dev = screen.getByLabelText('Environment dev');
    expect(screen.getByTestId('headline-dev')).toHaveTextContent(
      /no promotion pending\.$/,
    );
    expect(
      within(dev).queryByLabelText('Pipeline stages of dev'),
    ).not.toBeInTheDocument();
    const toggle = within(dev).getByRole('button', {
      name: 'Show the stages of dev',
    });
    expect(toggle).toHaveAttribute('aria-expanded', 'false');
    openEnvironment('dev');
    expect(
      within(dev).getByLabelText('Pipeline stages of dev'),
    ).toBeInTheDocument();
  });

  it('opens the environment the URL names', async () => {
    server.use(...deliveryHandlers());
    await renderDelivery(<EntityDeliveryContent />, {
      routeEntries: ['/?environment=staging'],
    });
    const staging = await screen.findByLabelText('Environment staging');
    expect(
      within(staging).getByLabelText('Pipeline stages of staging'),
    ).toBeInTheDocument();
    expect(
      within(screen.getByLabelText('Environment dev')).queryByLabelText(
        'Pipeline stages of dev',
      ),
    ).not.toBeInTheDocument();
  });

  it('shows every stage status with its text', async () => {
    server.use(...deliveryHandlers({ overview: allStatusesOverview() }));
    await renderDelivery(<EntityDeliveryContent />);
    await screen.findByLabelText('Environment dev');
    const dev = openEnvironment('dev');
    const expected = {
      commit: 'succeeded',
      ci: 'running',
      image: 'failed',
      manifest: 'waiting',
      reconcile: 'unknown',
      staging: 'not-configured',
    };
    for (const [name, status] of Object.entries(expected)) {
      expect(within(dev).getByTestId(`stage-${name}`)).toHaveTextContent(
        status,
      );
    }
    // Duration, revision, author and link out of a finished stage.
    const commit = within(dev).getByTestId('stage-commit');
    expect(commit).toHaveTextContent('took 2 min 5 s');
    expect(commit).toHaveTextContent('8f3c2a1 by Dana Developer');
    expect(within(commit).getByRole('link')).toHaveAttribute(
      'href',
      'https://ci.acme.test/commit',
    );
  });

  it('keeps working when one upstream failed and names it', async () => {
    const overview = checkoutOverview();
    overview.sources = [
      { source: 'argocd', instance: 'main', status: 'ok' },
      {
        source: 'github',
        status: 'error',
        message: 'GitHub Actions answered 503',
      },
    ];
    server.use(
      http.get(`${entityUrl}/metrics`, () =>
        errorBody(503, 'ServiceUnavailableError', 'Prometheus timed out'),
      ),
      ...deliveryHandlers({ overview }),
    );
    await renderDelivery(<EntityDeliveryContent />);
    expect(
      await screen.findByText('GitHub Actions is unavailable'),
    ).toBeInTheDocument();
    expect(
      await screen.findByText(/SLO metrics could not be loaded/),
    ).toBeInTheDocument();
    // The other sections still render.
    expect(screen.getByLabelText('Environment production')).toBeInTheDocument();
    expect(await screen.findByText('Promotion blocked')).toBeInTheDocument();
    expect(
      await screen.findByText(/CVE-2026-1234 \(CRITICAL/),
    ).toBeInTheDocument();
    expect(screen.getByText('Snyk is not configured')).toBeInTheDocument();
  });

  it('shows the backend error when the overview fails', async () => {
    server.use(
      http.get(`${entityUrl}/overview`, () =>
        errorBody(404, 'NotFoundError', 'No entity found'),
      ),
    );
    await renderDelivery(<EntityDeliveryContent />);
    expect(await screen.findByText(/404: NotFoundError/)).toBeInTheDocument();
  });

  it('explains the missing annotation without calling the backend', async () => {
    await renderDelivery(<EntityDeliveryContent />, {
      entity: checkoutEntity({}),
    });
    expect(await screen.findByText(/Missing Annotation/i)).toBeInTheDocument();
    expect(screen.getAllByText(/argocd\/app-selector/).length).toBeGreaterThan(
      0,
    );
  });

  it('renders a large view with only the environment in focus open', async () => {
    server.use(
      ...deliveryHandlers({
        overview: largeOverview(),
        vulnerabilities: manyFindings(200),
      }),
    );
    await renderDelivery(<EntityDeliveryContent />);
    // querySelector, not Testing Library queries: those cost more than the render on a DOM this big.
    await waitFor(
      () => {
        expect(
          document.querySelector('[aria-label="Environment env-9"]'),
        ).not.toBeNull();
        expect(document.body.textContent).toContain('Findings (201)');
      },
      { interval: 20, timeout: 30_000 },
    );
    // ten rollouts in progress: the one in focus (env-9, where the signals
    // open) drawn in full, the other nine one line each until opened
    expect(
      Array.from(document.querySelectorAll('[aria-label^="Steps of"]')).map(
        el => el.getAttribute('aria-label'),
      ),
    ).toEqual(['Steps of checkout-9']);
    expect(
      document.querySelectorAll('button[aria-expanded="false"]').length,
    ).toBeGreaterThanOrEqual(18); // 9 rollout cards + 9 environments
    expect(
      document.querySelectorAll('[aria-label^="Pipeline stages of"]'),
    ).toHaveLength(1);
  });
});
