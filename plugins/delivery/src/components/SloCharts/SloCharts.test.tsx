import { renderInTestApp } from '@backstage/test-utils';
import { screen } from '@testing-library/react';
import { metricsResponse } from '../../__fixtures__/signals';
import { SloCharts } from './SloCharts';

describe('SloCharts', () => {
  it('draws canary and stable with a gap where the canary had NaN', async () => {
    const { container } = await renderInTestApp(
      // jsdom lays nothing out, so the chart gets a fixed width.
      <SloCharts
        chartWidth={600}
        state={{ value: metricsResponse, loading: false, retry: () => {} }}
      />,
    );
    const chart = screen.getByRole('img', {
      name: /^error-rate: canary 8%, stable 0.05%; healthy while at most 0.1%; status breach/,
    });
    const lines = chart.querySelectorAll('path.recharts-line-curve');
    expect(lines).toHaveLength(2);
    // recharts starts a new sub-path ("M") after each null: canary has two segments.
    const moves = (d: string | null) => (d?.match(/M/g) ?? []).length;
    expect(moves(lines[0].getAttribute('d'))).toBe(2);
    expect(moves(lines[1].getAttribute('d'))).toBe(1);
    expect(
      screen.getByText(/Gaps mark times without data \(1\)/),
    ).toBeInTheDocument();
    expect(screen.getByText('breach')).toBeInTheDocument();
    // The threshold line and the two step changes are drawn and labelled
    // with what caused them.
    expect(container.textContent).toContain('threshold 0.1%');
    const marks = [...chart.querySelectorAll('.recharts-reference-line')]
      .map(line => line.textContent)
      .filter(text => text?.includes('step'));
    expect(marks).toEqual([
      'paused at step 2 (5%)',
      'promoted to step 4 (25%)',
    ]);
    // The caption names them with their cause, for readers of text.
    expect(
      screen.getAllByText(
        /Step changes: .* paused at step 2 \(5%\) \(CanaryPauseStep\); .* promoted to step 4 \(25%\) \(promote by user:default\/alice: soak ok\)/,
      ),
    ).toHaveLength(2);
    // A side without data says why.
    expect(
      screen.getByText(/Stable: no data for the stable pods/),
    ).toBeInTheDocument();
  });

  it('names the failed upstream and hints when none is configured', async () => {
    await renderInTestApp(
      <SloCharts
        state={{
          value: {
            ...metricsResponse,
            rollouts: [],
            sources: [
              {
                source: 'prometheus',
                status: 'error',
                message: 'Prometheus answered 503',
              },
            ],
          },
          loading: false,
          retry: () => {},
        }}
      />,
    );
    expect(screen.getByText('Prometheus is unavailable')).toBeInTheDocument();
    expect(screen.getByText(/Prometheus answered 503/)).toBeInTheDocument();
    expect(
      screen.getByText(/configured under delivery.slos/),
    ).toBeInTheDocument();
  });
});
