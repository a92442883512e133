import { renderInTestApp } from '@backstage/test-utils';
import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { SectionState } from './SectionState';

interface Value {
  items: string[];
  sources?: { source: string; status: 'error'; message: string }[];
}

function renderState(state: {
  value?: Value;
  error?: Error;
  loading: boolean;
  retry?: () => void;
}) {
  return renderInTestApp(
    <SectionState<Value>
      state={{ retry: () => {}, ...state }}
      errorTitle="Things could not be loaded"
      isEmpty={v => !v.items.length}
      emptyHint="No things. Configure delivery.things."
    >
      {v => v.items.map(i => <p key={i}>{i}</p>)}
    </SectionState>,
  );
}

describe('SectionState', () => {
  it('shows progress on the first load only, then the content', async () => {
    await renderState({ loading: true });
    expect(screen.getByTestId('progress')).toBeInTheDocument();
  });

  it('keeps the last value while it reloads', async () => {
    await renderState({ loading: true, value: { items: ['a'] } });
    expect(screen.queryByTestId('progress')).not.toBeInTheDocument();
    expect(screen.getByText('a')).toBeInTheDocument();
  });

  it('shows its own error with a retry', async () => {
    const retry = jest.fn();
    await renderState({ loading: false, error: new Error('boom'), retry });
    expect(screen.getByText(/Things could not be loaded/)).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Retry' }));
    expect(retry).toHaveBeenCalled();
  });

  it('names failed upstreams above the content and hints when empty', async () => {
    await renderState({
      loading: false,
      value: {
        items: [],
        sources: [
          { source: 'prometheus', status: 'error', message: 'answered 503' },
        ],
      },
    });
    expect(screen.getByText('Prometheus is unavailable')).toBeInTheDocument();
    expect(
      screen.getByText('No things. Configure delivery.things.'),
    ).toBeInTheDocument();
  });
});
