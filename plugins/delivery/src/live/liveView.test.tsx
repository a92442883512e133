import { registerMswTestHooks } from '@backstage/test-utils';
import type { SignalApi } from '@backstage/plugin-signals-react';
import type { JsonObject } from '@backstage/types';
import { act, screen, waitFor, within } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { canaryRollout, checkoutOverview } from '../__fixtures__/overview';
import {
  deliveryHandlers,
  entityUrl,
  renderDelivery,
} from '../__testUtils__/renderDelivery';
import { EntityDeliveryContent } from '../components/EntityDeliveryContent';
import { EntityDeliveryOverviewCard } from '../components/EntityDeliveryOverviewCard';

/**
 * The tab and the card on a page where the signals plugin is installed: a
 * canary step shows as soon as the backend signals the change, without a
 * reload and without waiting for a poll.
 */

const server = setupServer();
registerMswTestHooks(server);

const CHANNEL = 'delivery:entity:component:default/checkout';

function fakeSignals() {
  const listeners = new Map<string, Set<(message: JsonObject) => void>>();
  const api: SignalApi = {
    subscribe(channel, onMessage) {
      const set = listeners.get(channel) ?? new Set();
      set.add(onMessage as (message: JsonObject) => void);
      listeners.set(channel, set);
      return { unsubscribe: () => set.delete(onMessage as any) };
    },
  };
  const emit = () =>
    act(() =>
      listeners.get(CHANNEL)?.forEach(listener =>
        listener({
          type: 'changed',
          entityRef: 'component:default/checkout',
        }),
      ),
    );
  return { api, emit, listeners };
}

/** The overview route with the canary at step 2, then (after `step()`) 3. */
function steppingOverview() {
  let stepped = false;
  // msw: the first handler of a route wins
  server.use(
    http.get(`${entityUrl}/overview`, () => {
      const overview = checkoutOverview(
        stepped
          ? canaryRollout({
              currentStepIndex: 2,
              canaryWeight: 25,
              stableWeight: 75,
            })
          : canaryRollout(),
      );
      if (stepped) overview.generatedAt = '2026-11-27T12:10:00.000Z';
      return HttpResponse.json(overview, {
        headers: { ETag: stepped ? 'W/"2"' : 'W/"1"' },
      });
    }),
    ...deliveryHandlers(),
  );
  return () => {
    stepped = true;
  };
}

function productionRow(): HTMLElement {
  const rows = Array.from(
    screen
      .getByRole('table', { name: 'Delivery per environment' })
      .querySelectorAll('tbody tr'),
  );
  return rows.find(
    tr => tr.firstElementChild?.textContent === 'production',
  ) as HTMLElement;
}

describe('live Delivery views', () => {
  it('the card shows the next canary step when the entity signals a change', async () => {
    const step = steppingOverview();
    const signals = fakeSignals();
    await renderDelivery(<EntityDeliveryOverviewCard />, {
      signals: signals.api,
    });
    await screen.findByRole('table', { name: 'Delivery per environment' });
    expect(productionRow()).toHaveTextContent('5% canary, step 2/6');
    expect([...signals.listeners.keys()]).toEqual([CHANNEL]);

    step();
    signals.emit();
    await within(productionRow()).findByText(/25% canary, step 3\/6/);
  });

  it('the tab says it is live, and refetches the view and the audit trail on a signal', async () => {
    const step = steppingOverview();
    const audits: number[] = [];
    server.use(
      http.get(`${entityUrl}/audit`, () => {
        audits.push(Date.now());
        return HttpResponse.json({ items: [] });
      }),
    );
    const signals = fakeSignals();
    await renderDelivery(<EntityDeliveryContent />, { signals: signals.api });
    expect(
      await screen.findByText(/Live: changes show as they happen/),
    ).toBeInTheDocument();
    const auditsBefore = audits.length;

    step();
    signals.emit();
    // the new view's time (shown in local time; its <time> carries the ISO)
    await waitFor(() =>
      expect(
        document.querySelector('time[datetime="2026-11-27T12:10:00.000Z"]'),
      ).not.toBeNull(),
    );
    expect(audits.length).toBeGreaterThan(auditsBefore);
  });

  it("the tab shows a broken stream's note on that Argo CD source only, and drops it once the stream is back", async () => {
    const note =
      'Live updates unavailable: Argo CD answered HTTP 500; polling Argo CD every 10 s.';
    let broken = true;
    server.use(
      http.get(`${entityUrl}/overview`, () => {
        const overview = checkoutOverview(canaryRollout());
        overview.sources = [
          broken
            ? { source: 'argocd', instance: 'main', status: 'ok', note }
            : { source: 'argocd', instance: 'main', status: 'ok' },
          { source: 'argocd', instance: 'nonprod', status: 'ok' },
        ];
        return HttpResponse.json(overview, {
          headers: { ETag: broken ? 'W/"broken"' : 'W/"back"' },
        });
      }),
      ...deliveryHandlers(),
    );
    const signals = fakeSignals();
    await renderDelivery(<EntityDeliveryContent />, { signals: signals.api });
    const shown = await screen.findByText(note);
    const alert = shown.closest('[role="alert"]') as HTMLElement;
    expect(within(alert).getByText('Argo CD (main)')).toBeInTheDocument();
    // the one note, on its source; the view itself is there
    expect(screen.getAllByText(/Live updates unavailable/)).toHaveLength(1);
    expect(screen.queryByText('Argo CD (nonprod)')).not.toBeInTheDocument();
    expect(screen.getByLabelText('Environment production')).toBeInTheDocument();

    broken = false;
    signals.emit();
    await waitFor(() =>
      expect(
        screen.queryByText(/Live updates unavailable/),
      ).not.toBeInTheDocument(),
    );
    expect(screen.getByLabelText('Environment production')).toBeInTheDocument();
  });

  it('the tab polls as before where the signals plugin is not installed', async () => {
    steppingOverview();
    await renderDelivery(<EntityDeliveryContent />);
    expect(
      await screen.findByText(
        /Refreshing every 15 s while a rollout progresses/,
      ),
    ).toBeInTheDocument();
  });
});
