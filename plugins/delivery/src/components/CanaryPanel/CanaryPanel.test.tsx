import { renderInTestApp } from '@backstage/test-utils';
import { act, screen, within } from '@testing-library/react';
import {
  abortedRollout,
  blueGreenRollout,
  canaryRollout,
  progressingRollout,
  promotedRollout,
} from '../../__fixtures__/overview';
import { CanaryPanel } from './CanaryPanel';

function steps() {
  return within(screen.getByLabelText('Steps of checkout')).getAllByRole(
    'listitem',
  );
}

describe('CanaryPanel', () => {
  afterEach(() => jest.useRealTimers());

  it('shows a progressing canary with its steps in order and the current one marked', async () => {
    await renderInTestApp(<CanaryPanel rollout={progressingRollout} />);
    expect(screen.getByText('Canary progressing')).toBeInTheDocument();
    const items = steps();
    expect(items.map(i => i.textContent)).toEqual([
      expect.stringContaining('Set weight 5%'),
      expect.stringContaining('Pause 10 min'),
      expect.stringContaining('Analysis (checkout-slo)'),
      expect.stringContaining('Set weight 25%'),
      expect.stringContaining('Pause until promoted'),
      expect.stringContaining('Set weight 100%'),
    ]);
    expect(items[1]).toHaveTextContent('done');
    expect(items[2]).toHaveAttribute('aria-current', 'step');
    expect(items[2]).toHaveTextContent('current');
    expect(items[3]).toHaveTextContent('pending');
    expect(
      screen.getByRole('img', { name: 'Traffic: canary 5%, stable 95%' }),
    ).toBeInTheDocument();
    expect(screen.getByText('ghcr.io/acme/checkout:1.4.0')).toBeInTheDocument();
    expect(screen.getByText('ghcr.io/acme/checkout:1.5.0')).toBeInTheDocument();
    // AnalysisRun measurements next to their condition.
    expect(screen.getByText('result[0] <= 0.001')).toBeInTheDocument();
    // the measurement in its unit, the exact value on hover
    expect(screen.getByText('0.06%')).toHaveAttribute(
      'title',
      'exact: [0.0006]',
    );
  });

  it('counts down a timed pause live', async () => {
    jest.useFakeTimers();
    const receivedAt = Date.now();
    await renderInTestApp(
      <CanaryPanel rollout={canaryRollout()} receivedAt={receivedAt} />,
    );
    expect(screen.getByText('Canary paused')).toBeInTheDocument();
    expect(steps()[1]).toHaveAttribute('aria-current', 'step');
    expect(screen.getByRole('timer')).toHaveTextContent('7 min left');
    act(() => {
      jest.advanceTimersByTime(65_000);
    });
    expect(screen.getByRole('timer')).toHaveTextContent('5 min 55 s left');
    act(() => {
      jest.advanceTimersByTime(400_000);
    });
    expect(screen.getByRole('timer')).toHaveTextContent('resuming');
  });

  it('explains an indefinite pause', async () => {
    await renderInTestApp(
      <CanaryPanel
        rollout={canaryRollout({
          currentStepIndex: 4,
          canaryWeight: 25,
          stableWeight: 75,
          pause: { reason: 'CanaryPauseStep' },
        })}
      />,
    );
    expect(screen.getByText(/until someone promotes it/)).toBeInTheDocument();
    expect(screen.queryByRole('timer')).not.toBeInTheDocument();
  });

  it('shows an aborted canary with its message', async () => {
    await renderInTestApp(<CanaryPanel rollout={abortedRollout} />);
    expect(screen.getByText('Canary aborted')).toBeInTheDocument();
    expect(
      screen.getByText(/Rollout aborted at 2026-11-27T11:58:30.000Z/),
    ).toHaveTextContent('Metric "error-rate" assessed Failed');
    expect(steps()[2]).toHaveTextContent('aborted');
    expect(
      screen.getByRole('img', { name: 'Traffic: canary 0%, stable 100%' }),
    ).toBeInTheDocument();
  });

  it('shows a fully promoted canary with every step done', async () => {
    await renderInTestApp(<CanaryPanel rollout={promotedRollout} />);
    expect(screen.getByText('Canary promoted')).toBeInTheDocument();
    expect(screen.getByText(/Fully promoted/)).toBeInTheDocument();
    expect(steps().every(s => s.textContent?.includes('done'))).toBe(true);
    expect(screen.getByText(/step 6\/6/)).toBeInTheDocument();
  });

  it('shows a blue-green rollout with its services instead of steps', async () => {
    await renderInTestApp(<CanaryPanel rollout={blueGreenRollout} />);
    expect(screen.getByText('Blue-green paused')).toBeInTheDocument();
    expect(
      screen.getByText('inventory-active → 5f7d8c9b6a'),
    ).toBeInTheDocument();
    expect(
      screen.getByText('inventory-preview → 9c8b7a6d5e'),
    ).toBeInTheDocument();
    expect(screen.getByText('Preview (new) images')).toBeInTheDocument();
    expect(screen.queryByLabelText(/^Steps of/)).not.toBeInTheDocument();
    expect(screen.getByText(/until someone promotes it/)).toBeInTheDocument();
  });
});
