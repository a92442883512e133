import { registerMswTestHooks } from '@backstage/test-utils';
import type {
  ApplicationView,
  ChangesResponse,
  EnvironmentView,
} from '@gitops-delivery/backstage-plugin-delivery-common';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import {
  checkoutEntity,
  entityUrl,
  errorBody,
  renderDelivery,
} from '../../__testUtils__/renderDelivery';
import { ApplicationsCard } from '../ApplicationActions';
import { applicationSelector, historySelector } from './selectors';

const server = setupServer();
registerMswTestHooks(server);
jest.setTimeout(30_000);

const sha = (c: string) => c.repeat(40);
const zero = { CRITICAL: 0, HIGH: 0, MEDIUM: 0, LOW: 0, UNKNOWN: 0 };

function app(extra: Partial<ApplicationView> = {}): ApplicationView {
  return {
    instance: 'main',
    name: 'checkout-staging',
    project: 'shop',
    destination: { namespace: 'checkout' },
    sourceType: 'git',
    sync: { status: 'Synced', revision: sha('c') },
    health: { status: 'Healthy' },
    images: [],
    history: [
      {
        id: 7,
        revision: sha('c'),
        deployedAt: '2026-11-27T11:00:00Z',
        initiatedBy: 'ada',
      },
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
    ...extra,
  };
}

const staging = (applications: ApplicationView[]) =>
  ({
    name: 'staging',
    applications,
    stages: [],
    rollouts: [],
  } as unknown as EnvironmentView);

/** The route's answer for `from` entry `after` against `to` entry `before`. */
function changesBetween(before: number, after: number): ChangesResponse {
  const side = (id: number, revision: string) => ({
    selector: `staging/checkout-staging@${id}`,
    environment: 'staging',
    instance: 'main',
    application: 'checkout-staging',
    historyId: id,
    revision,
  });
  return {
    entityRef: 'component:default/checkout',
    from: side(after, sha('c')),
    to: side(before, sha('b')),
    commits: {
      state: 'ok',
      compareUrl: 'https://github.com/acme/checkout/compare/bbb...ccc',
      items: [
        {
          sha: sha('c'),
          message: 'Raise the pool size (#42)',
          author: 'Ada Lovelace',
          url: `https://github.com/acme/checkout/commit/${sha('c')}`,
          pullRequest: {
            number: 42,
            url: 'https://github.com/acme/checkout/pull/42',
          },
        },
      ],
    },
    images: [
      {
        repository: 'ghcr.io/acme/checkout',
        before: { reference: 'ghcr.io/acme/checkout:1.3.0', tag: '1.3.0' },
        after: {
          reference: 'ghcr.io/acme/checkout:1.4.0',
          tag: '1.4.0',
          digest: `sha256:${'d'.repeat(64)}`,
        },
      },
    ],
    vulnerabilities: {
      state: 'error',
      error: 'Trivy failed (HTTP 503)',
      before: zero,
      after: zero,
      introduced: [],
      fixed: [],
    },
    manifests: {
      state: 'ok',
      resources: [
        {
          group: 'apps',
          kind: 'Deployment',
          namespace: 'checkout',
          name: 'checkout',
          change: 'modified',
          changes: [{ path: 'spec.replicas', before: '3', after: '4' }],
        },
      ],
    },
  };
}

/** Records each changes request as `from → to` and answers for its entries. */
function changesRoute(asked: string[]) {
  return http.get(`${entityUrl}/changes`, ({ request }) => {
    const query = new URL(request.url).searchParams;
    const from = query.get('from') ?? '';
    const to = query.get('to') ?? '';
    asked.push(`${from} → ${to}`);
    const id = (s: string) => Number(s.split('@')[1]);
    return HttpResponse.json(changesBetween(id(to), id(from)));
  });
}

const openHistory = async (name = 'checkout-staging', entries = 3) =>
  userEvent.click(
    await screen.findByRole('button', {
      name: `History of ${name} (${entries} ${
        entries === 1 ? 'entry' : 'entries'
      })`,
    }),
  );

describe('HistoryChanges: what changes between two history entries', () => {
  it('asks nothing until opened, then lists the history and shows what the last deployment changed', async () => {
    const asked: string[] = [];
    server.use(changesRoute(asked));
    await renderDelivery(
      <ApplicationsCard
        entity={checkoutEntity()}
        environments={[staging([app()])]}
      />,
    );
    await screen.findByRole('button', { name: /History of checkout-staging/ });
    expect(asked).toEqual([]);

    await openHistory();
    const history = screen.getByRole('list', {
      name: 'History of checkout-staging',
    });
    expect(within(history).getAllByRole('listitem')).toHaveLength(3);
    expect(history).toHaveTextContent(
      '#6 · bbbbbbb · 2026-11-26T11:00:00Z · checkout 1.3.0',
    );
    expect(history).toHaveTextContent('(by ada)');

    const region = await screen.findByRole('region', {
      name: 'What changes from entry 6 to entry 7',
    });
    await within(region).findByText(/Raise the pool size/);
    expect(asked).toEqual([
      'staging/checkout-staging@7 → staging/checkout-staging@6',
    ]);
    expect(region).toHaveTextContent(
      'staging entry 6 (bbbbbbb) → staging entry 7 (ccccccc)',
    );
    // commits: message, author, commit and pull request links
    const commits = within(region).getByRole('list', {
      name: 'Commits from entry 6 to entry 7',
    });
    expect(commits).toHaveTextContent('Ada Lovelace');
    expect(within(commits).getByRole('link', { name: /#42/ })).toHaveAttribute(
      'href',
      'https://github.com/acme/checkout/pull/42',
    );
    expect(
      within(commits).getByRole('link', { name: /ccccccc/ }),
    ).toHaveAttribute(
      'href',
      `https://github.com/acme/checkout/commit/${sha('c')}`,
    );
    // images with tag and digest
    expect(
      within(region).getByText(
        /ghcr\.io\/acme\/checkout: 1\.3\.0 → 1\.4\.0 \(sha256:dddddddddddd…\)/,
      ),
    ).toBeInTheDocument();
    // the failed scanner degrades its part only
    expect(
      within(
        within(region).getByRole('region', { name: 'Vulnerabilities' }),
      ).getByText('Trivy failed (HTTP 503)'),
    ).toBeInTheDocument();
    // the manifest diff, labelled by entry
    const table = within(region).getByRole('table', {
      name: 'Manifest changes of Deployment checkout/checkout',
    });
    expect(within(table).getByText('spec.replicas')).toBeInTheDocument();
    expect(within(table).getByText('entry 6')).toBeInTheDocument();
    expect(within(table).getByText('entry 7')).toBeInTheDocument();
  });

  it('compares any two entries the user picks with the keyboard, and asks nothing for one entry picked twice', async () => {
    const asked: string[] = [];
    server.use(changesRoute(asked));
    await renderDelivery(
      <ApplicationsCard
        entity={checkoutEntity()}
        environments={[staging([app()])]}
      />,
    );
    const summary = await screen.findByRole('button', {
      name: 'History of checkout-staging (3 entries)',
    });
    summary.focus();
    await userEvent.keyboard('{Enter}');
    await screen.findByRole('region', {
      name: 'What changes from entry 6 to entry 7',
    });

    const pickers = screen.getByRole('group', {
      name: 'Pick two history entries of checkout-staging',
    });
    const from = within(pickers).getByRole('combobox', { name: 'From entry' });
    const to = within(pickers).getByRole('combobox', { name: 'To entry' });
    await userEvent.selectOptions(from, '5');
    await screen.findByRole('region', {
      name: 'What changes from entry 5 to entry 7',
    });
    await waitFor(() =>
      expect(asked).toContain(
        'staging/checkout-staging@7 → staging/checkout-staging@5',
      ),
    );

    // the same entry on both sides: a hint, no request
    const before = asked.length;
    await userEvent.selectOptions(to, '5');
    expect(
      await screen.findByText(
        'Pick two different entries to see what changes between them.',
      ),
    ).toBeInTheDocument();
    expect(asked).toHaveLength(before);

    // going back: the later entry as From
    await userEvent.selectOptions(from, '7');
    await screen.findByRole('region', {
      name: 'What changes from entry 7 to entry 5',
    });
    await waitFor(() =>
      expect(asked).toContain(
        'staging/checkout-staging@5 → staging/checkout-staging@7',
      ),
    );
  });

  it("shows the route's error with a retry, leaving the history", async () => {
    let calls = 0;
    server.use(
      http.get(`${entityUrl}/changes`, () => {
        calls++;
        return errorBody(
          400,
          'InputError',
          'Invalid from: checkout-staging (staging) has no history entry 7; it has 6, 5',
        );
      }),
    );
    await renderDelivery(
      <ApplicationsCard
        entity={checkoutEntity()}
        environments={[staging([app()])]}
      />,
    );
    await openHistory();
    const region = await screen.findByRole('region', {
      name: 'What changes from entry 6 to entry 7',
    });
    expect(
      await within(region).findByText(/has no history entry 7; it has 6, 5/),
    ).toBeInTheDocument();
    expect(
      within(region).getByText(/The changes could not be loaded/),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('list', { name: 'History of checkout-staging' }),
    ).toBeInTheDocument();
    await userEvent.click(
      within(region).getByRole('button', { name: 'Retry' }),
    );
    await waitFor(() => expect(calls).toBe(2));
  });

  it('says there is nothing to compare with fewer than two entries', async () => {
    const asked: string[] = [];
    server.use(changesRoute(asked));
    await renderDelivery(
      <ApplicationsCard
        entity={checkoutEntity()}
        environments={[
          staging([
            app({ history: [app().history[0]] }),
            app({ name: 'checkout-staging-eu', history: [] }),
          ]),
        ]}
      />,
    );
    await openHistory('checkout-staging', 1);
    expect(
      await screen.findByText('One entry: nothing to compare it with yet.'),
    ).toBeInTheDocument();
    await openHistory('checkout-staging-eu', 0);
    expect(
      await screen.findByText(
        'Argo CD has recorded no deployment of this Application yet.',
      ),
    ).toBeInTheDocument();
    expect(screen.queryByRole('combobox')).not.toBeInTheDocument();
    expect(asked).toEqual([]);
  });
});

describe('historySelector', () => {
  it('names the Application, with its instance where another instance has one of that name', () => {
    const us = app({ instance: 'us', name: 'checkout' });
    const eu = app({ instance: 'eu', name: 'checkout' });
    const other = app({ name: 'checkout-staging' });
    expect(historySelector(staging([other, us]), other, 7)).toBe(
      'staging/checkout-staging@7',
    );
    expect(historySelector(staging([us, eu]), eu, 6)).toBe(
      'staging/eu:checkout@6',
    );
    // an instance name the selector cannot carry is left out
    expect(
      applicationSelector(
        'production',
        { instance: 'eu west', name: 'c' },
        true,
      ),
    ).toBe('production/c');
  });
});
