import { registerMswTestHooks } from '@backstage/test-utils';
import type { ChangesResponse } from '@gitops-delivery/backstage-plugin-delivery-common';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { canaryRollout } from '../../__fixtures__/overview';
import { policyResponse } from '../../__fixtures__/signals';
import {
  checkoutEntity,
  entityUrl,
  renderDelivery,
} from '../../__testUtils__/renderDelivery';
import { RolloutActions } from '../RolloutActions';

const server = setupServer();
registerMswTestHooks(server);
jest.setTimeout(30_000);

const zero = { CRITICAL: 0, HIGH: 0, MEDIUM: 0, LOW: 0, UNKNOWN: 0 };

const changes: ChangesResponse = {
  entityRef: 'component:default/checkout',
  from: {
    selector: 'staging',
    environment: 'staging',
    instance: 'main',
    application: 'checkout-staging',
    revision: 'b1b2c3d4e5f60718293a4b5c6d7e8f9012345678',
  },
  to: {
    selector: 'production',
    environment: 'production',
    instance: 'main',
    application: 'checkout-production',
    revision: 'c1b2c3d4e5f60718293a4b5c6d7e8f9012345678',
  },
  commits: {
    state: 'error',
    error: 'GitHub compare of acme/checkout: GitHub failed (HTTP 502)',
    items: [],
  },
  images: [
    {
      repository: 'ghcr.io/acme/checkout',
      before: { reference: 'ghcr.io/acme/checkout:1.3.0', tag: '1.3.0' },
      after: {
        reference: 'ghcr.io/acme/checkout:1.4.0',
        tag: '1.4.0',
        digest: `sha256:${'c'.repeat(64)}`,
      },
    },
  ],
  vulnerabilities: {
    state: 'ok',
    before: zero,
    after: { ...zero, HIGH: 1 },
    introduced: [
      {
        id: 'CVE-2026-0001',
        severity: 'HIGH',
        packageName: 'openssl',
        fixable: true,
        source: 'trivy',
      },
    ],
    fixed: [],
  },
  manifests: {
    state: 'ok',
    resources: [
      {
        group: 'argoproj.io',
        kind: 'Rollout',
        namespace: 'checkout',
        name: 'checkout',
        change: 'modified',
        changes: [
          {
            path: 'spec.template.spec.containers[0].image',
            before: 'ghcr.io/acme/checkout:1.3.0',
            after: 'ghcr.io/acme/checkout:1.4.0',
          },
        ],
      },
    ],
  },
};

describe('the promote dialog: what this promotion changes', () => {
  it('shows commits, images, vulnerabilities and manifests from the environment before, before the user confirms', async () => {
    let asked = '';
    server.use(
      http.get(`${entityUrl}/policy`, () => HttpResponse.json(policyResponse)),
      http.get(`${entityUrl}/changes`, ({ request }) => {
        asked = new URL(request.url).search;
        return HttpResponse.json(changes);
      }),
    );
    await renderDelivery(
      <RolloutActions
        entity={checkoutEntity()}
        environment="production"
        rollout={canaryRollout()}
        previousEnvironment="staging"
      />,
    );
    await userEvent.click(
      await screen.findByRole('button', { name: 'Promote fully' }),
    );
    const dialog = await screen.findByRole('dialog');
    const region = await within(dialog).findByRole('region', {
      name: 'What this promotion changes',
    });
    await within(region).findByText(/ghcr\.io\/acme\/checkout: 1\.3\.0 →/);
    // the Rollout's own Application of production
    expect(Object.fromEntries(new URLSearchParams(asked))).toEqual({
      from: 'staging',
      to: `production/${canaryRollout().instance}:${
        canaryRollout().application
      }`,
    });
    // the failed compare is named; the other parts are still shown
    expect(
      within(region).getByText(
        'GitHub compare of acme/checkout: GitHub failed (HTTP 502)',
      ),
    ).toBeInTheDocument();
    expect(
      within(region).getByText(/1\.4\.0 \(sha256:cccccccccccc…\)/),
    ).toBeInTheDocument();
    expect(
      within(region).getByText(
        /none → 1 HIGH; new: CVE-2026-0001 \(HIGH, openssl\)/,
      ),
    ).toBeInTheDocument();
    const table = within(region).getByRole('table', {
      name: 'Manifest changes of Rollout checkout/checkout',
    });
    expect(
      within(table).getByText('spec.template.spec.containers[0].image'),
    ).toBeInTheDocument();
    // still a confirmation: nothing was sent
    expect(
      within(dialog).getByRole('button', { name: 'Confirm: promote fully' }),
    ).toBeDisabled();
  });

  it('asks nothing where there is no environment before', async () => {
    let calls = 0;
    server.use(
      http.get(`${entityUrl}/policy`, () => HttpResponse.json(policyResponse)),
      http.get(`${entityUrl}/changes`, () => {
        calls++;
        return HttpResponse.json(changes);
      }),
    );
    await renderDelivery(
      <RolloutActions
        entity={checkoutEntity()}
        environment="production"
        rollout={canaryRollout()}
      />,
    );
    await userEvent.click(
      await screen.findByRole('button', { name: 'Promote fully' }),
    );
    const dialog = await screen.findByRole('dialog');
    expect(
      within(dialog).queryByRole('region', {
        name: 'What this promotion changes',
      }),
    ).not.toBeInTheDocument();
    expect(calls).toBe(0);
  });
});
