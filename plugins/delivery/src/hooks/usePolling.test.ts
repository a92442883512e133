import { act, renderHook } from '@testing-library/react';
import { usePolling } from './usePolling';

function setHidden(hidden: boolean) {
  Object.defineProperty(document, 'hidden', {
    configurable: true,
    get: () => hidden,
  });
  document.dispatchEvent(new Event('visibilitychange'));
}

async function flush() {
  await act(async () => {
    await Promise.resolve();
  });
}

describe('usePolling', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => {
    jest.useRealTimers();
    act(() => setHidden(false));
  });

  it('refreshes on the interval while asked to, pauses while hidden, backs off on errors', async () => {
    let fail = false;
    const fetcher = jest.fn(async () => {
      if (fail) throw new Error('upstream down');
      return 'value';
    });
    const { result } = renderHook(() =>
      usePolling(fetcher, { intervalMs: 1000, shouldPoll: () => true }, []),
    );
    await flush();
    expect(result.current.value).toBe('value');
    expect(result.current.polling).toBe(true);
    expect(fetcher).toHaveBeenCalledTimes(1);

    await act(async () => {
      jest.advanceTimersByTime(1000);
    });
    await flush();
    expect(fetcher).toHaveBeenCalledTimes(2);

    // Hidden: no refresh however long we wait.
    act(() => setHidden(true));
    expect(result.current.polling).toBe(false);
    await act(async () => {
      jest.advanceTimersByTime(10_000);
    });
    expect(fetcher).toHaveBeenCalledTimes(2);
    act(() => setHidden(false));

    // Errors keep the last value and double the delay.
    fail = true;
    await act(async () => {
      jest.advanceTimersByTime(1000);
    });
    await flush();
    expect(fetcher).toHaveBeenCalledTimes(3);
    expect(result.current.error?.message).toBe('upstream down');
    expect(result.current.value).toBe('value');
    await act(async () => {
      jest.advanceTimersByTime(1500);
    });
    expect(fetcher).toHaveBeenCalledTimes(3);
    await act(async () => {
      jest.advanceTimersByTime(500);
    });
    await flush();
    expect(fetcher).toHaveBeenCalledTimes(4);
  });

  it('fetches once when polling is not asked for', async () => {
    const fetcher = jest.fn(async () => 'done');
    const { result } = renderHook(() =>
      usePolling(fetcher, { intervalMs: 1000, shouldPoll: () => false }, []),
    );
    await flush();
    await act(async () => {
      jest.advanceTimersByTime(10_000);
    });
    expect(fetcher).toHaveBeenCalledTimes(1);
    expect(result.current.polling).toBe(false);
    act(() => result.current.refresh());
    await flush();
    expect(fetcher).toHaveBeenCalledTimes(2);
  });
});
